/**
 * One confirmation dialog for the whole console (revoke a token, sign out everywhere, …):
 * `await askConfirm(text)` answers whether the user pressed OK. A styled dialog instead of
 * window.confirm, so it looks like the console and a browser test can drive it.
 */
import { reactive } from 'vue';

export const confirmation = reactive({
  open: false,
  text: '',
  okLabel: '',
  resolve: null as ((ok: boolean) => void) | null,
});

export function askConfirm(text: string, okLabel = ''): Promise<boolean> {
  confirmation.resolve?.(false);
  return new Promise((resolve) => {
    Object.assign(confirmation, { open: true, text, okLabel, resolve });
  });
}

export function answerConfirm(ok: boolean): void {
  const resolve = confirmation.resolve;
  Object.assign(confirmation, { open: false, text: '', okLabel: '', resolve: null });
  resolve?.(ok);
}
