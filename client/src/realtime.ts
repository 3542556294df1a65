/**
 * The live channel (Socket.IO, same origin). The handshake `auth` is a function, so every reconnect
 * sends the latest `lastSeq`: the server replays the gap (or sends a fresh snapshot when it is too
 * large). While disconnected the last known state stays on screen, marked reconnecting and — after
 * STALE_AFTER_MS — stale; the console never shows a false "all offline".
 */
import { computed, reactive } from 'vue';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../../server/realtime/events';
import { now } from './clock';
import { applyChanges, applySnapshot, applyTownCounts, clearLive, resumeSeq } from './live/store';
import { confirmSession, endSession, requirePasswordChange } from './session';

export const STALE_AFTER_MS = 5000;

export type ConnState = 'connecting' | 'live' | 'reconnecting' | 'stale';

export const conn = reactive({
  /** Connected and in sync (snapshot or resume received). */
  live: false,
  everSynced: false,
  /** Browser time the connection was lost (null while live). */
  downSince: null as number | null,
  /** Browser time the last message arrived. */
  lastDataAt: null as number | null,
});

export const connState = computed<ConnState>(() => {
  if (conn.live) return 'live';
  if (!conn.everSynced) return 'connecting';
  const down = conn.downSince ?? now.value;
  return now.value - down > STALE_AFTER_MS ? 'stale' : 'reconnecting';
});

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
let socket: ConsoleSocket | undefined;
let replaying = false;

function handshake(): HandshakeAuth {
  const lastSeq = resumeSeq();
  // All towns by default (no `view`): the board and map show the whole county.
  return lastSeq === undefined ? {} : { lastSeq };
}

function markData(): void {
  conn.lastDataAt = Date.now();
}

function synced(): void {
  conn.live = true;
  conn.everSynced = true;
  conn.downSince = null;
  replaying = false;
}

function lost(): void {
  if (conn.live || conn.downSince === null) conn.downSince = Date.now();
  conn.live = false;
}

/** Closes the socket and forgets the live state (sign-out); `connectRealtime` starts afresh. */
export function disconnectRealtime(): void {
  const s = socket;
  socket = undefined;
  s?.disconnect();
  clearLive();
  Object.assign(conn, { live: false, everSynced: false, downSince: null, lastDataAt: null });
  replaying = false;
}

/** Connects once; safe to call again. */
export function connectRealtime(): ConsoleSocket {
  if (socket) return socket;
  const s: ConsoleSocket = io({
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    auth: (cb) => cb(handshake() as Record<string, unknown>),
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    timeout: 10_000,
  });
  socket = s;

  s.on('connect', () => {
    performance.mark('sem:connect');
    // A resume replays the gap before `state:resumed`; those events are marked as replayed.
    replaying = resumeSeq() !== undefined;
  });
  s.on('disconnect', (reason) => {
    lost();
    // The server closed the socket on purpose (e.g. a failed sync): retry ourselves, gently.
    if (reason === 'io server disconnect') window.setTimeout(() => socket === s && s.connect(), 2000);
  });
  s.on('connect_error', (err) => {
    lost();
    // The handshake is authenticated by the session cookie: without one there is nothing to retry.
    if (err.message === 'unauthenticated') endSession('expired');
    if (err.message === 'password_change_required') requirePasswordChange();
  });
  // Usually the end of this session — unless a password change here just replaced it: ask first.
  s.on('session:ended', () => void confirmSession());

  s.on('state:snapshot', (snap) => {
    performance.mark('sem:snapshot');
    markData();
    applySnapshot(snap);
    synced();
  });
  s.on('camera:state', (events) => {
    markData();
    applyChanges(events, replaying);
  });
  s.on('town:counts', (update) => {
    markData();
    applyTownCounts(update.towns, update.counts);
  });
  s.on('state:resumed', () => {
    markData();
    synced();
  });
  return s;
}
