import { onvifProbe } from './onvif.probe.js';
import { rtspProbe } from './rtsp.probe.js';
import { tcpProbe } from './tcp.probe.js';
import type { Probe, ProbeName } from './types.js';

/** The one lookup table of probe types. */
export type ProbeRegistry = Record<ProbeName, Probe>;

export const probes: ProbeRegistry = {
  tcp: tcpProbe,
  rtsp: rtspProbe,
  onvif: onvifProbe,
};

export const PROBE_NAMES = Object.keys(probes) as ProbeName[];
