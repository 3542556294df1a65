/**
 * The socket-level misbehaviours behind the fault switches: reset, garbage, flood (with
 * backpressure), slow and trickle delivery. Every timer is owned by a `Conn` and cleared on close.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

/** One accepted connection and the timers that must die with it. */
export interface Conn {
  socket: Socket;
  timers: Set<NodeJS.Timeout>;
}

/** Pause between two bytes of a `trickle` answer. */
export const TRICKLE_INTERVAL_MS = 500;
const FLOOD_CHUNK = Buffer.from(`a=x-flood:${'A'.repeat(1012)}\r\n`.repeat(64), 'latin1'); // 64 KiB, shared

/** Runs `fn` after `ms` unless the connection closes first. */
export function later(conn: Conn, ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    conn.timers.delete(t);
    if (!conn.socket.destroyed) fn();
  }, ms);
  conn.timers.add(t);
}

/** Aborts the connection with a TCP RST (the client sees ECONNRESET). */
export function resetConnection(conn: Conn): void {
  if (!conn.socket.destroyed) conn.socket.resetAndDestroy();
}

/** Writes 64–511 random bytes (first byte ≥ 0x80, so never a status line), then closes. */
export function sendGarbage(conn: Conn): void {
  const junk = randomBytes(64 + Math.floor(Math.random() * 448));
  junk[0] |= 0x80;
  conn.socket.end(junk);
}

/**
 * Writes `head`, then the same shared 64 KiB chunk over and over until the client goes away. Waits
 * for 'drain' whenever the socket buffer is full, so a slow or stalled reader costs one chunk of
 * queue, not unbounded memory.
 */
export function flood(conn: Conn, head: Buffer): void {
  const { socket } = conn;
  const pump = (): void => {
    while (!socket.destroyed && socket.write(FLOOD_CHUNK)) {
      // keep writing while the kernel takes it
    }
    if (!socket.destroyed) socket.once('drain', pump);
  };
  socket.write(head);
  pump();
}

/** How a complete answer reaches the client. */
export type Delivery = { mode: 'normal' } | { mode: 'slow'; delayMs: number } | { mode: 'trickle' };

/**
 * Sends `bytes` as `delivery` says, then calls `done` (or ends the socket when `close`).
 * Trickle writes one byte every TRICKLE_INTERVAL_MS, the first one immediately.
 */
export function deliver(conn: Conn, bytes: Buffer, delivery: Delivery, close: boolean, done: () => void): void {
  const finish = (): void => {
    if (close) conn.socket.end();
    else done();
  };
  if (delivery.mode === 'slow') {
    later(conn, delivery.delayMs, () => deliver(conn, bytes, { mode: 'normal' }, close, done));
    return;
  }
  if (delivery.mode === 'normal') {
    conn.socket.write(bytes);
    finish();
    return;
  }
  let i = 0;
  const step = (): void => {
    conn.socket.write(bytes.subarray(i, i + 1));
    i += 1;
    if (i < bytes.length) later(conn, TRICKLE_INTERVAL_MS, step);
    else finish();
  };
  step();
}
