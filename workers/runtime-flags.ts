/**
 * V8 flags of every process that runs a liveness worker: `npm start` and `npm run demo` (server and
 * embedded worker), `npm run worker`, the Dockerfile's command and bench:probe's worker child. They
 * are spelled out in package.json and the Dockerfile (a test keeps those equal to this list).
 *
 * --heap-growing-percent=100: after a full GC, let the old generation grow to twice its live size
 * before the next one. V8's own rule keeps a small heap tight: the worker's ~33 MB of live objects
 * (camera rows, answer memo, password cache) got a full mark-compact every ~6 s, because rounds
 * promote ~1 MB of short-lived objects per scavenge. With the flag it is one every ~20–30 s; measured
 * on bench:probe (10,000 cameras): main-thread GC pauses and incremental marking 218 → 42 ms per
 * minute, CPU of the GC helper threads ~75 → ~40 ms per 1,000 rounds, peak RSS +15 MB.
 *
 * --single-threaded-gc: scavenges and marking on the main thread only. The parallel helpers cost more
 * in all than they saved the main thread: on bench:probe (10,000 cameras, 2 CPUs, quiet machine) the
 * worker's CPU per 1,000 rounds went 545 → 479 (other threads 37 → 7, main thread not higher; 360–392
 * with 1-s start ticks), event-loop delay stayed under 15 ms, peak RSS 214 → 224–235 MB. The server
 * in the same process did not notice (bench:console: first paint, actions and fan-out within their noise).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--heap-growing-percent=100', '--single-threaded-gc'];
