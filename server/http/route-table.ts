import type { Request, RequestHandler, Response, Router } from 'express';

import type { Permission } from '../domain/access.js';
import { authorize } from './access.js';

export type { Permission } from '../domain/access.js';

/** One REST route: declared, not hidden in a chain, so tests can enumerate every route and its permission. */
export interface RouteDef {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  permission: Permission;
  summary: string;
  middleware?: RequestHandler[];
  handler: (req: Request, res: Response) => Promise<unknown> | unknown;
}

/**
 * Mounts routes, each behind the check of its declared permission (an undeclared or unknown one
 * throws here, at start-up). Async handler errors reach the one error handler (Express 5 forwards
 * rejected promises).
 */
export function mountRoutes(router: Router, routes: readonly RouteDef[]): void {
  for (const route of routes) {
    router[route.method](route.path, authorize(route.permission), ...(route.middleware ?? []), async (req, res) => {
      const body = await route.handler(req, res);
      if (body !== undefined && !res.headersSent) res.json(body);
    });
  }
}
