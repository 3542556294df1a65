/**
 * Camera fleet simulator — public entry. `startFleet(options)` serves N fake cameras on loopback
 * (RTSP + ONVIF on one port each) with per-camera faults; see README.md in this folder.
 */
export { startFleet, DEFAULT_SLOW_MS } from './fleet.js';
export { DEFAULT_BASE_ADDRESS, DEFAULT_CREDENTIALS, DEFAULT_PORT, loopbackAddresses } from './camera-plan.js';
export { FAULT_KINDS } from './types.js';
export type {
  CameraCounters, CameraFault, Credentials, FaultKind, Fleet, FleetOptions, FleetStats, Mix, OnvifAuthStyle,
  RtspAuthMode, SimCamera, VendorId, VideoCodec,
} from './types.js';
