/** One shared one-second tick for clocks, "stale since" and highlight expiry. */
import { shallowRef } from 'vue';

export const now = shallowRef(Date.now());

let timer = 0;

export function startClock(): void {
  if (timer) return;
  const tick = () => {
    now.value = Date.now();
    // align to the next whole second so the header clock does not drift visibly
    timer = window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  };
  tick();
}
