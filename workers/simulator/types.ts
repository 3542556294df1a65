/**
 * Public types of the camera fleet simulator: N fake cameras on loopback, each answering RTSP
 * (OPTIONS/DESCRIBE) and ONVIF (SOAP 1.2) on one port, with per-camera faults switchable at run time.
 * Server-side code only; written independently of the project's probes (workers/probes/).
 */

/**
 * What a camera does with a request of one protocol.
 * - `none`      answer normally
 * - `down`      connection refused (the listener is closed once every camera on the address is down
 *               for both protocols; while the port stays open for the other protocol, `down` acts as `reset`)
 * - `reset`     accept, read the request, then reset the connection (TCP RST)
 * - `hang`      accept, read the request, never answer
 * - `auth`      always 401 (RTSP DESCRIBE) / NotAuthorized fault (ONVIF calls that need credentials)
 * - `notfound`  RTSP 404 on DESCRIBE / HTTP 404 on every ONVIF request
 * - `garbage`   random binary bytes, then close
 * - `slow`      the normal answer, after `slowMs`
 * - `trickle`   the normal answer, one byte every 500 ms
 * - `flood`     a response head, then body bytes without end until the client closes (backpressured)
 * - `novideo`   RTSP DESCRIBE answers an audio-only SDP (ONVIF: same as `none`)
 */
export type FaultKind =
  | 'none'
  | 'down'
  | 'reset'
  | 'hang'
  | 'auth'
  | 'notfound'
  | 'garbage'
  | 'slow'
  | 'trickle'
  | 'flood'
  | 'novideo';

/** Every fault kind, in a stable order (validation, CLI help, tests). */
export const FAULT_KINDS: readonly FaultKind[] = [
  'none', 'down', 'reset', 'hang', 'auth', 'notfound', 'garbage', 'slow', 'trickle', 'flood', 'novideo',
];

/** The fault state of one camera. */
export interface CameraFault {
  rtsp: FaultKind;
  onvif: FaultKind;
  /** Delay used by the `slow` fault, in milliseconds. */
  slowMs: number;
  /** Camera clock = real clock + skewSeconds (ONVIF GetSystemDateAndTime). */
  skewSeconds: number;
}

/** How a camera's RTSP server asks for credentials on DESCRIBE. `both` offers Digest and Basic. */
export type RtspAuthMode = 'digest' | 'basic' | 'both' | 'none';

/** Vendors whose real ONVIF answers the simulator replays (see fixtures/SOURCES.md). */
export type VendorId = 'hikvision' | 'axis' | 'dlink' | 'happytimesoft';

/** Video codec announced in the SDP. */
export type VideoCodec = 'h264' | 'h265';

/**
 * How a camera refuses a bad WS-Security token: `axis` = HTTP 400 + ter:NotAuthorized fault,
 * `dvc` = HTTP 401 + gSOAP fault without subcode (both real captures).
 */
export type OnvifAuthStyle = 'axis' | 'dvc';

/** A username and password pair (RTSP and ONVIF use the same). */
export interface Credentials {
  username: string;
  password: string;
}

/** One simulated camera (or one NVR channel) as a client sees it. */
export interface SimCamera {
  index: number;
  host: string;
  port: number;
  /** rtsp://host:port/Streaming/Channels/<channel>01 — no credentials inside. */
  rtspUrl: string;
  /** http://host:port/onvif/device_service (shared by all channels of an NVR). */
  onvifUrl: string;
  username: string;
  password: string;
  vendor: VendorId;
  /** Model and serial number reported by ONVIF GetDeviceInformation. */
  model: string;
  serialNumber: string;
  rtspAuth: RtspAuthMode;
  /** Digest realm (also the Basic realm). */
  realm: string;
  /** Whether the Digest challenge carries qop="auth" (then the client must answer with qop). */
  digestQop: boolean;
  codec: VideoCodec;
  onvifAuthStyle: OnvifAuthStyle;
  /** Index of the NVR group when the camera is an NVR channel. */
  nvrGroup?: number;
  /** Channel number inside the NVR (1-based); 1 for a stand-alone camera. */
  channel: number;
}

