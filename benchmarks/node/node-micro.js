#!/usr/bin/env node
// node-micro.js: Node's own figures for the operations of Loopbench's micro suite
// (benchmarks/src/main/java/loopbench/bench/micro), so that each JVM runtime can be read as a
// ratio to Node. Same operation names, meanings and operation counts as the JMH benchmarks,
// and the same shapes as shared/anchors/node-bench.js:
//
//   promiseThenChain        a chain of N then() on a resolved promise, run to its end
//   queueMicrotask          a microtask that re-queues itself N times
//   nextTick                a nextTick callback that re-queues itself N times
//   setImmediateChain       each immediate schedules the next (one loop iteration each)
//   setImmediateBatch       N immediates scheduled at once
//   setTimeoutZeroBatch     N setTimeout(f, 0) at once (0 becomes 1 ms; the wait is included)
//   awaitValue              an async function awaiting N plain values
//   awaitSettled            an async function awaiting one already-settled promise N times
//   scheduleCancel          clearTimeout(setTimeout(f, 30000)) beside a pending timer of that duration
//   scheduleCancelEmptyList the same pair with no other timer (the duration list comes and goes)
//   promiseThenChain1M, setImmediateBatch250k, setTimeoutZeroBatch250k
//                           the same at the sizes of shared/anchors/node-bench.js (its N and N / 4):
//                           beyond V8's young generation (16 MiB semi-spaces), so promotion is paid
//
// Usage: node [--expose-gc] node-micro.js [--quick]
// Prints one JSON line: {"node": version, "ops": {name: ns per operation}, "bytes": {...}, ...}.
// Each figure is the median of several timed rounds after warm-up rounds. With --expose-gc it also
// measures heap bytes per pending timer and per parked await (heap delta after gc() / count),
// the figures of MemoryPerPendingTimer and MemoryPerParkedAwait.
'use strict';

const QUICK = process.argv.includes('--quick');
const N = 100_000;        // Micro.N
const N_AWAIT = 10_000;   // Micro.N_AWAIT
const N_1M = 1_000_000;   // Micro.N_1M: the anchor's N
const N_250K = N_1M / 4;  // Micro.N_250K: the anchor's N / 4, its count of immediates and timers
const WARMUP = QUICK ? 2 : 5;
const ROUNDS = QUICK ? 3 : 7;
const now = () => process.hrtime.bigint();
const never = () => { throw new Error('a cancelled timer fired'); };

// Each returns a promise of the ns it took per operation.
const thenChain = (n) => () => new Promise((done) => {
  let steps = 0;
  const step = (v) => { steps++; return v; };
  const t = now();
  let p = Promise.resolve(0);
  for (let i = 0; i < n; i++) p = p.then(step);
  p.then(() => done(Number(now() - t) / n));
});
const immediateBatch = (n) => () => new Promise((done) => {
  let ran = 0;
  const t = now();
  const f = () => { if (++ran === n) done(Number(now() - t) / n); };
  for (let i = 0; i < n; i++) setImmediate(f);
});
const timeoutZeroBatch = (n) => () => new Promise((done) => {
  let fired = 0;
  const t = now();
  const f = () => { if (++fired === n) done(Number(now() - t) / n); };
  for (let i = 0; i < n; i++) setTimeout(f, 0);
});

