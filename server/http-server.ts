import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AppContext } from './context.js';
import { createApp } from './app.js';
import { attachRealtime, type RealtimeHub } from './realtime/hub.js';
import { authenticateHeaders } from './http/access.js';

const CLOSE_GRACE_MS = 2000;
const ACCOUNT_CHANGES = /^(auth\.logout|auth\.password_change|user\.(update|reset_password|logout_all)|token\.revoke)/;

export interface RunningHttp {
  server: Server;
  hub: RealtimeHub;
  /** http://host:port/ */
  url: string;
  close(): Promise<void>;
}

/** Listens with the REST API, the console and its Socket.IO channel on one port. */
export async function startHttpServer(ctx: AppContext, port: number, host: string): Promise<RunningHttp> {
  const server = createApp(ctx).listen(port, host);
  // Upgraded (WebSocket) connections leave the HTTP server's own list; keep every socket to cut at close.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await once(server, 'listening');
  const hub = attachRealtime(server, {
    repo: ctx.consoleRepo,
    bus: ctx.bus,
    catalog: ctx.catalog,
    logger: ctx.logger,
    databaseUrl: ctx.db.backend === 'postgres' ? ctx.config.databaseUrl : undefined,
    authenticate: async (credentials) => {
      const found = await authenticateHeaders(credentials, { auth: ctx.auth, tokens: ctx.tokens });
      return found && found !== 'bad_token' ? found.principal : undefined;
    },
  });
  // Sign-outs, disabled accounts, revoked tokens and new scopes reach open sockets at once here;
  // other server processes notice within the hub's periodic re-check.
  const stopListening = ctx.audit.onRecord((event) => {
    if (ACCOUNT_CHANGES.test(event.action) && event.outcome !== 'failed') void hub.revalidate().catch(() => undefined);
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    hub,
    url: `http://${shownHost}:${address.port}/`,
    async close() {
      stopListening();
      // Socket.IO's close waits for the HTTP server's, which waits for every connection: a browser
      // that is slow to answer a WebSocket close (or a request still running) must not hold a
      // restart for long, so whatever is still open after a short grace is cut.
      const closed = hub.close();
      server.closeIdleConnections();
      const cut = setTimeout(() => {
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }, CLOSE_GRACE_MS);
      try {
        await closed;
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
