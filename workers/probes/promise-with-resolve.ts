/**
 * A promise and the function that resolves it, like Node 22's Promise.withResolvers (Node 20 has none),
 * without a closure per call: the executor is one module function, run synchronously inside
 * `new Promise`, so what it captured belongs to this call. Probes make one per request, and V8 drops
 * the optimised code of per-call closures at every full GC.
 */
let captured: ((value: never) => void) | undefined;

function capture(resolve: (value: never) => void): void {
  captured = resolve;
}

export function promiseWithResolve<T>(): [promise: Promise<T>, resolve: (value: T) => void] {
  const promise = new Promise<T>(capture);
  const resolve = captured as (value: T) => void;
  captured = undefined;
  return [promise, resolve];
}
