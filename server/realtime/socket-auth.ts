import type { Server, Socket } from 'socket.io';
import type { Principal } from '../domain/access.js';
import type { Logger } from '../logger.js';

/** How a handshake proves who it is: the session cookie, `Authorization: Bearer`, or `auth.token`. */
export interface SocketCredentials {
  cookie?: string;
  authorization?: string;
}

export type SocketAuthenticator = (credentials: SocketCredentials) => Promise<Principal | undefined>;

/** How often open sockets re-check their session or token (sign-out everywhere, revocation, expiry). */
export const REVALIDATE_MS = 30_000;

interface AuthData {
  principal?: Principal;
}

/** Credentials of a handshake; a token in `auth.token` (for non-browser clients) counts as a bearer header. */
export function credentialsOf(socket: Socket): SocketCredentials {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  return {
    cookie: socket.handshake.headers.cookie,
    authorization: typeof token === 'string' ? `Bearer ${token}` : socket.handshake.headers.authorization,
  };
}

/**
 * Lets in only authenticated sockets from our own origin (a page elsewhere cannot ride a duty-room
 * browser's cookie), and keeps checking: a socket whose session ended gets `session:ended` and is
 * dropped; one whose towns changed is handed to `onScopeChange` to be re-synced.
 */
export function guardSockets<S extends Server>(
  io: S,
  authenticate: SocketAuthenticator,
  logger: Logger,
  onScopeChange: (socket: Socket) => void,
): { stop(): void; revalidateNow(): Promise<void> } {
  io.use((socket, next) => {
    const origin = socket.handshake.headers.origin;
    const host = socket.handshake.headers.host;
    if (origin && host && safeHost(origin) !== host) return next(new Error('forbidden origin'));
    authenticate(credentialsOf(socket))
      .then((principal) => {
        if (!principal) return next(new Error('unauthenticated'));
        if (principal.mustChangePassword) return next(new Error('password_change_required'));
        (socket.data as AuthData).principal = principal;
        next();
      })
      .catch((err: Error) => {
        logger.error('socket authentication failed', { error: err });
        next(new Error('unavailable'));
      });
  });

  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void revalidateAll(io, authenticate, onScopeChange)
      .catch((err: Error) => logger.warn('socket revalidation failed', { error: err }))
      .finally(() => (running = false));
  }, REVALIDATE_MS);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    revalidateNow: () => revalidateAll(io, authenticate, onScopeChange),
  };
}

async function revalidateAll(io: Server, authenticate: SocketAuthenticator, onScopeChange: (socket: Socket) => void): Promise<void> {
  // Sockets sharing a session or token are checked once.
  const verdicts = new Map<string, Promise<Principal | undefined>>();
  for (const socket of io.of('/').sockets.values()) {
    const creds = credentialsOf(socket);
    const key = `${creds.authorization ?? ''}|${creds.cookie ?? ''}`;
    if (!verdicts.has(key)) verdicts.set(key, authenticate(creds));
    const now = await verdicts.get(key)!;
    const data = socket.data as AuthData;
    if (!now || now.mustChangePassword) {
      socket.emit('session:ended');
      socket.disconnect(true);
    } else if (JSON.stringify(now.towns) !== JSON.stringify(data.principal?.towns) || now.role !== data.principal?.role) {
      data.principal = now;
      onScopeChange(socket);
    }
  }
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
