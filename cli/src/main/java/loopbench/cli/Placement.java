package loopbench.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a bench run's processes run. The measured runtime's loops, the load generator (a thread of
 * the measured JVM) and the delay backend (a JVM of its own) share the machine's cores: with fewer
 * cores than loops + generator + backend they compete, and the figures are a machine-wide capacity,
 * not the runtime's alone. With enough cores and {@code taskset}, the backend gets the last core
 * and the measured JVM the others, so neither takes CPU from the other; the generator stays a thread
 * of the measured JVM and shares its cores (it has no process of its own to pin).
 *
 * @param cores      processors this JVM may use
 * @param loops      the measured runtime's loops
 * @param backend    whether the run starts a delay backend
 * @param taskset    whether {@code taskset} runs here
 */
record Placement(int cores, int loops, boolean backend, boolean taskset) {

    /** Loops, the generator, and the backend if there is one. */
    int needed() {
        return loops + 1 + (backend ? 1 : 0);
    }

    /** Whether the processes are pinned to separate cores. */
    boolean pinned() {
        return taskset && backend && cores >= needed();
    }

    /** The cores the measured JVMs run on, as taskset's list, or null when not pinned. */
    String measuredCpus() {
        return pinned() ? (cores - 2 == 0 ? "0" : "0-" + (cores - 2)) : null;
    }

    /** The core the delay backend runs on, or null when not pinned. */
    String backendCpus() {
        return pinned() ? Integer.toString(cores - 1) : null;
    }

    /** The warning for run.json and the report, or null when the cores suffice. */
    String warning() {
        if (cores >= needed()) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "this machine has %d core%s for %d loop%s + the load generator%s: they share the cores, so each "
                        + "figure is a machine-wide capacity, not the runtime's alone",
                cores,
                cores == 1 ? "" : "s",
                loops,
                loops == 1 ? "" : "s",
                backend ? " + the delay backend" : "");
    }

    /** {@code taskset -c CPUS} before {@code cmd} when pinned, else {@code cmd} itself. */
    List<String> pin(String cpus, List<String> cmd) {
        if (cpus == null) {
            return cmd;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
        pinned.addAll(cmd);
        return pinned;
    }

    /** run.json's options.placement. */
    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("cores", cores);
        o.put("needed", needed());
        o.put("loops", loops);
        o.put("backendProcess", backend);
        o.put("tasksetAvailable", taskset);
        o.put("pinned", pinned());
        if (pinned()) {
            o.put("measuredCpus", measuredCpus());
            o.put("backendCpus", backendCpus());
            o.put("generator", "a thread of the measured JVM, on its cores");
        }
        if (warning() != null) {
            o.put("warning", warning());
        }
        return o;
    }

    /** This machine, for a run of {@code layout} with or without a started backend. */
    static Placement of(String layout, boolean backend) {
        int cores = Runtime.getRuntime().availableProcessors();
        int loops = layout.equals("single") ? 1 : cores; // per-request: as many loops busy as cores can run
        boolean taskset = Machine.firstLine(Machine.home(), "taskset", "-c", "0", "true") != null;
        return new Placement(cores, loops, backend, taskset);
    }
}
