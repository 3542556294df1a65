/**
 * Run-time state shared by the simulator's connection handling and the fleet: per-camera fault
 * and counters, per-address listener state, and the process-wide environment.
 */
import type { Server } from 'node:net';
import type { Fixtures } from './fixtures.js';
import type { Conn } from './misbehave.js';
import type { NonceBook } from './rtsp-auth.js';
import type { CameraCounters, CameraFault, SimCamera } from './types.js';

/** One camera's mutable state: its public record, fault switches and counters. */
export interface CameraState {
  cam: SimCamera;
  fault: CameraFault;
  counters: CameraCounters;
}

/** One listening address: a camera, or an NVR whose channels share it. */
export interface SiteState {
  host: string;
  port: number;
  /** cameras[0] is the ONVIF device and the RTSP auth owner of the address. */
  cameras: CameraState[];
  server: Server | null;
  conns: Set<Conn>;
  /** Serialises close/listen so kill/revive races settle in call order. */
  transition: Promise<void>;
}

/** Process-wide services and totals shared by every connection of a fleet. */
export interface Env {
  fixtures: Fixtures;
  nonces: NonceBook;
  /** Real clock (ms); a camera's clock adds its skewSeconds. */
  now(): number;
  wsseMaxSkewSeconds: number;
  idleTimeoutMs: number;
  totals: { rtspRequests: number; onvifRequests: number; connections: number; openConnections: number };
}

/** A complete answer and whether the connection closes after it. */
export interface Answer {
  bytes: Buffer;
  close: boolean;
}

/** The camera an RTSP target addresses on this site (by /Streaming/Channels/<n>01 or <n>02). */
export function cameraForRtspTarget(site: SiteState, target: string): CameraState | undefined {
  const path = target.replace(/^rtsp:\/\/[^/]*/i, '').split('?')[0].replace(/\/+$/, '');
  const m = /^\/Streaming\/Channels\/([1-9]\d*)0([12])$/i.exec(path);
  if (!m) return undefined;
  return site.cameras[Number(m[1]) - 1];
}

/** Camera clock in ms. */
export function cameraNow(env: Env, cam: CameraState): number {
  return env.now() + cam.fault.skewSeconds * 1000;
}

/** Zeroed counters for camera `index`. */
export function freshCounters(index: number): CameraCounters {
  return { index, rtspRequests: 0, rtspDescribes: 0, onvifRequests: 0, authFailures: 0 };
}
