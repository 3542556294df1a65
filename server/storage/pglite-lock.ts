import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** Thrown when another live process already holds the embedded database folder. */
export class DatabaseLockedError extends Error {
  constructor(readonly lockFile: string, readonly holderPid: number) {
    super(
      `the embedded database at ${lockFile.replace(/\.lock$/, '')} is in use by process ${holderPid}. ` +
        'Two processes opening one PGlite folder silently lose committed rows, so this one refuses to start. ' +
        'Stop the other process, or run extra workers against a PostgreSQL server (DATABASE_URL).',
    );
    this.name = 'DatabaseLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>.lock` (beside the data folder, so it survives a wiped folder) by exclusive create.
 * A lock left by a dead process is taken over; one held by a live process throws
 * DatabaseLockedError. Returns a release function.
 */
export function acquireDirectoryLock(dir: string): () => void {
  const lockFile = `${dir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSafe(lockFile), 10);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw new DatabaseLockedError(lockFile, holder);
      try {
        unlinkSync(lockFile); // stale: its process is gone
      } catch {
        /* raced with another taker; retry */
      }
    }
  }
  throw new Error(`could not take the lock ${lockFile}`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
