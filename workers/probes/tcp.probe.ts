import net from 'node:net';
import { parsedUrl } from './parsed-url.js';
import { elapsed, socketFailure } from './socket-failure.js';
import type { Probe, ProbeResult } from './types.js';

const DEFAULT_PORTS: Record<string, number> = { 'rtsp:': 554, 'rtsps:': 322, 'http:': 80, 'https:': 443 };

/** host and port of an endpoint URL; tcp://host:port, or the scheme's default port. */
export function endpointOf(url: string): { host: string; port: number } | null {
  const parsed = parsedUrl(url);
  const port = parsed && (parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol]);
  if (!parsed?.hostname || !port) return null;
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port };
}

/** TCP reachability: connect, measure, close. Tells "host down" (unreachable/timeout) from "service down" (refused). */
export const tcpProbe: Probe = (target, options) => {
  const start = performance.now();
  const endpoint = endpointOf(target.url);
  if (!endpoint) return Promise.resolve({ ok: false, latencyMs: 0, failure: { kind: 'error', detail: 'no host/port in URL' } });
  return new Promise<ProbeResult>((resolve) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, latencyMs: elapsed(start), failure: { kind: 'timeout', detail: `no TCP connection within ${options.connectTimeoutMs ?? options.timeoutMs} ms` } }),
      Math.min(options.connectTimeoutMs ?? options.timeoutMs, options.timeoutMs),
    );
    socket.once('connect', () => finish({ ok: true, latencyMs: elapsed(start), facts: { port: endpoint.port } }));
    socket.once('error', (err) => finish({ ok: false, latencyMs: elapsed(start), failure: socketFailure(err) }));
  });
};
