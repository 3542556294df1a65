/** The registry bench's request mix and the HTTP helpers that send it with the bench admin's token. */
import { generateCamera, NETWORKS, pick, ROADS, seededRandom, TAGS, TOWNS, VILLAGES } from './fleet-generator.js';

/** Cameras the bench grows the fleet to; the q-id kind reads labels off any of them. */
export const FLEET_SIZE = 100_000;

export interface ListBody {
  items: Array<{ id: string }>;
  total: number;
  nextCursor: string | null;
}

/** Sends the bench admin's bearer token: every API route but sign-in and health needs one. */
export async function api(url: string, token: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(url, { ...init, headers });
}

export async function getJson<T>(url: string, token: string): Promise<{ body: T; ms: number }> {
  const started = performance.now();
  const res = await api(url, token);
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}: ${text.slice(0, 500)}`);
  return { body: JSON.parse(text) as T, ms };
}

// ---------------------------------------------------------------------------------------------
// The request mix: every kind a county operator's console issues, with seeded random parameters.

type QueryMaker = (rnd: () => number, cursors: CursorPool) => string;

export interface CursorPool {
  /** Query strings (sort + filter) with a cursor from a page already fetched. */
  pages: string[];
}

const townParam = (rnd: () => number) => {
  const town = pick(rnd, TOWNS);
  return rnd() < 0.5 ? town.code : town.name; // the console sends codes, people type names
};

export const KINDS: Record<string, QueryMaker> = {
  all: () => '',
  town: (rnd) => `town=${enc(townParam(rnd))}`,
  'town+network': (rnd) => `town=${enc(townParam(rnd))}&network=${enc(pick(rnd, NETWORKS).code)}`,
  'status=offline': (rnd) => (rnd() < 0.6 ? 'status=offline' : `status=offline,degraded&town=${enc(townParam(rnd))}`),
  pointClass: (rnd) => `pointClass=${enc(pick(rnd, ['1', '一类', '2', '3']))}`,
  tag: (rnd) => `tag=${enc(pick(rnd, TAGS))}`,
  'q-zh': (rnd) => {
    const town = pick(rnd, TOWNS);
    const choices = [pick(rnd, VILLAGES[town.code]), pick(rnd, ROADS), `${town.name}${pick(rnd, ROADS)}`, '学校门口', '卫生院'];
    return `q=${enc(pick(rnd, choices))}`;
  },
  'q-id': (rnd) => {
    const n = Math.floor(rnd() * FLEET_SIZE);
    const id = generateCamera(n).deviceId;
    const len = 6 + Math.floor(rnd() * 5); // 6–10 trailing digits, as read off a label
    return `q=${id.slice(20 - len)}`;
  },
  'sort=name': (rnd) => (rnd() < 0.5 ? 'sort=name' : `sort=name&town=${enc(townParam(rnd))}`),
  'sort=-updatedAt': (rnd) => (rnd() < 0.5 ? 'sort=-updatedAt' : `sort=-updatedAt&network=${enc(pick(rnd, NETWORKS).code)}`),
  'limit=500': (rnd) => pick(rnd, ['limit=500', `limit=500&town=${enc(townParam(rnd))}`, 'limit=500&sort=name']),
  offset: (rnd) => {
    const page = 1 + Math.floor(rnd() * 100);
    return rnd() < 0.5 ? `offset=${page * 50}` : `offset=${page * 50}&town=${enc(townParam(rnd))}&sort=name`;
  },
  cursor: (rnd, cursors) => pick(rnd, cursors.pages),
};

function enc(v: string): string {
  return encodeURIComponent(v);
}

export function buildMix(seed: number, perKind: number, cursors: CursorPool): Array<{ kind: string; query: string }> {
  const rnd = seededRandom(seed);
  const mix: Array<{ kind: string; query: string }> = [];
  for (const [kind, make] of Object.entries(KINDS)) {
    for (let i = 0; i < perKind; i++) mix.push({ kind, query: make(rnd, cursors) });
  }
  for (let i = mix.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [mix[i], mix[j]] = [mix[j], mix[i]];
  }
  return mix;
}

/** Follows 1–3 pages of a few listings so the cursor kind resumes deep inside real orderings. */
export async function collectCursors(base: string, token: string): Promise<CursorPool> {
  const starts = ['', 'sort=name', 'sort=-updatedAt', 'town=meizhu', 'town=jianping&sort=name', 'network=sky&sort=-updatedAt', 'status=offline'];
  const pages: string[] = [];
  const rnd = seededRandom(99);
  for (const start of starts) {
    let query = start;
    const depth = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < depth; i++) {
      const { body } = await getJson<ListBody>(`${base}/cameras?${query}`, token);
      if (!body.nextCursor) break;
      query = `${start ? start + '&' : ''}cursor=${body.nextCursor}`;
      pages.push(query);
    }
  }
  if (pages.length === 0) throw new Error('no cursor pages: every listing fit on one page?');
  return { pages };
}
