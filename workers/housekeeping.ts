import cron, { type ScheduledTask } from 'node-cron';
import type { LivenessConfig } from '../config/index.js';
import type { Logger } from '../server/logger.js';
import type { LivenessRepository } from '../server/storage/liveness.repository.js';
import type { MaintenanceRepository } from '../server/storage/maintenance.repository.js';

const DAY_MS = 86_400_000;

/**
 * Each VACUUM_CRON run vacuums the two tables check rounds rewrite. camera_checks is analyzed every
 * time (cheap, ~20 ms at 10,000 cameras, and its due times move on every minute: the claim's estimates
 * follow them). The wide registry table changes slowly (status changes; an import analyzes it at once)
 * and its ANALYZE was most of the job (150–180 of ~200 ms of the embedded engine, claims waiting meanwhile).
 */
const UPKEEP = [
  { table: 'camera_checks', analyzeAfterMs: 0 },
  { table: 'cameras', analyzeAfterMs: 3_600_000 },
] as const;

/** Prunes raw probe samples past their retention; the outage log is never pruned. */
export async function pruneSamples(repo: LivenessRepository, config: LivenessConfig, nowMs: number, logger: Logger): Promise<number> {
  const before = new Date(nowMs - config.sampleRetentionDays * DAY_MS);
  const deleted = await repo.pruneSamples(before);
  logger.info('pruned probe samples', { before: before.toISOString(), deleted });
  return deleted;
}

/**
 * Starts the node-cron housekeeping jobs: sample pruning (PRUNE_CRON) and VACUUM of the tables the
 * worker rewrites (VACUUM_CRON, see UPKEEP). Returns a stop function.
 */
export function startHousekeeping(
  repos: { liveness: LivenessRepository; maintenance: MaintenanceRepository },
  config: LivenessConfig,
  timezone: string,
  logger: Logger,
): () => Promise<void> {
  const tasks: ScheduledTask[] = [
    cron.schedule(
      config.pruneCron,
      async () => {
        await pruneSamples(repos.liveness, config, Date.now(), logger).catch((err: Error) => logger.error('pruning probe samples failed', { error: err }));
      },
      { timezone, name: 'prune-probe-samples', noOverlap: true },
    ),
    cron.schedule(
      config.vacuumCron,
      async () => {
        await repos.maintenance.upkeep(UPKEEP).catch((err: Error) => logger.error('vacuum failed', { error: err }));
      },
      { timezone, name: 'vacuum-check-state', noOverlap: true },
    ),
  ];
  return async () => {
    for (const task of tasks) await task.destroy();
  };
}
