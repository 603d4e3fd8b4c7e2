package loopbench.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * One hand-off of a loop's token to an async body and back (loom, threadpool): the event's
 * duration is how long the giver waited, which includes the time the receiving thread waited
 * for a carrier or a CPU.
 */
@Name("loopbench.AwaitHandOff")
@Label("Await Hand-Off")
@Category("Loopbench")
@Description("The loop's token went to an async body and came back")
@StackTrace(false)
@Threshold("1 ms") // a hand-off costs about a microsecond: record only the slow ones by default
public final class AwaitHandOffEvent extends jdk.jfr.Event {
    @Label("Runtime")
    public String runtime;
}
