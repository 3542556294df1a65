import type { Server as HttpServer } from 'node:http';
import pg from 'pg';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Logger } from '../logger.js';
import type { Principal } from '../domain/access.js';
import { Coalescer } from './coalescer.js';
import { guardSockets, type SocketAuthenticator } from './socket-auth.js';
import type { StateChangeEvent, StateEventBus } from '../events/state-events.js';
import type { ConsoleRepository } from '../storage/console.repository.js';
import type { Catalog } from '../services/registry/catalog.js';
import {
  COALESCE_MS,
  LEAD_MS,
  MAX_REPLAY,
  townRoom,
  type CameraStateEvent,
  type ClientToServerEvents,
  type HandshakeAuth,
  type ServerToClientEvents,
  type Snapshot,
  type ViewRequest,
} from './events.js';

const SNAPSHOT_SHARE_MS = 1000;

interface SocketData {
  towns: string[];
  /** The last view the client asked for, re-applied when an admin changes the user's towns. */
  view?: ViewRequest;
  principal?: Principal;
}

type ConsoleSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ConsoleServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeDeps {
  repo: ConsoleRepository;
  bus: StateEventBus;
  catalog: Catalog;
  logger: Logger;
  /** Set on a PostgreSQL server: several server processes share Socket.IO through its adapter. */
  databaseUrl?: string;
  /** Who may connect; without it every socket sees the county (tests of the channel alone). */
  authenticate?: SocketAuthenticator;
}

