import { closeSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Flushes every file and folder under `dir` to disk. The embedded engine runs with fsync off, so
 * a commit is only in the OS cache; a step that must not outlive a lost commit (installing a new
 * camera key) calls this first, so a power cut cannot keep the step and drop the commit.
 */
export function fsyncTree(dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // a temporary folder the engine removed meanwhile
    throw err;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(full);
    else if (entry.isFile()) fsyncPath(full);
  }
  fsyncPath(dir);
}

function fsyncPath(file: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    fsyncSync(fd);
  } catch (err) {
    // A file the engine removed meanwhile needs no flushing; a folder some platforms cannot fsync.
    if (!['ENOENT', 'EISDIR', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
