/**
 * The console's real-time protocol, shared by the server and the client (type-only import).
 * Events are `resource:verb`. Every camera state change carries `seq`, the id of its outage-log
 * row: monotonically increasing and durable, so a client that reconnects — even to a restarted
 * server — resumes from its last seq (the server replays the gap from the outage log) or, when the
 * gap is too large, receives a fresh snapshot.
 */

import type { CameraStatus } from '../domain/camera.js';

export type { CameraStatus };

/** Active cameras of one town × network in one state. */
export interface CountCell {
  town: string;
  network: string;
  status: CameraStatus;
  count: number;
}

/** What the console needs of a camera to draw it on the map and in lists. */
export interface CameraSummary {
  id: string;
  deviceId: string;
  name: string;
  town: string;
  network: string;
  pointClass: number | null;
  status: CameraStatus;
  /** ISO time the current status began (null while unknown). */
  since: string | null;
  cause: string | null;
  lng: number | null;
  lat: number | null;
}

export interface CameraStateEvent {
  seq: number;
  cameraId: string;
  deviceId: string;
  name: string;
  town: string;
  network: string;
  from: CameraStatus;
  to: CameraStatus;
  /** ISO time of the change. */
  at: string;
  cause: string | null;
}

export interface Snapshot {
  /** The highest outage-log id reflected in this snapshot; resume from here. */
  seq: number;
  /** ISO server time the snapshot was taken. */
  at: string;
  counts: CountCell[];
  /** Cameras in the client's view (its towns), every active one. */
  cameras: CameraSummary[];
}

/** The view a client asks for; towns outside the caller's scope are ignored. */
export interface ViewRequest {
  /** Town codes; empty or absent = every town the client may see. */
  towns?: string[];
}

/** Sent in the Socket.IO handshake `auth` field. */
export interface HandshakeAuth {
  /** Last seq the client applied; absent on first connect. */
  lastSeq?: number;
  view?: ViewRequest;
  /** An API token, for clients that cannot send the session cookie or an Authorization header. */
  token?: string;
}

export interface ServerToClientEvents {
  /** Full state: on first connect, or when the gap since `lastSeq` is too large to replay. */
  'state:snapshot': (snapshot: Snapshot) => void;
  /** A coalesced batch of changes in seq order: the first of a quiet period at once, then at most one per 250 ms. */
  'camera:state': (events: CameraStateEvent[]) => void;
  /** Authoritative counts of the towns touched by the last batch (replaces those towns' cells). */
  'town:counts': (update: { towns: string[]; counts: CountCell[] }) => void;
  /** After a reconnect with `lastSeq`: how the gap was closed. */
  'state:resumed': (info: { from: number; to: number; replayed: number }) => void;
  /** The session expired, was signed out or the account disabled: the socket is closed next; sign in again. */
  'session:ended': () => void;
}

export interface ClientToServerEvents {
  /** Changes the view (the towns whose cameras and events the client receives); answers with a snapshot. */
  'view:set': (view: ViewRequest, ack: (snapshot: Snapshot) => void) => void;
}

/** Socket.IO room of a town: clients join the rooms of the towns in their view. */
export function townRoom(town: string): string {
  return `town:${town}`;
}

/** Batches start at most this often; 2,000 changes in a second become a handful of messages. */
export const COALESCE_MS = 250;
/** The first change after a quiet window goes out after this little (leading edge), not a whole window. */
export const LEAD_MS = 10;
/** A gap larger than this is answered with a snapshot instead of a replay. */
export const MAX_REPLAY = 2000;