const ops = {
  promiseThenChain: thenChain(N),
  queueMicrotask: () => new Promise((done) => {
    let left = N;
    const t = now();
    const f = () => { if (--left > 0) queueMicrotask(f); else done(Number(now() - t) / N); };
    queueMicrotask(f);
  }),
  nextTick: () => new Promise((done) => {
    let left = N;
    const t = now();
    const f = () => { if (--left > 0) process.nextTick(f); else done(Number(now() - t) / N); };
    process.nextTick(f);
  }),
  setImmediateChain: () => new Promise((done) => {
    let ran = 0;
    const t = now();
    const f = () => { if (++ran < N) setImmediate(f); else done(Number(now() - t) / N); };
    setImmediate(f);
  }),
  setImmediateBatch: immediateBatch(N),
  setTimeoutZeroBatch: timeoutZeroBatch(N),
  awaitValue: () => new Promise((done) => {
    const t = now();
    (async () => {
      let x = 0;
      for (let i = 0; i < N; i++) x += await i;
      done(Number(now() - t) / N);
      return x;
    })();
  }),
  awaitSettled: () => new Promise((done) => {
    const t = now();
    (async () => {
      const settled = Promise.resolve(1);
      for (let i = 0; i < N_AWAIT; i++) await settled;
      done(Number(now() - t) / N_AWAIT);
    })();
  }),
  scheduleCancel: () => new Promise((done) => {
    const t = now();
    const anchor = setTimeout(never, 30000);
    for (let i = 0; i < N; i++) clearTimeout(setTimeout(never, 30000));
    clearTimeout(anchor);
    const ns = Number(now() - t) / N;
    setImmediate(() => done(ns));
  }),
  scheduleCancelEmptyList: () => new Promise((done) => {
    const t = now();
    for (let i = 0; i < N; i++) clearTimeout(setTimeout(never, 30000));
    const ns = Number(now() - t) / N;
    setImmediate(() => done(ns));
  }),
};
// Timed after all the others: a heap grown to a million pending objects slows V8's later work
// (queueMicrotask measured 72 -> 105-122 ns when these ran interleaved with it).
const opsAnchorSize = {
  promiseThenChain1M: thenChain(N_1M),
  setImmediateBatch250k: immediateBatch(N_250K),
  setTimeoutZeroBatch250k: timeoutZeroBatch(N_250K),
};

// Heap bytes per pending object: gc(), count objects kept reachable, gc() again.
const MEM_TIMERS = 100_000;   // MemoryPerPendingTimer.COUNT
const MEM_AWAITS = 10_000;    // MemoryPerParkedAwait.COUNT
function heapAfterGc() {
  for (let i = 0; i < 3; i++) global.gc();
  return process.memoryUsage().heapUsed;
}
async function bytesPerTimer() {
  const timers = new Array(MEM_TIMERS).fill(null);
  const before = heapAfterGc();
  for (let i = 0; i < MEM_TIMERS; i++) timers[i] = setTimeout(never, 3_600_000);
  const after = heapAfterGc();
  for (const t of timers) clearTimeout(t);
  return (after - before) / MEM_TIMERS;
}
async function bytesPerParkedAwait() {
  let open;
  const gate = new Promise((resolve) => { open = resolve; });
  let resumed = 0;
  const body = async () => { await gate; resumed++; };
  const bodies = new Array(MEM_AWAITS).fill(null);
  const before = heapAfterGc();
  for (let i = 0; i < MEM_AWAITS; i++) bodies[i] = body();
  const after = heapAfterGc();
  open();
  await Promise.all(bodies);
  if (resumed !== MEM_AWAITS) throw new Error(`resumed ${resumed} of ${MEM_AWAITS}`);
  return (after - before) / MEM_AWAITS;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const round1 = (v) => Math.round(v * 10) / 10;

(async () => {
  const samples = {};
  for (const group of [ops, opsAnchorSize]) {
    for (const name of Object.keys(group)) samples[name] = [];
    for (let r = 0; r < WARMUP + ROUNDS; r++) {
      for (const [name, op] of Object.entries(group)) {
        const ns = await op();
        if (r >= WARMUP) samples[name].push(ns);
      }
    }
  }
  const out = {
    node: process.version,
    ops: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, round1(median(v))])),
  };
  if (typeof global.gc === 'function') {
    const t = [], a = [];
    for (let r = 0; r < 3; r++) { t.push(await bytesPerTimer()); a.push(await bytesPerParkedAwait()); }
    out.bytes = { bytesPerTimer: round1(median(t)), bytesPerParkedAwait: round1(median(a)) };
  }
  out.N = N;
  out.N_AWAIT = N_AWAIT;
  out.N_1M = N_1M;
  out.N_250K = N_250K;
  out.rounds = ROUNDS;
  out.statistic = 'median';
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