/** A ratio table such as `{ digest: 0.6, basic: 0.2, none: 0.2 }` (weights, need not sum to 1). */
export type Mix<K extends string> = Partial<Record<K, number>>;

/** Options of startFleet; only `count` is required. */
export interface FleetOptions {
  /** Number of cameras (NVR channels included). */
  count: number;
  /** First camera address; later ones count upward skipping .0 and .255 host bytes. Default 127.1.0.1. */
  baseAddress?: string;
  /** Port of every camera (RTSP and HTTP). Default 8554; 0 = an ephemeral port per address (tests). */
  port?: number;
  /** RTSP authentication: one mode for all, or a seeded mix. Default `digest`. */
  auth?: RtspAuthMode | Mix<RtspAuthMode>;
  /** Share of Digest cameras whose challenge carries qop="auth" (0..1). Default 0.5. */
  digestQopRatio?: number;
  /** Digest/Basic realm for every camera; default varies per camera like real devices do. */
  realm?: string;
  /** Same credentials for every camera, or a function of the camera index. Default admin / admin12345. */
  credentials?: Credentials | ((index: number) => Credentials);
  /** NVR groups, placed first: each is one address serving `channels` cameras. */
  nvr?: Array<{ channels: number }>;
  /** Share of cameras announcing H.265 instead of H.264 (0..1). Default 0. */
  h265Ratio?: number;
  /** Vendor rotation (camera index modulo length). Default hikvision, axis, dlink, happytimesoft. */
  vendors?: VendorId[];
  /** Seed of every random per-camera choice (auth mix, qop, codec, fault style). Default 1. */
  seed?: number;
  /** Listen backlog per camera. Default 1024. */
  backlog?: number;
  /** Idle connections (including hung and flooded ones) are closed after this. Default 120000 ms. */
  idleTimeoutMs?: number;
  /** If > 0, a WS-Security `Created` further than this from the camera clock is refused. Default 0 (off). */
  wsseMaxSkewSeconds?: number;
}

/** Request counters of one camera. */
export interface CameraCounters {
  index: number;
  rtspRequests: number;
  rtspDescribes: number;
  onvifRequests: number;
  /**
   * Requests whose credentials were refused, plus `auth`-fault refusals (a first challenge to a
   * request without credentials is not counted).
   */
  authFailures: number;
}

/** Fleet-wide totals, and per-camera counters unless `perCamera: false`. */
export interface FleetStats {
  rtspRequests: number;
  onvifRequests: number;
  /** Connections currently open on camera ports. */
  openConnections: number;
  /** Connections accepted since start (or the last resetStats). */
  connections: number;
  /** Cameras currently down for both protocols. */
  downCameras: number;
  perCamera?: CameraCounters[];
}

/** A running fleet. */
export interface Fleet {
  /** Every camera, by index; ports are the bound ones (also when started with port 0). */
  readonly cameras: readonly SimCamera[];
  /**
   * Changes some of a camera's switches (others keep their value); the next request sees them.
   * Throws at once on an unknown fault kind or index; resolves once the listener matches (`down`).
   */
  setFault(index: number, fault: Partial<CameraFault>): Promise<void>;
  /** A copy of the camera's current switches. */
  getFault(index: number): CameraFault;
  /** Down for both protocols: connection refused once all cameras on the address are down. */
  kill(index: number): Promise<void>;
  /** Clears `down` on both protocols and listens again on the same address and port. */
  revive(index: number): Promise<void>;
  /** Totals; per-camera counters too unless `perCamera: false` (10,000 objects at full scale). */
  stats(options?: { perCamera?: boolean }): FleetStats;
  /** A copy of one camera's request counters. */
  counters(index: number): CameraCounters;
  /** Zeroes every counter and the request/connection totals (open connections stay as they are). */
  resetStats(): void;
  /** Closes every listener and connection; the fleet cannot be restarted. */
  stop(): Promise<void>;
}
