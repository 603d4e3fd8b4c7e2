package loopbench.bench.load;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** One load-test point: its duration is the run (schedule and drain), its fields the run's figures. */
@Name("loopbench.LoadRun")
@Label("Load Run")
@Category("Loopbench")
@Description("One open-loop load-test point and its figures")
@StackTrace(false)
public final class LoadRunEvent extends jdk.jfr.Event {
    @Label("Load")
    public String load;

    @Label("Runtime")
    public String runtime;

    @Label("Layout")
    public String layout;

    @Label("Offered Rate (req/s)")
    public double rate;

    @Label("Achieved Throughput (req/s)")
    public double throughput;

    @Label("Requests")
    public long requests;

    @Label("Errors")
    public long errors;

    @Label("Late Starts")
    public long lateStarts;

    @Label("Latency p50")
    @Timespan(Timespan.MICROSECONDS)
    public long p50Micros;

    @Label("Latency p99")
    @Timespan(Timespan.MICROSECONDS)
    public long p99Micros;

    @Label("Latency p99.9")
    @Timespan(Timespan.MICROSECONDS)
    public long p999Micros;

    @Label("Loop Lag p99")
    @Timespan(Timespan.MICROSECONDS)
    public long lagP99Micros;
}
