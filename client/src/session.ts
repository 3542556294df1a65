/**
 * Who is signed in, and which screen that calls for:
 *   starting        → GET /auth/me is in flight
 *   sign-in         → no session (first visit, expired, signed out, ended elsewhere)
 *   change-password → the user signed in with a one-time password and must choose their own
 *   console         → the console (and, by permission, the admin pages)
 * The server decides everything; the console only hides what the role may not do.
 */
import { reactive } from 'vue';
import { authApi } from './api-accounts';
import { authHooks } from './http';
import type { Me, Permission, SignedIn } from './account-types';

export type Screen = 'starting' | 'sign-in' | 'change-password' | 'console';
/** Why the sign-in screen shows (a hint above the form). */
export type SignInReason = '' | 'expired' | 'signed-out';

export const session = reactive({
  screen: 'starting' as Screen,
  me: null as Me | null,
  reason: '' as SignInReason,
  /** Set while /auth/me cannot be reached (server down): the start screen says so and retries. */
  startError: '',
});

let csrfToken = '';
const START_RETRY_MS = 3000;

authHooks.csrfToken = () => csrfToken;
authHooks.onUnauthenticated = () => endSession(session.me ? 'expired' : '');
authHooks.onPasswordChangeRequired = () => requirePasswordChange();
authHooks.refreshCsrf = async () => {
  const before = csrfToken;
  await confirmSession();
  return csrfToken !== '' && csrfToken !== before;
};

/** The towns the signed-in user may hand out: their own scope (null = the whole county). */
export function ownScope(): string[] | null {
  const towns = session.me?.towns;
  return towns ? [...towns] : null;
}

/** Whether the signed-in user's role grants `permission` (what to show, not what is allowed). */
export function can(permission: Permission): boolean {
  return session.me?.permissions.includes(permission) ?? false;
}

function adopt(signed: SignedIn): void {
  csrfToken = signed.csrfToken ?? ''; // null for an API token (no cookie, no CSRF)
  session.me = signed.user;
  session.reason = '';
  session.startError = '';
  session.screen = signed.user.mustChangePassword ? 'change-password' : 'console';
}

/** A one-time password is still in use (an admin reset it): only the change screen is reachable. */
export function requirePasswordChange(): void {
  if (session.me) session.me.mustChangePassword = true;
  session.screen = 'change-password';
}

/** Back to the sign-in screen; the console unmounts and drops its live state and socket. */
export function endSession(reason: SignInReason): void {
  csrfToken = '';
  session.me = null;
  session.reason = reason;
  session.screen = 'sign-in';
}

/** App start: who am I? A 401 lands on the sign-in screen (through the hook). */
export async function startSession(): Promise<void> {
  try {
    adopt(await authApi.me());
  } catch (err) {
    if (session.screen !== 'starting') return; // 401 or 403: a hook chose the screen
    session.startError = err instanceof Error ? err.message : String(err);
    window.setTimeout(() => void startSession(), START_RETRY_MS);
  }
}

/**
 * Asks /auth/me whether this tab is still signed in — after the socket's `session:ended` (401 if it
 * was this session) or a CSRF refusal. Another user signed in from another tab: this tab's live
 * state belongs to the previous user, so it starts over.
 */
export async function confirmSession(): Promise<void> {
  try {
    const signed = await authApi.me();
    if (session.me && signed.user.id !== session.me.id) return window.location.reload();
    adopt(signed);
  } catch {
    // 401 → the hook shows the sign-in screen; unreachable → the socket's reconnect will tell
  }
}

/** Throws the server's ApiError (invalid_credentials, locked, validation_failed) for the form. */
export async function signIn(username: string, password: string): Promise<void> {
  adopt(await authApi.login(username, password));
}

/** Throws the server's ApiError; its problems name `currentPassword` or `newPassword`. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  adopt(await authApi.changePassword(currentPassword, newPassword));
}

/** Signs out here (or on every device); the screen changes even if the server cannot be reached. */
export async function signOut(everywhere = false): Promise<void> {
  try {
    await (everywhere ? authApi.logoutAll() : authApi.logout());
  } catch {
    // already ended (401) or unreachable: either way this screen must not stay signed in
  }
  endSession('signed-out');
}
