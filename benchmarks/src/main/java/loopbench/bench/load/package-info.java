/**
 * The open-loop latency harness: how each runtime answers requests that arrive at a set rate.
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link loopbench.bench.load.LoadSpec}: what one request of a load does; {@link loopbench.bench.load.Loads}:
 *     the named loads, the one list bench, the report and compare read.</li>
 * <li>{@link loopbench.bench.load.RequestHandler}: one handler for every runtime: {@code async}/{@code await}
 *     where the runtime can block (loom, threadpool), a promise chain on loop. CPU work is
 *     {@link loopbench.bench.load.BusyWork} (calibrated iterations, not a wall-clock spin). Backend calls go
 *     where the run says ({@code --backend}, {@link loopbench.bench.backend.BackendConfig}):
 *     <ul>
 *     <li>{@code tcp}: real I/O. Each call is one request frame (delay, answer size, a 4-byte id) to a
 *         {@link loopbench.bench.backend.DelayBackend}, which answers after the delay echoing the id. Each loop
 *         opens its connections when it starts (4 by default, {@code --backend-connections}) and closes them
 *         at the end of the run, once its last calls have been answered;
 *         {@link loopbench.bench.backend.DelayBackendClient} pipelines the calls over them round robin,
 *         coalesces the frames queued behind a write in flight into the next write (as Node's writev does),
 *         reads in flowing mode and settles each call by the id its answer echoes (answers come back in order
 *         of due time, not of sending). A connection that fails rejects every call waiting on it with an error
 *         that names the backend and the cause, and is counted ({@code backend.failedCalls},
 *         {@code backend.connectionFailures}); it reconnects when a later call passes it. On loop the sockets
 *         are polled by the loop's selector; on loom and threadpool each connection's read holds one blocking
 *         thread (a virtual thread, or one of the bounded pool's) and each write takes one while it runs.
 *         {@code ./loopbench bench} starts the backend in a JVM of its own for the run; {@code LoadRunner}
 *         alone and {@code LatencyUnderLoad} start it in their own JVM; {@code HOST:PORT} uses a running one.</li>
 *     <li>{@code simulated}: a {@code setTimeout} per call: the runtime's cost of waiting, without I/O.</li>
 *     </ul>
 *     A load without backend calls ({@code cpu-blocking}) records {@code backend=none} whatever was asked.</li>
 * <li>{@link loopbench.bench.load.OpenLoopGenerator}: requests due on a constant or Poisson (seeded)
 *     schedule, submitted with {@code loop.execute} from a platform thread that parks and then spins the
 *     last stretch before each intended start (auto: this machine's parkNanos overshoot, at least 50 us).
 *     It never skips a request; a request sent more than 1 ms late is a late start; at most 10,000 in
 *     flight (at the limit it waits, which shows as latency).</li>
 * <li>{@link loopbench.bench.load.LatencySink}: latency = completion - <em>intended</em> start (corrected
 *     for coordinated omission, as wrk2) and completion - actual start (uncorrected), in HdrHistograms.
 *     Each loop records into plain histograms of its own (its callbacks never overlap), rotated on the loop
 *     by a posted task; loops that live for one request share concurrent Recorders.</li>
 * <li>{@link loopbench.bench.load.LoopSet}: the layout: {@code per-core} (default: one loop per core,
 *     round robin; threadpool loops share one BoundedPool), {@code single}, or {@code per-request}
 *     (loom, threadpool: a fresh loop per request). Every long-lived loop carries a
 *     {@link loopbench.bench.load.LagProbe}: a 10 ms timer measuring how late it ran against the loop's
 *     own millisecond clock (its phase found at start), like Node's monitorEventLoopDelay.</li>
 * <li>{@link loopbench.bench.load.CapacityEstimator}: per runtime and load, a closed loop at growing
 *     concurrency, the best confirmed once more after the backlog settles, capped by an analytical CPU
 *     ceiling. Points run at fractions of it (quick: 0.5, 0.9; full: 0.25 ... 1.1), so every runtime is
 *     compared at the same utilisation; the throughput chart shows how capacities differ.</li>
 * <li>{@link loopbench.bench.load.LoadRun}: one point: loops, JFR recording, generator, drain, figures,
 *     files. {@link loopbench.bench.load.LoadRunner}: the command line that {@code ./loopbench bench}
 *     forks once per load and runtime.</li>
 * <li>{@link loopbench.bench.load.HarnessCost}: the harness's own cost per request (a no-op request
 *     completed on the generator's thread: about 70-75 ns on the development VM; target under 100 ns) and
 *     whether the generator alone keeps the schedule at the highest rate used.</li>
 * </ul>
 *
 * <h2>JMH</h2>
 * The canonical results come from the harness itself: {@link loopbench.bench.load.PointResult} writes
 * each point as an entry of JMH's JSON ({@code benchmark} {@code loopbench.bench.load.LatencyUnderLoad.openLoop},
 * mode {@code ss}, primary metric = achieved throughput in ops/s, the figures as secondary metrics), because
 * a JMH single-shot benchmark's primary metric is its time and JMH has no way to report latency
 * percentiles measured inside the benchmark. {@link loopbench.bench.load.LatencyUnderLoad} is the same run
 * as a real JMH benchmark (same jar, JMH's fork control); with
 * {@code -prof loopbench.bench.load.LoadMetricsProfiler} JMH's own JSON carries the figures too, and with
 * {@code -Dloopbench.out=RUN_DIR} it writes the same RUN_DIR files.
 *
 * <h2>RUN_DIR</h2>
 * Besides the files of reports/RESULTS-FORMAT.md: {@code points/<stem>.result.json} and
 * {@code points/<stem>.jfr.json} (one per finished point; results.json and jfr-summary.json are assembled
 * from them, so an interrupted run keeps what it finished), {@code harness.json} (the harness's own cost),
 * and in run.json the fields {@code capacity} (load, runtime: req/s; {@code bench --capacity-from} reuses
 * them so two runs offer the same rates and {@code compare} can match their points) and {@code harness}.
 *
 * <h2>Caveats</h2>
 * The generator shares the machine: at high rates it spins a whole core (reported per point as
 * {@code generator.cpu.ms}), and on a 2-core machine that is half of it. Late starts count every
 * request the generator sent late, whatever the cause (its thread descheduled by a busy system
 * included); the latency they add is charged to the system under test, which on a shared machine it is.
 * With the tcp backend the delay backend is a third process on the same cores. On threadpool, socket reads
 * and writes need threads of the same bounded pool that requests blocked in {@code await} hold: with the
 * requests in flight near the pool's size, the I/O that would answer them cannot start, and the capacity
 * search sees throughput collapse to 0 (the pool's exhaustion check does not count threads waiting in
 * socket reads as blocked, so nothing is failed fast); its capacity is the best step before that.
 */
package loopbench.bench.load;