export interface RealtimeHub {
  io: ConsoleServer;
  /** Re-checks every socket's session or token now (after a sign-out everywhere, a revocation, a scope change). */
  revalidate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The console's live channel: a snapshot (or a replay of the gap) on connect, then state changes
 * from any worker coalesced into batches, each socket receiving only its towns, in seq order.
 */
export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): RealtimeHub {
  const io: ConsoleServer = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  let adapterPool: pg.Pool | undefined;
  if (deps.databaseUrl) {
    adapterPool = new pg.Pool({ connectionString: deps.databaseUrl, max: 3, connectionTimeoutMillis: 10_000 });
    adapterPool.on('error', () => undefined);
    // The adapter's LISTEN client has no error listener of its own; one still being acquired while the
    // hub closes outlives it, and a server restart would then crash the process.
    adapterPool.on('connect', (client) => client.on('error', (err) => deps.logger.warn('socket.io adapter connection lost', { error: err })));
    io.adapter(createAdapter(adapterPool, { errorHandler: (err) => deps.logger.warn('socket.io adapter error', { error: err }) }));
  }

  const allTowns = deps.catalog.towns.entries.map((t) => t.code);
  const viewOf = (socket: ConsoleSocket, view?: ViewRequest): string[] => {
    const scope = socket.data.principal?.towns;
    const allowed = scope ? allTowns.filter((t) => scope.includes(t)) : allTowns;
    const wanted = Array.isArray(view?.towns) ? view.towns.filter((t) => typeof t === 'string') : [];
    const chosen = wanted.length > 0 ? allowed.filter((t) => wanted.includes(t)) : allowed;
    return chosen;
  };
  // A reconnect storm (every wall screen after a server restart) shares one snapshot per view while
  // nothing new has been logged (same max seq) for up to a second: identical content, one query.
  const recent = new Map<string, { at: number; value: Promise<Snapshot> }>();
  const snapshot = async (towns: string[]): Promise<Snapshot> => {
    const seq = await deps.repo.maxSeq();
    const key = `${seq}|${towns.join(',')}`;
    const hit = recent.get(key);
    if (hit && Date.now() - hit.at < SNAPSHOT_SHARE_MS) return hit.value;
    const value = Promise.all([deps.repo.counts(towns), deps.repo.summaries(towns)]).then(([counts, cameras]) => ({
      seq,
      at: new Date().toISOString(),
      counts,
      cameras,
    }));
    for (const [k, v] of recent) if (Date.now() - v.at >= SNAPSHOT_SHARE_MS) recent.delete(k);
    recent.set(key, { at: Date.now(), value });
    value.catch(() => recent.delete(key));
    return value;
  };
  const enterRooms = (socket: ConsoleSocket, towns: string[]) => {
    for (const room of socket.rooms) if (room.startsWith('town:') || room.startsWith('view:')) void socket.leave(room);
    socket.data.towns = towns;
    void socket.join([...towns.map(townRoom), viewRoom(towns)]);
  };

  io.on('connection', (socket) => {
    void (async () => {
      const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
      socket.data.view = auth.view;
      const towns = viewOf(socket, auth.view);
      const lastSeq = Number.isSafeInteger(auth.lastSeq) && auth.lastSeq! >= 0 ? auth.lastSeq! : undefined;
      const gap = lastSeq === undefined ? undefined : await deps.repo.changesSince(lastSeq, MAX_REPLAY + 1, towns);
      if (gap && gap.length <= MAX_REPLAY) {
        // Join and send in one synchronous step so no live batch slips in between.
        enterRooms(socket, towns);
        if (gap.length > 0) socket.emit('camera:state', gap);
        socket.emit('town:counts', { towns, counts: await deps.repo.counts(towns) });
        socket.emit('state:resumed', { from: lastSeq!, to: gap.at(-1)?.seq ?? lastSeq!, replayed: gap.length });
        await catchUp(socket, gap.at(-1)?.seq ?? lastSeq!);
      } else {
        const snap = await snapshot(towns);
        enterRooms(socket, towns);
        socket.emit('state:snapshot', snap);
        await catchUp(socket, snap.seq);
      }
    })().catch((err: Error) => {
      deps.logger.error('console sync failed', { error: err });
      socket.disconnect(true);
    });

    socket.on('view:set', (view, ack) => {
      if (typeof ack !== 'function') return;
      socket.data.view = view;
      const towns = viewOf(socket, view);
      void snapshot(towns)
        .then((snap) => {
          enterRooms(socket, towns);
          ack(snap);
        })
        .catch((err: Error) => deps.logger.error('view change failed', { error: err }));
    });
  });

  /** Changes committed while the first sync was being built (the client ignores seqs it has). */
  const catchUp = async (socket: ConsoleSocket, after: number) => {
    const missed = await deps.repo.changesSince(after, MAX_REPLAY, socket.data.towns);
    if (missed.length > 0 && socket.connected) socket.emit('camera:state', missed);
  };

  // An admin changed a connected user's towns: same view, new scope, fresh snapshot.
  const guard = deps.authenticate
    ? guardSockets(io, deps.authenticate, deps.logger, (socket) => {
        const s = socket as ConsoleSocket;
        const towns = viewOf(s, s.data.view);
        void snapshot(towns)
          .then((snap) => {
            enterRooms(s, towns);
            s.emit('state:snapshot', snap);
          })
          .catch((err: Error) => deps.logger.error('re-scoping a socket failed', { error: err }));
      })
    : { stop: () => undefined, revalidateNow: async () => undefined };

  const batches = new Coalescer<StateChangeEvent>(
    (batch) => broadcast(io, deps.repo, batch.sort((a, b) => a.seq - b.seq)),
    { windowMs: COALESCE_MS, leadMs: LEAD_MS },
    (err) => deps.logger.error('console broadcast failed', { error: err }),
  );
  const unsubscribe = deps.bus.subscribe((events) => batches.push(events));

  return {
    io,
    revalidate: () => guard.revalidateNow(),
    async close() {
      batches.close();
      guard.stop();
      unsubscribe();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      // The adapter keeps a LISTEN connection; never let shutdown wait on it for long.
      if (adapterPool) await Promise.race([adapterPool.end(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    },
  };
}

/**
 * Per batch, each socket receives its towns' changes in seq order, then the authoritative counts of
 * the towns touched. Sockets with the same view share a room, so each distinct view's message is
 * encoded once however many screens show it. The changes go out before the counts are read, so the
 * counts query never delays them. Local sockets only — every server hears workers itself.
 */
async function broadcast(io: ConsoleServer, repo: ConsoleRepository, batch: StateChangeEvent[]): Promise<void> {
  const touched = [...new Set(batch.map((e) => e.town))];
  const views = new Map<string, Set<string>>();
  for (const socket of io.of('/').sockets.values()) {
    if (socket.data.towns) views.set(viewRoom(socket.data.towns), new Set(socket.data.towns));
  }
  const reached: Array<[string, Set<string>]> = [];
  for (const [room, towns] of views) {
    const mine: CameraStateEvent[] = batch.filter((e) => towns.has(e.town));
    if (mine.length === 0) continue;
    io.local.to(room).emit('camera:state', mine);
    reached.push([room, towns]);
  }
  if (reached.length === 0) return;
  const counts = await repo.counts(touched);
  for (const [room, towns] of reached) {
    io.local.to(room).emit('town:counts', { towns: touched.filter((t) => towns.has(t)), counts: counts.filter((c) => towns.has(c.town)) });
  }
}

/** The room of everyone whose view is exactly these towns. */
function viewRoom(towns: readonly string[]): string {
  return `view:${towns.join(',')}`;
}
