package loopbench.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A loop callback (with its drain) that held the loop longer than the loop's blocked threshold. */
@Name("loopbench.SlowCallback")
@Label("Slow Loop Callback")
@Category("Loopbench")
@Description("A callback held its loop longer than the blocked-loop threshold")
@StackTrace(false)
public final class SlowCallbackEvent extends jdk.jfr.Event {
    @Label("Runtime")
    public String runtime;

    @Label("Held")
    @Timespan(Timespan.NANOSECONDS)
    public long heldNanos;
}
