import { CAMERA_STATUSES, POINT_CLASSES, pointClassName } from '../../domain/camera.js';
import type { Catalog } from '../../services/registry/catalog.js';
import type { RegistryService } from '../../services/registry/registry.service.js';
import type { Database } from '../../storage/db.js';
import type { RouteDef } from '../route-table.js';
import { scopeOf } from '../access.js';

/** Towns, networks and the county's vocabularies, for filters and the console. */
export function catalogRoutes(deps: { catalog: Catalog; registry: RegistryService; db: Database }): RouteDef[] {
  return [
    {
      method: 'get', path: '/health', permission: 'public', summary: 'Liveness of the server and its database',
      handler: async (_req, res) => {
        try {
          await deps.db.query('SELECT 1');
          return { status: 'ok', database: deps.db.backend };
        } catch {
          res.status(503);
          return { status: 'unavailable', database: deps.db.backend };
        }
      },
    },
    {
      method: 'get', path: '/towns', permission: 'cameras:read', summary: 'Towns with camera counts',
      handler: async (req) => ({ items: await deps.registry.tally('town', scopeOf(req)) }),
    },
    {
      method: 'get', path: '/networks', permission: 'cameras:read', summary: 'Networks with camera counts',
      handler: async (req) => ({ items: await deps.registry.tally('network', scopeOf(req)) }),
    },
    {
      method: 'get', path: '/meta', permission: 'cameras:read', summary: 'County, towns, networks, statuses and point classes',
      handler: (req) => ({
        county: { code: deps.catalog.countyCode, name: deps.catalog.countyName },
        idEdition: deps.catalog.idEdition,
        // A town-scoped caller's filters and board list only their towns.
        towns: deps.catalog.towns.entries.filter((t) => scopeOf(req)?.includes(t.code) ?? true),
        networks: deps.catalog.networks.entries,
        statuses: CAMERA_STATUSES,
        pointClasses: POINT_CLASSES.map((code) => ({ code, name: pointClassName(code), nameEn: pointClassName(code, 'en') })),
      }),
    },
  ];
}
