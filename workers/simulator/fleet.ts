/**
 * startFleet: N simulated cameras on loopback, one listener per address serving RTSP and ONVIF on
 * one port (so 10,000 cameras need 10,000 descriptors, within a 20,000 limit), with run-time faults.
 */
import { createServer, type AddressInfo } from 'node:net';
import { planFleet, withPort } from './camera-plan.js';
import { serveConnection } from './connection.js';
import { loadFixtures } from './fixtures.js';
import { NonceBook } from './rtsp-auth.js';
import { freshCounters, type CameraState, type Env, type SiteState } from './state.js';
import { FAULT_KINDS, type CameraFault, type Fleet, type FleetOptions, type FleetStats } from './types.js';

/** Delay of the `slow` fault until `slowMs` is set. */
export const DEFAULT_SLOW_MS = 2000;
const DEFAULT_BACKLOG = 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

function listen(site: SiteState, env: Env, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, (socket) => serveConnection(socket, site, env));
    const onError = (err: Error): void => reject(new Error(`cannot listen on ${site.host}:${site.port}: ${err.message}`));
    server.once('error', onError);
    server.listen({ host: site.host, port: site.port, backlog }, () => {
      server.off('error', onError);
      server.on('error', () => {
        // accept errors (e.g. EMFILE) are transient; the listener stays up
      });
      site.server = server;
      site.port = (server.address() as AddressInfo).port;
      resolve();
    });
  });
}

/** Closes the listener (new connects are refused at once) and drops the site's open connections. */
function close(site: SiteState): Promise<void> {
  const server = site.server;
  if (!server) return Promise.resolve();
  site.server = null;
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const conn of site.conns) conn.socket.destroy();
  });
}

/** Validates a fault patch; throws a message naming the bad field. */
export function checkFaultPatch(patch: Partial<CameraFault>): void {
  for (const key of ['rtsp', 'onvif'] as const) {
    const v = patch[key];
    if (v !== undefined && !FAULT_KINDS.includes(v)) throw new Error(`${key}: unknown fault "${String(v)}"`);
  }
  if (patch.slowMs !== undefined && !(Number.isFinite(patch.slowMs) && patch.slowMs >= 0)) {
    throw new Error('slowMs: must be a number ≥ 0');
  }
  if (patch.skewSeconds !== undefined && !Number.isFinite(patch.skewSeconds)) {
    throw new Error('skewSeconds: must be a number');
  }
}

/**
 * Starts every camera of `options` and resolves once all listen. Rejects (after closing what did
 * start) when an address cannot be bound, e.g. another fleet already uses it.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const plan = planFleet(options);
  const backlog = options.backlog ?? DEFAULT_BACKLOG;
  const env: Env = {
    fixtures: loadFixtures(),
    nonces: new NonceBook(),
    now: Date.now,
    wsseMaxSkewSeconds: options.wsseMaxSkewSeconds ?? 0,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    totals: { rtspRequests: 0, onvifRequests: 0, connections: 0, openConnections: 0 },
  };
  const states: CameraState[] = plan.cameras.map((cam) => ({
    cam,
    fault: { rtsp: 'none', onvif: 'none', slowMs: DEFAULT_SLOW_MS, skewSeconds: 0 },
    counters: freshCounters(cam.index),
  }));
  const sites: SiteState[] = plan.addresses.map((a) => ({
    host: a.host,
    port: plan.cameras[a.cameraIndexes[0]].port,
    cameras: a.cameraIndexes.map((i) => states[i]),
    server: null,
    conns: new Set(),
    transition: Promise.resolve(),
  }));
  const siteOf: SiteState[] = new Array(states.length);
  for (const site of sites) for (const s of site.cameras) siteOf[s.cam.index] = site;

  const started = await Promise.allSettled(sites.map((site) => listen(site, env, backlog)));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(sites.map(close));
    throw failed.reason;
  }
  for (const site of sites) for (const s of site.cameras) s.cam = withPort(s.cam, site.port);
  return makeFleet(states, sites, siteOf, env, backlog);
}

const isDown = (s: CameraState): boolean => s.fault.rtsp === 'down' && s.fault.onvif === 'down';

/**
 * Brings a site's listener in line with its faults — closed iff every camera on the address is down
 * (or the fleet is stopping). Steps are chained per site so kill/revive races settle in call order.
 */
function syncListener(site: SiteState, env: Env, backlog: number, stopping: () => boolean): Promise<void> {
  const step = site.transition.then(async () => {
    const wanted = !stopping() && site.cameras.some((s) => !isDown(s));
    if (wanted && !site.server) await listen(site, env, backlog);
    if (!wanted && site.server) await close(site);
  });
  site.transition = step.catch(() => undefined);
  return step;
}

function statsOf(states: CameraState[], env: Env, perCamera: boolean): FleetStats {
  const out: FleetStats = {
    rtspRequests: env.totals.rtspRequests,
    onvifRequests: env.totals.onvifRequests,
    openConnections: env.totals.openConnections,
    connections: env.totals.connections,
    downCameras: states.filter(isDown).length,
  };
  if (perCamera) out.perCamera = states.map((s) => ({ ...s.counters }));
  return out;
}

function makeFleet(states: CameraState[], sites: SiteState[], siteOf: SiteState[], env: Env, backlog: number): Fleet {
  let stopping = false;
  const stateOf = (index: number): CameraState => {
    const s = states[index];
    if (!s) throw new RangeError(`no camera ${index} (fleet has ${states.length})`);
    return s;
  };
  const setFault = (index: number, patch: Partial<CameraFault>): Promise<void> => {
    const s = stateOf(index);
    checkFaultPatch(patch);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    Object.assign(s.fault, defined);
    return syncListener(siteOf[index], env, backlog, () => stopping);
  };
  return {
    cameras: states.map((s) => s.cam),
    setFault,
    getFault: (index) => ({ ...stateOf(index).fault }),
    kill: (index) => setFault(index, { rtsp: 'down', onvif: 'down' }),
    revive: (index) => {
      const f = stateOf(index).fault;
      return setFault(index, { rtsp: f.rtsp === 'down' ? 'none' : f.rtsp, onvif: f.onvif === 'down' ? 'none' : f.onvif });
    },
    stats: (opts) => statsOf(states, env, opts?.perCamera !== false),
    counters: (index) => ({ ...stateOf(index).counters }),
    resetStats: () => {
      for (const s of states) s.counters = freshCounters(s.cam.index);
      Object.assign(env.totals, { rtspRequests: 0, onvifRequests: 0, connections: 0 });
    },
    stop: async () => {
      stopping = true;
      await Promise.all(sites.map((site) => site.transition));
      await Promise.all(sites.map(close));
    },
  };
}
