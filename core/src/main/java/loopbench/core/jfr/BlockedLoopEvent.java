package loopbench.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The blocked-loop detector saw a callback still running past the threshold (reported once per callback). */
@Name("loopbench.BlockedLoop")
@Label("Blocked Loop")
@Category("Loopbench")
@Description("A loop callback is still running past the blocked-loop threshold")
@StackTrace(false)
public final class BlockedLoopEvent extends jdk.jfr.Event {
    @Label("Runtime")
    public String runtime;

    @Label("Running For")
    @Timespan(Timespan.NANOSECONDS)
    public long runningNanos;

    @Label("Thread")
    public String threadName;

    @Label("Stack")
    public String stack;
}
