/**
 * Pure planning of a fleet: loopback addresses, NVR grouping and the seeded per-camera choices
 * (auth mode, qop, realm, codec, fault style). No sockets here.
 */
import type { Credentials, FleetOptions, Mix, RtspAuthMode, SimCamera, VendorId } from './types.js';

/** First camera address when none is given. */
export const DEFAULT_BASE_ADDRESS = '127.1.0.1';
/** Camera port (RTSP and ONVIF) when none is given. */
export const DEFAULT_PORT = 8554;
/** Credentials of every camera when none are given. */
export const DEFAULT_CREDENTIALS: Credentials = { username: 'admin', password: 'admin12345' };
/** Vendor rotation when none is given (camera index modulo 4). */
export const DEFAULT_VENDORS: readonly VendorId[] = ['hikvision', 'axis', 'dlink', 'happytimesoft'];

/** Model reported by each vendor's GetDeviceInformation fixture. */
const MODELS: Record<VendorId, string> = {
  hikvision: 'DS-2CD2012-I',
  axis: 'AXIS Q6045-E',
  dlink: 'DCS-6511',
  happytimesoft: 'IPCamera',
};

/** One listening address and the cameras (1, or an NVR's channels) it serves. */
export interface AddressPlan {
  host: string;
  /** Indexes into the camera list; the first one is the ONVIF device of the address. */
  cameraIndexes: number[];
}

/** Cameras (by index) and the addresses that serve them. */
export interface FleetPlan {
  cameras: SimCamera[];
  addresses: AddressPlan[];
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * `n` loopback addresses from `base` upward, skipping host bytes .0 and .255.
 * Throws when `base` is not in 127.0.0.0/8 or the range would leave it.
 */
export function loopbackAddresses(base: string, n: number): string[] {
  let cur = ipToInt(base);
  if (cur >>> 24 !== 127) throw new Error(`base address must be in 127.0.0.0/8, got ${base}`);
  const out: string[] = [];
  while (out.length < n) {
    const last = cur & 255;
    if (last !== 0 && last !== 255) out.push(intToIp(cur));
    cur += 1;
    if (cur >>> 24 !== 127) throw new Error(`${n} addresses from ${base} leave 127.0.0.0/8`);
  }
  return out;
}

/** Picks a key of `mix` with probability proportional to its weight. */
export function pick<K extends string>(mix: Mix<K>, r: number): K {
  const entries = Object.entries(mix).filter(([, w]) => typeof w === 'number' && w > 0) as Array<[K, number]>;
  if (entries.length === 0) throw new Error('a mix needs at least one positive weight');
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [k, w] of entries) {
    if ((x -= w) < 0) return k;
  }
  return entries[entries.length - 1][0];
}

/** Groups camera indexes by address: NVR groups first, then one address per camera. */
function groupIndexes(options: FleetOptions): number[][] {
  const groups: number[][] = [];
  let next = 0;
  for (const nvr of options.nvr ?? []) {
    if (!Number.isInteger(nvr.channels) || nvr.channels < 1 || nvr.channels > 99) {
      throw new Error(`NVR channels must be 1..99, got ${nvr.channels}`);
    }
    const members = Array.from({ length: nvr.channels }, (_, k) => next + k);
    next += nvr.channels;
    groups.push(members);
  }
  if (next > options.count) throw new Error(`NVR channels (${next}) exceed count (${options.count})`);
  for (; next < options.count; next += 1) groups.push([next]);
  return groups;
}

/** Builds the camera list and address plan for `options` (deterministic for a given seed). */
export function planFleet(options: FleetOptions): FleetPlan {
  if (!Number.isInteger(options.count) || options.count < 1) throw new Error('count must be a positive integer');
  const groups = groupIndexes(options);
  const hosts = loopbackAddresses(options.baseAddress ?? DEFAULT_BASE_ADDRESS, groups.length);
  const random = seededRandom(options.seed ?? 1);
  const auth: Mix<RtspAuthMode> = typeof options.auth === 'object' ? options.auth : { [options.auth ?? 'digest']: 1 };
  const vendors = options.vendors?.length ? options.vendors : DEFAULT_VENDORS;
  const creds = options.credentials ?? DEFAULT_CREDENTIALS;
  const port = options.port ?? DEFAULT_PORT;
  const cameras: SimCamera[] = new Array(options.count);
  const addresses: AddressPlan[] = groups.map((members, g) => {
    const host = hosts[g];
    const device = members[0];
    const vendor = vendors[device % vendors.length];
    const serialNumber = `SIM${String(device).padStart(8, '0')}`;
    const realms = ['IP Camera', `Login to ${serialNumber}`, 'Surveillance Server'];
    const { username, password } = typeof creds === 'function' ? creds(device) : creds;
    // One server per address: an NVR's channels share auth, realm and fault style.
    const shared = {
      host, port, username, password, vendor, model: MODELS[vendor], serialNumber,
      rtspAuth: pick(auth, random()),
      digestQop: random() < (options.digestQopRatio ?? 0.5),
      realm: options.realm ?? realms[Math.floor(random() * realms.length)],
      onvifAuthStyle: random() < 0.5 ? ('axis' as const) : ('dvc' as const),
      ...(g < (options.nvr?.length ?? 0) ? { nvrGroup: g } : {}),
    };
    members.forEach((index, k) => {
      const codec = random() < (options.h265Ratio ?? 0) ? ('h265' as const) : ('h264' as const);
      cameras[index] = withPort({ index, ...shared, codec, channel: k + 1, rtspUrl: '', onvifUrl: '' }, port);
    });
    return { host, cameraIndexes: members };
  });
  return { cameras, addresses };
}

/** The camera with its port (and both URLs) set to `port` (used once an ephemeral port is known). */
export function withPort(camera: SimCamera, port: number): SimCamera {
  return {
    ...camera,
    port,
    rtspUrl: `rtsp://${camera.host}:${port}/Streaming/Channels/${camera.channel}01`,
    onvifUrl: `http://${camera.host}:${port}/onvif/device_service`,
  };
}
