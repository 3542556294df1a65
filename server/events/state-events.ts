import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { CameraStateEvent } from '../realtime/events.js';

/** One camera state change, as workers announce it and the console shows it (seq = its outage-log id). */
export type StateChangeEvent = CameraStateEvent;

export type StateChangeHandler = (events: StateChangeEvent[]) => void;

/**
 * How state changes travel from any worker to every server process: LISTEN/NOTIFY on a
 * PostgreSQL server, an in-process emitter in embedded mode (through pglite-socket a NOTIFY only
 * reaches the connection that sent it, so it cannot cross connections there). Same interface.
 */
export interface StateEventBus {
  publish(events: StateChangeEvent[]): Promise<void>;
  subscribe(handler: StateChangeHandler): () => void;
  close(): Promise<void>;
}

export class InProcessEventBus implements StateEventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(events: StateChangeEvent[]): Promise<void> {
    if (events.length > 0) this.emitter.emit('changes', events);
  }

  subscribe(handler: StateChangeHandler): () => void {
    this.emitter.on('changes', handler);
    return () => this.emitter.off('changes', handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

export const STATE_CHANNEL = 'sem_camera_state';
// NOTIFY payloads must stay under 8000 bytes; batches are split to fit.
const MAX_PAYLOAD = 7000;

/** LISTEN/NOTIFY bus for several processes on one PostgreSQL server. */
export class PgNotifyEventBus implements StateEventBus {
  private readonly local = new InProcessEventBus();
  private listener: pg.PoolClient | undefined;
  private listening: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly connect: () => Promise<pg.PoolClient>, private readonly onError: (err: Error) => void = () => undefined) {}

  async publish(events: StateChangeEvent[]): Promise<void> {
    if (events.length === 0) return;
    const client = await this.connect();
    try {
      // One statement, one transaction: every part of the batch is delivered together at commit (in
      // order), so a listener's leading-edge flush sends the whole burst, not its first 7 kB.
      await client.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [STATE_CHANNEL, chunkPayloads(events)]);
    } finally {
      client.release();
    }
  }

  subscribe(handler: StateChangeHandler): () => void {
    const off = this.local.subscribe(handler);
    void this.ensureListening().catch((err: Error) => this.onError(err));
    return off;
  }

  /** Resolves once LISTEN is in place (subscribe starts it; tests and servers may await it). */
  ensureListening(): Promise<void> {
    this.listening ??= this.listen().catch((err: Error) => {
      this.listening = undefined;
      throw err;
    });
    return this.listening;
  }

  private async listen(): Promise<void> {
    const client = await this.connect();
    this.listener = client;
    client.on('notification', (msg) => {
      if (msg.channel !== STATE_CHANNEL || !msg.payload) return;
      try {
        void this.local.publish(JSON.parse(msg.payload) as StateChangeEvent[]);
      } catch (err) {
        this.onError(err as Error);
      }
    });
    client.on('error', (err) => {
      // The server went away: drop this connection and listen again on a fresh one.
      this.onError(err);
      if (this.listener === client) this.relisten(client);
    });
    await client.query(`LISTEN ${STATE_CHANNEL}`);
  }

  private relisten(broken?: pg.PoolClient): void {
    this.listener = undefined;
    this.listening = undefined;
    broken?.release(true);
    if (this.closed) return;
    setTimeout(() => void this.ensureListening().catch((err: Error) => (this.onError(err), this.relisten())), 1000).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listening?.catch(() => undefined);
    const listener = this.listener;
    this.listener = undefined;
    this.listening = undefined;
    if (listener) {
      await listener.query(`UNLISTEN ${STATE_CHANNEL}`).catch(() => undefined);
      listener.release();
    }
    await this.local.close();
  }
}

/** Splits events into JSON arrays each under the NOTIFY payload limit. */
export function chunkPayloads(events: StateChangeEvent[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const event of events) {
    const json = JSON.stringify({ ...event, cause: event.cause && event.cause.length > 300 ? event.cause.slice(0, 300) + '…' : event.cause });
    const bytes = Buffer.byteLength(json);
    if (current.length > 0 && size + bytes + 1 > MAX_PAYLOAD) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += bytes + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}
