/**
 * Shared UI state: the county vocabularies, the drill-down town, the list filters and the camera
 * whose detail drawer is open.
 *
 * Drill-down rule (map or board click): it sets the town filter and clears the free-text search.
 * Typing a search clears a town that came from a drill-down (finding a camera by name or ID is a
 * county-wide question), but keeps a town chosen explicitly in the list's own town selector.
 */
import { reactive, ref, shallowRef } from 'vue';
import type { CameraFilters, CodeName, ConsoleConfig, Meta } from './api-types';
import { placeName } from './i18n';
import { session } from './session';

export const meta = shallowRef<Meta | null>(null);
export const config = shallowRef<ConsoleConfig | null>(null);

export const filters = reactive<CameraFilters>({ town: '', network: '', status: '', pointClass: '', q: '' });
/** Where the current town filter came from. */
const townSource = ref<'drill' | 'select' | null>(null);

/** The camera whose drawer is open. */
export const detailId = ref<string | null>(null);

export function drillTown(code: string | null): void {
  filters.town = code ?? '';
  townSource.value = code ? 'drill' : null;
  filters.q = '';
}

/** Drill in, or out when the town is already the drill-down. */
export function toggleDrill(code: string): void {
  drillTown(filters.town === code ? null : code);
}

export function selectTown(code: string): void {
  filters.town = code;
  townSource.value = code ? 'select' : null;
}

export function setQuery(q: string): void {
  filters.q = q;
  if (q.trim() && townSource.value === 'drill') {
    filters.town = '';
    townSource.value = null;
  }
}

export function clearFilters(): void {
  Object.assign(filters, { town: '', network: '', status: '', pointClass: '', q: '' });
  townSource.value = null;
}

export function openDetail(id: string): void {
  detailId.value = id;
}

export function townEntry(code: string): CodeName | undefined {
  return meta.value?.towns.find((t) => t.code === code);
}

export function networkEntry(code: string): CodeName | undefined {
  return meta.value?.networks.find((n) => n.code === code);
}

export function townName(code: string): string {
  return placeName(townEntry(code), code);
}

export function networkName(code: string): string {
  return placeName(networkEntry(code), code);
}

/** The catalogue's towns the signed-in user may see (a crew scoped to towns sees only theirs). */
export function visibleTowns(): CodeName[] {
  const towns = meta.value?.towns ?? [];
  const scope = session.me?.towns ?? null;
  return scope === null ? towns : towns.filter((t) => scope.includes(t.code));
}

/** The visible towns as choices (a filter, a scope picker), named in the current language. */
export function townOptions(): Array<{ code: string; label: string }> {
  return visibleTowns().map((x) => ({ code: x.code, label: placeName(x) }));
}

/** Visible town codes in configured order, plus any the live data knows that the catalogue does not. */
export function townCodes(extra: Iterable<string> = []): string[] {
  const codes = visibleTowns().map((t) => t.code);
  for (const c of extra) if (!codes.includes(c)) codes.push(c);
  return codes;
}
