import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, CountCell, HandshakeAuth, ServerToClientEvents, Snapshot, CameraStateEvent } from '../../server/realtime/events.js';
import type { StateChangeEvent } from '../../server/events/state-events.js';
import { CameraRepository, type StoredCameraFields } from '../../server/storage/camera.repository.js';
import type { Database } from '../../server/storage/db.js';
import { reset } from './backends.js';
import { deviceId } from './cameras.js';
import type { TestServer } from './test-server.js';

/** Console-channel helpers shared by the realtime suites: cameras, simulated state changes, recording clients. */
export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
export const TOWNS = ['jianping', 'shizi', 'meizhu'];

export function fields(i: number): StoredCameraFields {
  return {
    deviceId: deviceId(i), idEdition: '2016', name: `cam ${i}`, network: i % 2 ? 'sky' : 'ground', town: TOWNS[i % 3],
    village: null, address: null, longitude: 119 + i / 1000, latitude: 31, pointClass: 1, vendor: null, model: null, installDate: null,
    ownerUnit: null, maintainer: null, tags: [], onvifUrl: null, rtspMainUrl: null, rtspSubUrl: null, username: null, passwordEnc: null,
  };
}

/** Records outage rows and camera statuses as a worker would, then announces them on the bus. */
export async function change(sut: TestServer, cameras: Array<{ id: string; device_id: string; town_code: string }>, to: 'offline' | 'online'): Promise<StateChangeEvent[]> {
  const at = new Date();
  const rows = await sut.ctx.db.query<{ id: number; camera_id: string }>(
    `INSERT INTO outage_log (camera_id, town_code, network_code, from_status, to_status, at, cause)
     SELECT id, town_code, network_code, status, $2, $3, 'host down: rtsp: timeout' FROM cameras WHERE id = ANY($1::uuid[]) RETURNING id, camera_id`,
    [cameras.map((c) => c.id), to, at]);
  await sut.ctx.db.query(`UPDATE cameras SET status = $2, status_since = $3 WHERE id = ANY($1::uuid[])`, [cameras.map((c) => c.id), to, at]);
  const seqOf = new Map(rows.map((r) => [r.camera_id, r.id]));
  const events = cameras.map((c) => ({
    seq: seqOf.get(c.id)!, cameraId: c.id, deviceId: c.device_id, name: 'cam', town: c.town_code, network: 'sky',
    from: (to === 'offline' ? 'online' : 'offline') as StateChangeEvent['from'], to, at: at.toISOString(), cause: 'host down: rtsp: timeout',
  }));
  await sut.ctx.bus.publish(events);
  return events;
}

/** A console client that records everything it receives. */
export function client(server: Pick<TestServer, 'origin'> & { adminToken?: string }, auth: HandshakeAuth = {}, headers: Record<string, string> = {}) {
  const received: { ended: number; errors: string[]; snapshots: Snapshot[]; events: CameraStateEvent[]; messages: number; counts: CountCell[][]; resumed: unknown[] } = { ended: 0, errors: [], snapshots: [], events: [], messages: 0, counts: [], resumed: [] };
  const token = server.adminToken && !headers.cookie ? { token: server.adminToken } : {};
  const socket: Client = connect(server.origin, { auth: { ...token, ...auth }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers });
  socket.on('state:snapshot', (s) => received.snapshots.push(s));
  socket.on('camera:state', (e) => (received.messages++, received.events.push(...e)));
  socket.on('town:counts', (c) => received.counts.push(c.counts));
  socket.on('state:resumed', (r) => received.resumed.push(r));
  socket.on('session:ended', () => received.ended++);
  socket.on('connect_error', (err) => received.errors.push(err.message));
  return { socket, received };
}

export async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}


export type SeededCamera = { id: string; device_id: string; town_code: string };

/** Empties the tables and registers 600 cameras spread over TOWNS; returns them by device ID. */
export async function seedCameras(db: Database): Promise<SeededCamera[]> {
  await reset(db);
  await new CameraRepository(db).insertMany(Array.from({ length: 600 }, (_, i) => fields(i + 1)));
  return db.query<SeededCamera>('SELECT id, device_id, town_code FROM cameras ORDER BY device_id');
}
