/**
 * What an admin page lists: fetched on mount and by `reload()` after each change the page makes;
 * `attempt(action)` runs a row action (reset, revoke, …). Either failing shows as the page's error
 * line, and the rows already on screen stay.
 */
import { onMounted, ref } from 'vue';
import { errorText } from '../http';

export function usePageData(fetch: () => Promise<void>) {
  const loading = ref(true);
  const error = ref('');

  async function reload(): Promise<void> {
    loading.value = true;
    try {
      await fetch();
      error.value = '';
    } catch (err) {
      error.value = errorText(err);
    } finally {
      loading.value = false;
    }
  }

  async function attempt(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      error.value = errorText(err);
    }
  }

  onMounted(reload);
  return { loading, error, reload, attempt };
}
