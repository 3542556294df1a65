/**
 * The console's live state: every camera summary and the count cells, as plain (non-reactive) maps
 * so 10,000 cameras cost nothing to Vue. Changes bump version refs once per animation frame, which
 * is what components depend on: a burst of 500 changes in 250 ms is one render, not 500.
 */
import { shallowRef } from 'vue';
import type { CameraStateEvent, CameraSummary, CountCell, Snapshot } from '../../../server/realtime/events';
import { cellKey, foldCounts, moveCount, replaceTownCells, type CountView } from './counts';
import { Feed } from './feed';

export const cameras = new Map<string, CameraSummary>();
const cells = new Map<string, number>();
export const feed = new Feed();

/** The highest seq applied (resume point for reconnects). */
let lastSeq = -1;
let synced = false;

/** Bumped (at most once per frame) when counts, camera summaries or the feed change. */
export const countsVersion = shallowRef(0);
export const camerasVersion = shallowRef(0);
export const feedVersion = shallowRef(0);
/** Folded counts, recomputed once per frame when cells changed. */
export const countView = shallowRef<CountView>(foldCounts(cells));
/** Snapshots applied so far (0 until the first arrives). */
export const snapshots = shallowRef(0);

type Listener = (events: CameraStateEvent[], replayed: boolean) => void;
const listeners = new Set<Listener>();

/** Called with every batch of new (not yet applied) changes, e.g. for the outage sound. */
export function onChanges(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function resumeSeq(): number | undefined {
  return synced ? lastSeq : undefined;
}

let dirtyCounts = false;
let dirtyCameras = false;
let dirtyFeed = false;
let frame = 0;

function schedule(): void {
  if (frame) return;
  frame = requestAnimationFrame(flush);
}

function flush(): void {
  frame = 0;
  if (dirtyCounts) {
    countView.value = foldCounts(cells);
    countsVersion.value++;
  }
  if (dirtyCameras) camerasVersion.value++;
  if (dirtyFeed) feedVersion.value++;
  dirtyCounts = dirtyCameras = dirtyFeed = false;
}

/** Full state: replaces every camera and count (the feed keeps its history). */
export function applySnapshot(s: Snapshot): void {
  cameras.clear();
  for (const c of s.cameras) cameras.set(c.id, c);
  cells.clear();
  for (const c of s.counts) cells.set(cellKey(c.town, c.network, c.status), Number(c.count));
  lastSeq = s.seq;
  synced = true;
  dirtyCounts = dirtyCameras = true;
  snapshots.value++;
  schedule();
}

/**
 * Applies changes newer than the last seq. Counts move by the camera's *local* status (not the
 * event's `from`), so a change already reflected in a snapshot is never counted twice.
 */
export function applyChanges(events: readonly CameraStateEvent[], replayed = false): void {
  const fresh: CameraStateEvent[] = [];
  for (const e of events) {
    if (e.seq <= lastSeq) continue;
    lastSeq = e.seq;
    fresh.push(e);
    const cam = cameras.get(e.cameraId);
    if (cam) {
      moveCount(cells, cam.town, cam.network, cam.status, e.to);
      cam.status = e.to;
      cam.since = e.at;
      cam.cause = e.cause;
    } else {
      moveCount(cells, e.town, e.network, e.from, e.to);
      cameras.set(e.cameraId, {
        id: e.cameraId, deviceId: e.deviceId, name: e.name, town: e.town, network: e.network,
        pointClass: null, status: e.to, since: e.at, cause: e.cause, lng: null, lat: null,
      });
    }
  }
  if (fresh.length === 0) return;
  feed.push(fresh, Date.now(), replayed);
  dirtyCounts = dirtyCameras = dirtyFeed = true;
  schedule();
  for (const l of listeners) l(fresh, replayed);
}

/** The server's authoritative counts of some towns replace ours. */
export function applyTownCounts(towns: readonly string[], counts: readonly CountCell[]): void {
  replaceTownCells(cells, towns, counts);
  dirtyCounts = true;
  schedule();
}

/** Re-renders the feed (e.g. after expanding a group). */
export function touchFeed(): void {
  dirtyFeed = true;
  schedule();
}

/**
 * Forgets everything (sign-out): the next user may see other towns, so nothing of this session's
 * cameras, counts or feed may remain, and the next connection starts from a fresh snapshot.
 */
export function clearLive(): void {
  cameras.clear();
  cells.clear();
  feed.clear();
  lastSeq = -1;
  synced = false;
  snapshots.value = 0;
  dirtyCounts = dirtyCameras = dirtyFeed = true;
  schedule();
}
