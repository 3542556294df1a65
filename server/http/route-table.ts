import type { Request, RequestHandler, Response, Router } from 'express';

/** What a route needs from the caller; checked by the access layer (default deny once accounts exist). */
export type Permission =
  | 'public'
  | 'cameras:read'
  | 'cameras:write'
  | 'cameras:import'
  | 'cameras:export'
  | 'cameras:check';

/** One REST route: declared, not hidden in a chain, so tests can enumerate every route and its permission. */
export interface RouteDef {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  permission: Permission;
  summary: string;
  middleware?: RequestHandler[];
  handler: (req: Request, res: Response) => Promise<unknown> | unknown;
}

/** Mounts routes; async handler errors reach the one error handler (Express 5 forwards rejected promises). */
export function mountRoutes(router: Router, routes: readonly RouteDef[]): void {
  for (const route of routes) {
    router[route.method](route.path, ...(route.middleware ?? []), async (req, res) => {
      const body = await route.handler(req, res);
      if (body !== undefined && !res.headersSent) res.json(body);
    });
  }
}
