/**
 * Small JSON control API of a running fleet, for the benchmark and the demo driving a simulator in
 * another process. Listens on 127.0.0.1 only.
 *
 *   GET  /cameras                     every camera with endpoints and credentials
 *   GET  /cameras/:index              one camera, its fault state and counters
 *   POST /cameras/:index/fault        body { rtsp?, onvif?, slowMs?, skewSeconds? } → { index, fault }
 *   POST /cameras/:index/kill         down for both protocols → { index, fault }
 *   POST /cameras/:index/revive       clears `down` → { index, fault }
 *   GET  /stats[?perCamera=1]         totals (per-camera counters on request)
 *   POST /stats/reset                 zero the counters → 204
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CameraFault, Fleet } from './types.js';

const MAX_BODY = 64 * 1024;
const ERROR_CODES: Record<number, string> = { 400: 'bad_request', 404: 'not_found', 413: 'too_large', 500: 'internal' };

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function cameraIndex(fleet: Fleet, text: string): number {
  const index = Number(text);
  if (!Number.isInteger(index) || index < 0 || index >= fleet.cameras.length) {
    throw new HttpError(404, `no camera ${text} (fleet has ${fleet.cameras.length})`);
  }
  return index;
}

function faultPatch(body: Record<string, unknown>): Partial<CameraFault> {
  const allowed = ['rtsp', 'onvif', 'slowMs', 'skewSeconds'];
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new HttpError(400, `unknown field(s): ${unknown.join(', ')}`);
  return body as Partial<CameraFault>;
}

async function route(fleet: Fleet, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  const parts = url.pathname.split('/').filter(Boolean);
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/cameras') return send(res, 200, fleet.cameras);
  if (method === 'GET' && url.pathname === '/stats') {
    const perCamera = ['1', 'true'].includes(url.searchParams.get('perCamera') ?? '');
    return send(res, 200, fleet.stats({ perCamera }));
  }
  if (method === 'POST' && url.pathname === '/stats/reset') {
    fleet.resetStats();
    return send(res, 204);
  }
  if (parts[0] === 'cameras' && parts.length >= 2) {
    const index = cameraIndex(fleet, parts[1]);
    const answer = (): void => send(res, 200, { index, fault: fleet.getFault(index) });
    if (method === 'GET' && parts.length === 2) {
      return send(res, 200, { ...fleet.cameras[index], fault: fleet.getFault(index), counters: fleet.counters(index) });
    }
    if (method === 'POST' && parts.length === 3) {
      if (parts[2] === 'fault') {
        const patch = faultPatch(await readJson(req));
        try {
          await fleet.setFault(index, patch);
        } catch (err) {
          throw new HttpError(400, (err as Error).message);
        }
        return answer();
      }
      if (parts[2] === 'kill') return fleet.kill(index).then(answer);
      if (parts[2] === 'revive') return fleet.revive(index).then(answer);
    }
  }
  throw new HttpError(404, `no route ${method} ${url.pathname}`);
}

/** Serves the control API for `fleet` on 127.0.0.1:`port` (0 = any free port); resolves when listening. */
export function startControlServer(fleet: Fleet, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    route(fleet, req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (!res.headersSent) send(res, status, { error: ERROR_CODES[status], message: (err as Error).message });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}
