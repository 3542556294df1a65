import express from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { mountRoutes, type RouteDef } from './http/route-table.js';
import { cameraRoutes } from './http/routes/cameras.routes.js';
import { catalogRoutes } from './http/routes/catalog.routes.js';
import { buildOpenApi } from './http/openapi.js';
import { consoleRoutes } from './http/routes/console.routes.js';
import { serveConsole } from './http/console-static.js';
import { authRoutes } from './http/routes/auth.routes.js';
import { accountRoutes } from './http/routes/accounts.routes.js';
import { auditRoutes } from './http/routes/audit.routes.js';
import { authenticate } from './http/access.js';
import { requestLog } from './http/request-log.js';

/** The REST routes of /api/v1, in one list so access checks and docs can enumerate them. */
export function apiRoutes(ctx: AppContext): RouteDef[] {
  const importLimiter = rateLimit({
    windowMs: 60_000,
    limit: ctx.config.importRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    message: { error: 'rate_limited', message: 'too many imports; try again in a minute' },
  });
  const signInLimiter = rateLimit({
    windowMs: 60_000,
    limit: ctx.config.auth.signInRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    message: { error: 'rate_limited', message: 'too many sign-in attempts from this address; wait a minute' },
  });
  return [
    ...authRoutes({ auth: ctx.auth, signInLimiter, sessionAbsoluteMs: ctx.config.auth.sessionAbsoluteMs }),
    ...accountRoutes({ users: ctx.users, tokens: ctx.tokens }),
    ...auditRoutes({ audit: ctx.auditLog, tz: ctx.config.tzDisplay }),
    ...catalogRoutes({ catalog: ctx.catalog, registry: ctx.registry, db: ctx.db }),
    ...cameraRoutes({
      catalog: ctx.catalog,
      schemas: ctx.schemas,
      registry: ctx.registry,
      writes: ctx.writes,
      exporter: ctx.exporter,
      importMaxBytes: ctx.config.importMaxBytes,
      importLimiter,
      tzDisplay: ctx.config.tzDisplay,
    }),
    ...consoleRoutes({
      repo: ctx.consoleRepo,
      registry: ctx.registry,
      writes: ctx.writes,
      county: { code: ctx.config.countyCode, name: ctx.config.countyName },
      tz: ctx.config.tzDisplay,
      geojsonFile: ctx.config.mapGeojsonFile,
      tileUrl: ctx.config.mapTileUrl,
    }),
  ];
}

/**
 * A strict policy for the console: scripts and styles only from our own files, data only from our
 * own origin (Socket.IO included), images also from the configured base-map tile server.
 */
function consoleCsp(tileUrl: string | undefined): Record<string, string[]> {
  const tiles = tileUrl ? [new URL(tileUrl.replace(/[{}]/g, '')).origin] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', ...tiles],
    'connect-src': ["'self'"],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
  };
}

/** helmet's defaults plus ours; `upgrade-insecure-requests` is dropped: county networks serve plain http. */
function cspDirectives(tileUrl: string | undefined): Record<string, string[] | null> {
  return { ...consoleCsp(tileUrl), 'upgrade-insecure-requests': null };
}

/** Builds the Express app; never listens by itself, so tests mount it on an ephemeral port. */
export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'extended');
  app.use(helmet({ contentSecurityPolicy: { directives: cspDirectives(ctx.config.mapTileUrl) } }));
  const api = express.Router();
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: ctx.config.rateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      message: { error: 'rate_limited', message: 'too many requests; slow down' },
    }),
  );
  api.use(express.json({ limit: ctx.config.bodyLimitBytes }));
  api.use(requestLog(ctx.logger));
  api.use(authenticate({ auth: ctx.auth, tokens: ctx.tokens }));
  const routes = apiRoutes(ctx);
  const openApi = buildOpenApi(routes, ctx.catalog);
  api.get('/openapi.json', (_req, res) => void res.json(openApi));
  mountRoutes(api, routes);
  api.use(notFoundHandler);
  app.use('/api/v1', api);
  serveConsole(app);
  app.use(errorHandler(ctx.logger));
  return app;
}
