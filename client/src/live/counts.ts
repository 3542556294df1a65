/**
 * Pure count arithmetic: the cells the server sends (town × network × status) folded into what the
 * console shows — per town, per town × network, and for the county.
 */
import type { CameraStatus, CountCell } from '../../../server/realtime/events';

export const STATUSES: readonly CameraStatus[] = ['online', 'degraded', 'offline', 'maintenance', 'unknown'];

export interface Tally {
  total: number;
  online: number;
  offline: number;
  degraded: number;
  maintenance: number;
  unknown: number;
}

export function emptyTally(): Tally {
  return { total: 0, online: 0, offline: 0, degraded: 0, maintenance: 0, unknown: 0 };
}

export function addToTally(t: Tally, status: CameraStatus, n: number): void {
  t[status] += n;
  t.total += n;
}

/**
 * Online rate = online ÷ (total − maintenance). Cameras under maintenance are expected to be dark
 * and leave the base; unchecked (`unknown`) cameras stay in it, so a fresh register is not 100 %.
 * Null when nothing is in the base.
 */
export function onlineRate(t: Tally): number | null {
  const base = t.total - t.maintenance;
  return base > 0 ? t.online / base : null;
}

/** Share of the town's cameras that are offline (maintenance excluded); drives the map colour. */
export function offlineShare(t: Tally): number {
  const base = t.total - t.maintenance;
  return base > 0 ? t.offline / base : 0;
}

const SEP = '\u0001';

export function cellKey(town: string, network: string, status: CameraStatus): string {
  return town + SEP + network + SEP + status;
}

export function splitKey(key: string): [town: string, network: string, status: CameraStatus] {
  const [town, network, status] = key.split(SEP);
  return [town, network, status as CameraStatus];
}

/** The county, each town, and each town × network, from the live cells. */
export interface CountView {
  county: Tally;
  towns: Map<string, Tally>;
  townNetworks: Map<string, Map<string, Tally>>;
}

export function foldCounts(cells: ReadonlyMap<string, number>): CountView {
  const county = emptyTally();
  const towns = new Map<string, Tally>();
  const townNetworks = new Map<string, Map<string, Tally>>();
  for (const [key, n] of cells) {
    if (n <= 0) continue;
    const [town, network, status] = splitKey(key);
    addToTally(county, status, n);
    let tt = towns.get(town);
    if (!tt) towns.set(town, (tt = emptyTally()));
    addToTally(tt, status, n);
    let nets = townNetworks.get(town);
    if (!nets) townNetworks.set(town, (nets = new Map()));
    let nt = nets.get(network);
    if (!nt) nets.set(network, (nt = emptyTally()));
    addToTally(nt, status, n);
  }
  return { county, towns, townNetworks };
}

/** Replaces every cell of `towns` with `counts` (the server's authoritative numbers). */
export function replaceTownCells(cells: Map<string, number>, towns: readonly string[], counts: readonly CountCell[]): void {
  const set = new Set(towns);
  for (const key of [...cells.keys()]) if (set.has(splitKey(key)[0])) cells.delete(key);
  for (const c of counts) {
    const k = cellKey(c.town, c.network, c.status);
    cells.set(k, (cells.get(k) ?? 0) + Number(c.count));
  }
}

/** Moves one camera between cells (never below zero). */
export function moveCount(cells: Map<string, number>, town: string, network: string, from: CameraStatus, to: CameraStatus): void {
  if (from === to) return;
  const fk = cellKey(town, network, from);
  const have = cells.get(fk) ?? 0;
  if (have > 1) cells.set(fk, have - 1);
  else cells.delete(fk);
  const tk = cellKey(town, network, to);
  cells.set(tk, (cells.get(tk) ?? 0) + 1);
}
