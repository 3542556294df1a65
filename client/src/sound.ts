/**
 * An optional beep for new outages (WebAudio, no audio file). Off by default; the toggle is
 * persisted. Browsers only allow audio after a user gesture, which turning it on is.
 */
import { ref, watch } from 'vue';

const KEY = 'sem.sound';
const MIN_GAP_MS = 3000;

function initial(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

export const soundOn = ref(initial());
let ctx: AudioContext | undefined;
let lastBeep = 0;

watch(soundOn, (on) => {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // ignore: the toggle still works for this session
  }
  if (on) {
    ctx ??= new AudioContext();
    void ctx.resume();
    beep(true);
  }
});

// Browsers start audio suspended until the page is touched: a persisted "on" wakes up on the first click.
window.addEventListener('pointerdown', () => {
  if (soundOn.value) {
    ctx ??= new AudioContext();
    void ctx.resume();
  }
}, { once: true, capture: true });

/** Two short tones; rate-limited so a burst is one beep. */
export function beep(force = false): void {
  if (!soundOn.value && !force) return;
  const t = Date.now();
  if (!force && t - lastBeep < MIN_GAP_MS) return;
  lastBeep = t;
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    const start = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t0 = start + i * 0.18;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.15);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.16);
    }
  } catch {
    // no audio device: stay silent
  }
}
