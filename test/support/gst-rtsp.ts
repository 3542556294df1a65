import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Debian's interpreter: the python3 first on PATH may be a build without PyGObject. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const FFPROBE = '/usr/bin/ffprobe';
const SCRIPT = path.resolve(import.meta.dirname, 'gst-rtsp-server.py');
const READY_TIMEOUT_MS = 20_000;

export interface GstRtspOptions {
  user?: string;
  password?: string;
  /** 0 (default) lets the server pick a free port and report it. */
  port?: number;
}

export interface GstRtspServer {
  port: number;
  /** Mount paths actually served (`/h265` only when x265enc is installed). */
  mounts: string[];
  /** rtsp://127.0.0.1:<port><path>, with `user:pass@` only when asked (for ffprobe, never for our probe). */
  url(pathname: string, credentials?: { user: string; password: string }): string;
  /** Client connections the server has seen open and close. */
  clients(): { connected: number; closed: number };
  /** Resolves once every client connection seen so far has closed; rejects after `withinMs`. */
  clientsClosed(withinMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Why the GStreamer cross-check cannot run here, or null when everything it needs is installed. */
export function gstMissing(): string | null {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} not found`;
  if (!existsSync(FFPROBE)) return `${FFPROBE} not found (apt-get install ffmpeg)`;
  const check = spawnSync(
    SYSTEM_PYTHON,
    ['-c', "import gi; gi.require_version('GstRtspServer','1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); assert Gst.ElementFactory.find('x264enc'), 'x264enc missing'"],
    { encoding: 'utf8', timeout: 20_000 },
  );
  if (check.status !== 0) return `GStreamer RTSP server unusable (apt-get install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-ugly): ${(check.stderr || check.error?.message || '').trim().split('\n').pop()}`;
  return null;
}

/** Spawns test/support/gst-rtsp-server.py and waits for its READY line (20 s; stderr goes into the error). */
export function startGstRtspServer(opts: GstRtspOptions = {}): Promise<GstRtspServer> {
  const args = [SCRIPT, '--port', String(opts.port ?? 0), '--user', opts.user ?? 'admin', '--password', opts.password ?? 'admin'];
  const child = spawn(SYSTEM_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let pendingLine = '';
  let connected = 0;
  let closed = 0;
  const waiters = new Set<() => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-8000)));

  return new Promise<GstRtspServer>((resolve, reject) => {
    const failStart = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`gst-rtsp-server.py ${why}\n--- stderr ---\n${stderr.trim()}`));
    };
    const timer = setTimeout(() => failStart(`not READY within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once('error', (err) => failStart(`could not start: ${err.message}`));
    const earlyExit = (code: number | null, signal: string | null) => failStart(`exited before READY (code ${code}, signal ${signal})`);
    child.once('exit', earlyExit);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const lines = (pendingLine + text).split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'CONNECTED') connected++;
        else if (line === 'CLOSED') closed++;
        else if (line.startsWith('READY ')) {
          clearTimeout(timer);
          child.off('exit', earlyExit);
          const [, port, mounts = ''] = line.trim().split(' ');
          resolve(handle(Number(port), mounts.split(',').filter(Boolean)));
        }
        for (const w of waiters) w();
      }
    });
  });

  function handle(port: number, mounts: string[]): GstRtspServer {
    return {
      port,
      mounts,
      url: (pathname, c) => `rtsp://${c ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@` : ''}127.0.0.1:${port}${pathname}`,
      clients: () => ({ connected, closed }),
      clientsClosed: (withinMs = 5000) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (closed < connected) return;
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`${connected - closed} of ${connected} client connections still open on the GStreamer server after ${withinMs} ms`));
          }, withinMs);
          waiters.add(check);
          check();
        }),
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      },
    };
  }
}
