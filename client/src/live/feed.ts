/**
 * The live event feed: camera state changes, newest first, with bursts collapsed.
 *
 * Burst rule: when one town has ≥ BURST_THRESHOLD changes whose times lie within BURST_WINDOW_MS,
 * those changes become ONE group entry for the town, and every further change of that town arriving
 * within BURST_WINDOW_MS of the group's latest change joins the group. A power cut in 梅渚镇 is then
 * one line ("梅渚镇 500 台变化: 离线 480, 降级 20") instead of 500.
 *
 * Memory: at most MAX_EVENTS raw events are kept; the oldest go first (a group keeps its totals).
 * Times are the server's `at` of each change, so a replayed gap groups the same way as live data.
 */
import type { CameraStateEvent, CameraStatus } from '../../../server/realtime/events';

export const BURST_THRESHOLD = 20;
export const BURST_WINDOW_MS = 10_000;
export const MAX_EVENTS = 2000;

export interface FeedEvent extends CameraStateEvent {
  atMs: number;
  /** Browser time it arrived (drives the "new outage" highlight). */
  arrivedAt: number;
  /** Part of a gap replayed after a reconnect. */
  replayed: boolean;
}

export interface FeedItem {
  kind: 'item';
  key: string;
  ev: FeedEvent;
}

export interface FeedGroup {
  kind: 'group';
  key: string;
  town: string;
  /** Every change of the burst, including those no longer stored. */
  count: number;
  byTo: Partial<Record<CameraStatus, number>>;
  /** Stored changes, oldest first. */
  events: FeedEvent[];
  firstAt: number;
  lastAt: number;
  arrivedAt: number;
}

export type FeedEntry = FeedItem | FeedGroup;

/** Rows as drawn: an expanded group is followed by its changes (newest first). */
export type FeedRow =
  | { kind: 'item'; key: string; ev: FeedEvent; child: boolean }
  | { kind: 'group'; key: string; group: FeedGroup; expanded: boolean };

export class Feed {
  /** Oldest first; the view reverses. */
  private entries: FeedEntry[] = [];
  private stored = 0;
  private openGroups = new Map<string, FeedGroup>();
  /** Single items per town still inside the burst window, oldest first. */
  private recent = new Map<string, FeedItem[]>();
  private groupSeq = 0;

  /** Adds a batch (in seq order). */
  push(events: readonly CameraStateEvent[], arrivedAt: number, replayed = false): void {
    for (const e of events) {
      const atMs = Date.parse(e.at);
      this.add({ ...e, atMs: Number.isNaN(atMs) ? arrivedAt : atMs, arrivedAt, replayed });
    }
    this.trim();
  }

  clear(): void {
    this.entries = [];
    this.stored = 0;
    this.openGroups.clear();
    this.recent.clear();
  }

  get size(): number {
    return this.stored;
  }

  /** Flattened rows, newest first; `expanded` holds keys of opened groups. */
  rows(expanded: ReadonlySet<string>): FeedRow[] {
    const rows: FeedRow[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (entry.kind === 'item') {
        rows.push({ kind: 'item', key: entry.key, ev: entry.ev, child: false });
        continue;
      }
      const open = expanded.has(entry.key);
      rows.push({ kind: 'group', key: entry.key, group: entry, expanded: open });
      if (open) {
        for (let j = entry.events.length - 1; j >= 0; j--) {
          const ev = entry.events[j];
          rows.push({ kind: 'item', key: `${entry.key}:${ev.seq}`, ev, child: true });
        }
      }
    }
    return rows;
  }

  private add(ev: FeedEvent): void {
    const group = this.openGroups.get(ev.town);
    if (group && Math.abs(ev.atMs - group.lastAt) <= BURST_WINDOW_MS) {
      this.addToGroup(group, ev);
      this.toNewest(group);
      return;
    }
    if (group) this.openGroups.delete(ev.town);
    const item: FeedItem = { kind: 'item', key: `e${ev.seq}`, ev };
    this.entries.push(item);
    this.stored++;
    const recent = (this.recent.get(ev.town) ?? []).filter((r) => ev.atMs - r.ev.atMs <= BURST_WINDOW_MS && r.ev.atMs - ev.atMs <= BURST_WINDOW_MS);
    recent.push(item);
    if (recent.length < BURST_THRESHOLD) {
      this.recent.set(ev.town, recent);
      return;
    }
    this.recent.delete(ev.town);
    this.collapse(ev.town, recent);
  }

  private collapse(town: string, items: FeedItem[]): void {
    const gone = new Set<FeedEntry>(items);
    this.entries = this.entries.filter((e) => !gone.has(e));
    const first = items[0].ev;
    const g: FeedGroup = {
      kind: 'group', key: `g${++this.groupSeq}`, town, count: 0, byTo: {}, events: [],
      firstAt: first.atMs, lastAt: first.atMs, arrivedAt: first.arrivedAt,
    };
    this.stored -= items.length;
    for (const item of items) this.addToGroup(g, item.ev);
    this.entries.push(g);
    this.openGroups.set(town, g);
  }

  private addToGroup(g: FeedGroup, ev: FeedEvent): void {
    g.events.push(ev);
    g.count++;
    g.byTo[ev.to] = (g.byTo[ev.to] ?? 0) + 1;
    g.firstAt = Math.min(g.firstAt, ev.atMs);
    g.lastAt = Math.max(g.lastAt, ev.atMs);
    g.arrivedAt = ev.arrivedAt;
    this.stored++;
  }

  private toNewest(entry: FeedEntry): void {
    if (this.entries[this.entries.length - 1] === entry) return;
    const i = this.entries.lastIndexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
    this.entries.push(entry);
  }

  /** Drops the oldest raw events beyond MAX_EVENTS; a group loses its oldest stored changes first. */
  private trim(): void {
    let drop = this.stored - MAX_EVENTS;
    let cut = 0;
    while (drop > 0 && cut < this.entries.length) {
      const oldest = this.entries[cut];
      if (oldest.kind === 'item') {
        cut++;
        drop--;
        this.stored--;
        continue;
      }
      const n = Math.min(drop, oldest.events.length);
      oldest.events.splice(0, n);
      drop -= n;
      this.stored -= n;
      if (oldest.events.length === 0) {
        if (this.openGroups.get(oldest.town) === oldest) this.openGroups.delete(oldest.town);
        cut++;
      } else break;
    }
    if (cut > 0) {
      const removed = new Set(this.entries.slice(0, cut));
      this.entries = this.entries.slice(cut);
      for (const [town, items] of this.recent) {
        const kept = items.filter((i) => !removed.has(i));
        if (kept.length) this.recent.set(town, kept);
        else this.recent.delete(town);
      }
    }
  }
}
