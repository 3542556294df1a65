import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ConsoleRepository } from '../../storage/console.repository.js';
import type { AuditedRegistry } from '../../services/registry/audited-registry.js';
import type { RegistryService } from '../../services/registry/registry.service.js';
import { parseOrThrow } from '../validate.js';
import type { RouteDef } from '../route-table.js';
import { actorOf, scopeOf } from '../access.js';

export interface ConsoleRouteDeps {
  repo: ConsoleRepository;
  registry: RegistryService;
  writes: AuditedRegistry;
  county: { code: string; name: string };
  tz: string;
  geojsonFile: string;
  tileUrl: string | undefined;
}

const idParams = z.object({ id: z.string().min(1) });

/** What the console needs beyond the registry: map, live health of one camera, check now. */
export function consoleRoutes(deps: ConsoleRouteDeps): RouteDef[] {
  let geojson: { text: string; schematic: boolean } | undefined;
  const loadGeojson = () => {
    // Read once: a county replaces the file and restarts; the map is not worth a watcher.
    if (!geojson) {
      const text = readFileSync(deps.geojsonFile, 'utf8');
      const parsed = JSON.parse(text) as { schematic?: boolean; features?: Array<{ properties?: { schematic?: boolean } }> };
      const schematic = parsed.schematic === true || (parsed.features ?? []).some((f) => f.properties?.schematic === true);
      geojson = { text, schematic };
    }
    return geojson;
  };

  return [
    {
      method: 'get', path: '/console/config', permission: 'cameras:read', summary: 'Console settings: county, time zone, map',
      handler: () => {
        // A missing or broken map file must not take the county and time zone down with it.
        let map: { schematic: boolean; geojsonUrl: string | null } = { schematic: false, geojsonUrl: null };
        try {
          map = { schematic: loadGeojson().schematic, geojsonUrl: '/api/v1/console/towns.geojson' };
        } catch {
          /* the console draws points only */
        }
        return { county: deps.county, tz: deps.tz, tileUrl: deps.tileUrl ?? null, ...map };
      },
    },
    {
      method: 'get', path: '/console/towns.geojson', permission: 'cameras:read', summary: 'Town regions for the county map (GeoJSON)',
      handler: (_req, res) => {
        res.type('application/geo+json').send(loadGeojson().text);
      },
    },
    {
      method: 'get', path: '/cameras/:id/health', permission: 'cameras:read', summary: 'Live health of a camera: last round, recent samples, outage history',
      handler: async (req) => {
        const { id } = parseOrThrow(idParams, req.params, 'params');
        await deps.registry.get(id, scopeOf(req)); // 404 (and scope) before anything else
        const [health, samples, history] = await Promise.all([deps.repo.health(id), deps.repo.recentSamples(id, 50), deps.repo.history(id, 100)]);
        return { ...health, samples, history };
      },
    },
    {
      method: 'post', path: '/cameras/:id/check', permission: 'cameras:check', summary: 'Check a camera now and record the result',
      handler: async (req) => deps.writes.check(parseOrThrow(idParams, req.params, 'params').id, scopeOf(req), actorOf(req)),
    },
  ];
}
