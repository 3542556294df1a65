import cron, { type ScheduledTask } from 'node-cron';
import type { LivenessConfig } from '../config/index.js';
import type { Logger } from '../server/logger.js';
import type { LivenessRepository } from '../server/storage/liveness.repository.js';

const DAY_MS = 86_400_000;

/** Prunes raw probe samples past their retention; the outage log is never pruned. */
export async function pruneSamples(repo: LivenessRepository, config: LivenessConfig, nowMs: number, logger: Logger): Promise<number> {
  const before = new Date(nowMs - config.sampleRetentionDays * DAY_MS);
  const deleted = await repo.pruneSamples(before);
  logger.info('pruned probe samples', { before: before.toISOString(), deleted });
  return deleted;
}

/** Starts the node-cron housekeeping jobs; returns a stop function. */
export function startHousekeeping(repo: LivenessRepository, config: LivenessConfig, timezone: string, logger: Logger): () => Promise<void> {
  const task: ScheduledTask = cron.schedule(
    config.pruneCron,
    async () => {
      await pruneSamples(repo, config, Date.now(), logger).catch((err: Error) => logger.error('pruning probe samples failed', { error: err }));
    },
    { timezone, name: 'prune-probe-samples', noOverlap: true },
  );
  return async () => {
    await task.destroy();
  };
}
