package loopbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A child JVM's output arrives whole and in order before waitFor returns, and the watchdog ends a child that overruns. */
class ForkedJvmTest {
    /** The child: prints two lines on stdout and one on stderr, then exits with args[0], or hangs for "hang". */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("one");
            System.err.println("on stderr");
            System.out.println("two");
            System.out.flush();
            if (args[0].equals("hang")) {
                Thread.sleep(Duration.ofHours(1));
            }
            System.exit(Integer.parseInt(args[0]));
        }
    }

    private static List<String> command(String arg) {
        return ForkedJvm.command(
                List.of("-Xmx32m"),
                Path.of("."),
                Path.of(System.getProperty("java.class.path")),
                Child.class.getName(),
                List.of(arg));
    }

    @Test
    void everyLineIsRelayedBeforeWaitForReturnsItsExitStatus() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        ForkedJvm child = ForkedJvm.start(command("3"), Path.of("."), out::add, err::add, Duration.ofMinutes(5), false);
        assertEquals(3, child.waitFor());
        assertEquals(List.of("one", "two"), out);
        assertEquals(List.of("on stderr"), err);
        assertFalse(child.timedOut());
    }

    @Test
    void mergedOutputKeepsBothStreams() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ForkedJvm child = ForkedJvm.start(command("0"), Path.of("."), lines::add, null, null, false);
        assertEquals(0, child.waitFor());
        assertTrue(lines.containsAll(List.of("one", "on stderr", "two")), lines.toString());
    }

    @Test
    void theWatchdogKillsAChildPastItsBudget() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        ForkedJvm child =
                ForkedJvm.start(command("hang"), Path.of("."), out::add, line -> {}, Duration.ofMillis(1), false);
        int status = child.waitFor(); // returns only because the watchdog killed it: the child sleeps an hour
        assertTrue(child.timedOut());
        assertFalse(child.process().isAlive());
        assertTrue(status != 0, "killed: " + status);
    }
}
