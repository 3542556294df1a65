import { closeAll } from './backends.js';

/** Mocha root hooks: close the shared databases once every suite has run. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await closeAll();
  },
};
