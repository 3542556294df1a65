import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

/** Where `vite build` puts the console. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../client/dist/', import.meta.url));

/** Serves the built console and answers its routes with index.html (the app routes itself). */
export function serveConsole(app: Express): void {
  app.use(express.static(CONSOLE_DIST, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForIndex }));
  app.get(/^\/(?!api\/|socket\.io\/).*/, (req, res, next) => {
    const index = CONSOLE_DIST + 'index.html';
    if (!existsSync(index) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function noCacheForIndex(res: express.Response, file: string): void {
  // Hashed assets may be cached; the page that names them must not be.
  if (file.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
}
