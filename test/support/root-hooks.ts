import { closeAll } from './backends.js';
import { leakedSecrets, readRunLog, RUN_LOG } from './run-log.js';
import { usedSecrets } from './secrets.js';

/** Mocha root hooks: close the shared databases once every suite has run, then scan the run's log for secrets. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await closeAll();
    const log = readRunLog();
    const leaked = leakedSecrets(log, usedSecrets());
    if (leaked.length > 0) throw new Error(`secrets reached the test run's log ${RUN_LOG}: ${leaked.join(', ')}`);
  },
};
