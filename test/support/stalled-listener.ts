/**
 * A loopback port where a TCP connect never completes: a listener with a backlog of 0 that never
 * accepts, its queue filled by connects of its own, so the kernel drops further SYNs and a client's
 * connect hangs — what an unroutable camera address does, without leaving 127.0.0.1. Node cannot
 * listen without accepting, so a few lines of Debian's /usr/bin/python3 hold the socket (the
 * GStreamer RTSP tests need it anyway).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SYSTEM_PYTHON } from './gst-rtsp.js';

const SCRIPT = `
import socket, sys
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(0)
held = []
for _ in range(3):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(s.getsockname())
    except BlockingIOError:
        pass
    held.append(c)
print(s.getsockname()[1], flush=True)
sys.stdin.read()
`;

export interface StalledListener {
  port: number;
  close(): Promise<void>;
}

export function startStalledListener(): Promise<StalledListener> {
  const child = spawn(SYSTEM_PYTHON, ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`stalled listener exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve({
        port: Number(line),
        close: async () => {
          child.stdin!.end();
          await exited;
        },
      }),
    );
  });
}
