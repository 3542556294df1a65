import type { Config } from '../config/index.js';
import type { Logger } from '../server/logger.js';
import type { CredentialCipher } from '../server/secrets/credential-cipher.js';
import type { Database } from '../server/storage/db.js';
import type { StateEventBus } from '../server/events/state-events.js';
import { LivenessRepository } from '../server/storage/liveness.repository.js';
import { MaintenanceRepository } from '../server/storage/maintenance.repository.js';
import { startHousekeeping } from './housekeeping.js';
import { probes as defaultProbes, type ProbeRegistry } from './probes/index.js';
import { Scheduler, type SchedulerDeps } from './scheduler.js';

export interface Worker {
  scheduler: Scheduler;
  stop(): Promise<void>;
}

/** A liveness worker: the scheduler plus its housekeeping, on an open database. */
export function startWorker(
  deps: { config: Config; db: Database; cipher: CredentialCipher; bus: StateEventBus; logger: Logger; probes?: ProbeRegistry },
  extra: Pick<SchedulerDeps, 'clock' | 'onRound'> = {},
): Worker {
  const repo = new LivenessRepository(deps.db);
  const scheduler = new Scheduler({
    db: deps.db,
    repo,
    probes: deps.probes ?? defaultProbes,
    cipher: deps.cipher,
    bus: deps.bus,
    config: deps.config.liveness,
    logger: deps.logger,
    ...extra,
  });
  scheduler.start();
  const stopHousekeeping = startHousekeeping(
    { liveness: repo, maintenance: new MaintenanceRepository(deps.db) },
    deps.config.liveness,
    deps.config.tzDisplay,
    deps.logger,
  );
  deps.logger.info('liveness worker started', { workerId: deps.config.liveness.workerId, concurrency: deps.config.liveness.concurrency });
  return {
    scheduler,
    async stop() {
      await stopHousekeeping();
      await scheduler.stop();
    },
  };
}
