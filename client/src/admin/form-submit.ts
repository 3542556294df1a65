/**
 * The submit of an admin dialog form: the form's own check first (its message, or '' when the
 * form is fine), then the server call. A second press while a call is in flight does nothing, and
 * a refusal shows as the form's error, so the dialog stays open with what was typed.
 */
import { ref } from 'vue';
import { errorText } from '../http';

export function useFormSubmit(problem: () => string, call: () => Promise<void>) {
  const error = ref('');
  const busy = ref(false);

  async function submit(): Promise<void> {
    error.value = problem();
    if (error.value || busy.value) return;
    busy.value = true;
    try {
      await call();
    } catch (err) {
      error.value = errorText(err);
    } finally {
      busy.value = false;
    }
  }

  return { error, busy, submit };
}
