/**
 * Which page the console shows, kept in the URL hash (#/users, #/tokens, #/audit) so a reload or a
 * bookmark lands on the same page. No router: four pages do not need one.
 */
import { ref } from 'vue';
import type { Permission } from './account-types';

export const VIEWS = ['console', 'users', 'tokens', 'audit'] as const;
export type View = (typeof VIEWS)[number];

/** The permission each admin page needs (the console itself needs cameras:read). */
export const VIEW_PERMISSION: Record<View, Permission> = {
  console: 'cameras:read',
  users: 'users:manage',
  tokens: 'tokens:manage',
  audit: 'audit:read',
};

function fromHash(): View {
  const name = location.hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'console';
}

export const view = ref<View>(fromHash());

window.addEventListener('hashchange', () => {
  view.value = fromHash();
});

export function go(next: View): void {
  location.hash = next === 'console' ? '' : `#/${next}`;
  view.value = next;
}
