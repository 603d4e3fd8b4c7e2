package loopbench.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A loop-lag probe sample above its spike threshold: a timer ran this much later than due. */
@Name("loopbench.LoopLag")
@Label("Loop Lag Spike")
@Category("Loopbench")
@Description("A periodic probe timer ran late by more than the spike threshold")
@StackTrace(false)
public final class LoopLagEvent extends jdk.jfr.Event {
    @Label("Runtime")
    public String runtime;

    @Label("Lag")
    @Timespan(Timespan.NANOSECONDS)
    public long lagNanos;
}
