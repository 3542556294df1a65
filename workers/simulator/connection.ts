/**
 * One accepted connection on a camera port: sniffs RTSP vs HTTP per request, counts it against the
 * camera it addresses, applies that camera's fault switch, and answers requests one at a time
 * (keep-alive; RTSP clients send OPTIONS then DESCRIBE on one connection).
 */
import type { Socket } from 'node:net';
import { deliver, flood, resetConnection, sendGarbage, type Conn, type Delivery } from './misbehave.js';
import { handleOnvif } from './onvif-server.js';
import { handleRtsp } from './rtsp-server.js';
import { cameraForRtspTarget, type CameraState, type Env, type SiteState } from './state.js';
import { RequestReader, type WireRequest } from './wire.js';
import type { FaultKind } from './types.js';

function floodHead(req: WireRequest): Buffer {
  const head = req.protocol === 'rtsp'
    ? `RTSP/1.0 200 OK\r\nCSeq: ${req.headers.get('cseq') ?? '0'}\r\nContent-Type: application/sdp\r\nContent-Length: 2147483647\r\n\r\n`
    : 'HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; charset=utf-8\r\nConnection: close\r\n\r\n';
  return Buffer.from(head, 'latin1');
}

/** Counts the request against the camera it addresses and returns that camera. */
function account(req: WireRequest, site: SiteState, env: Env): { target: CameraState; cam?: CameraState } {
  if (req.protocol === 'http') {
    const device = site.cameras[0];
    device.counters.onvifRequests += 1;
    env.totals.onvifRequests += 1;
    return { target: device };
  }
  const cam = cameraForRtspTarget(site, req.target);
  const target = cam ?? site.cameras[0];
  target.counters.rtspRequests += 1;
  if (req.method === 'DESCRIBE') target.counters.rtspDescribes += 1;
  env.totals.rtspRequests += 1;
  return { target, cam };
}

/** Connection-level faults: true when the fault took the connection over (no normal answer). */
function misbehave(fault: FaultKind, conn: Conn, req: WireRequest): boolean {
  switch (fault) {
    case 'down': // the port is still open for another protocol or channel: closest to refused is a reset
    case 'reset':
      resetConnection(conn);
      return true;
    case 'hang':
      return true;
    case 'garbage':
      sendGarbage(conn);
      return true;
    case 'flood':
      flood(conn, floodHead(req));
      return true;
    default:
      return false;
  }
}

function deliveryFor(fault: FaultKind, slowMs: number): Delivery {
  if (fault === 'slow') return { mode: 'slow', delayMs: slowMs };
  if (fault === 'trickle') return { mode: 'trickle' };
  return { mode: 'normal' };
}

/** Registers the connection with its site and totals; undoes it all (timers included) on close. */
function track(socket: Socket, site: SiteState, env: Env): Conn {
  const conn: Conn = { socket, timers: new Set() };
  site.conns.add(conn);
  env.totals.connections += 1;
  env.totals.openConnections += 1;
  socket.setTimeout(env.idleTimeoutMs, () => socket.destroy());
  socket.on('error', () => {
    // clients reset and vanish all the time; the 'close' handler cleans up
  });
  socket.on('close', () => {
    for (const t of conn.timers) clearTimeout(t);
    conn.timers.clear();
    site.conns.delete(conn);
    env.totals.openConnections -= 1;
  });
  return conn;
}

/** Takes ownership of an accepted socket for `site`; cleans up after itself on close. */
export function serveConnection(socket: Socket, site: SiteState, env: Env): void {
  const conn = track(socket, site, env);
  const queue: WireRequest[] = [];
  let busy = false;
  let finished = false; // a fault took over or the connection is closing: ignore further requests

  const handle = (req: WireRequest): void => {
    const { target, cam } = account(req, site, env);
    const fault = req.protocol === 'rtsp' ? target.fault.rtsp : target.fault.onvif;
    if (misbehave(fault, conn, req)) {
      finished = true;
      return;
    }
    const answer = req.protocol === 'rtsp' ? handleRtsp(req, site, cam, env) : handleOnvif(req, target, env);
    if (answer.close) finished = true;
    busy = true;
    deliver(conn, answer.bytes, deliveryFor(fault, target.fault.slowMs), answer.close, () => {
      busy = false;
      pump();
    });
  };
  const pump = (): void => {
    while (!busy && !finished && queue.length > 0 && !socket.destroyed) handle(queue.shift() as WireRequest);
  };
  const reader = new RequestReader(
    (req) => {
      if (finished) return;
      queue.push(req);
      pump();
    },
    () => {
      finished = true;
      socket.end(); // not RTSP or HTTP (or oversized): hang up like an embedded server would
    },
  );
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
}
