package loopbench.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.regex.Pattern;
import loopbench.bench.load.Loads;
import loopbench.core.EventLoops;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * benchmarks.jar's main: JMH's command line, with the parameters JMH cannot take from a registry
 * filled in from it. A benchmark's {@code @Param(Runtimes.FILLED) String runtime} holds a placeholder
 * and {@link Runtimes} on its class says which runtimes it runs on (a capability, not names); a
 * {@code load} parameter so marked takes every {@link Loads#names() load}. {@code -p runtime=loom}
 * still picks among them.
 *
 * <pre>
 * java -jar benchmarks.jar 'loopbench.bench.micro.*' -rf json -rff micro.json   # every runtime each can run
 * java -jar benchmarks.jar TokenHandOff -p runtime=loom                          # one of them
 * </pre>
 *
 * <p>Implementation: JMH's {@code -p} sets a parameter for every benchmark of a run, so benchmarks
 * whose filled values differ (every runtime; only those that can await) run as separate JMH runs in
 * this JVM, one per set of values, each excluding the others' benchmarks; their results are written
 * together, to the one {@code -rf}/{@code -rff} file asked for. Listing and help go straight to
 * JMH's own main.
 */
public final class JmhMain {
    private JmhMain() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cmd.shouldHelp()
                || cmd.shouldList()
                || cmd.shouldListWithParams()
                || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        try {
            System.exit(run(cmd, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("benchmarks.jar: " + e.getMessage());
            System.exit(2);
        } catch (RunnerException e) {
            System.err.println("benchmarks.jar: " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** Runs the benchmarks {@code cmd} selects, one JMH run per set of filled values; 0 when any ran. */
    static int run(CommandLineOptions cmd, PrintStream out) throws RunnerException, IOException {
        Map<String, Map<String, List<String>>> filled = filledParams(cmd, out);
        if (filled.isEmpty()) {
            throw new IllegalArgumentException(
                    "nothing to run: no benchmark matches " + includes(cmd) + " with the -p values given");
        }
        Map<Map<String, List<String>>, List<String>> runs = new LinkedHashMap<>();
        filled.forEach((name, values) ->
                runs.computeIfAbsent(values, k -> new ArrayList<>()).add(name));
        Optional<ResultFormatType> format = toOptional(cmd.getResultFormat());
        List<RunResult> results = new ArrayList<>();
        for (Map.Entry<Map<String, List<String>>, List<String>> r : runs.entrySet()) {
            ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
            for (String other : filled.keySet()) {
                if (!r.getValue().contains(other)) b.exclude("^" + Pattern.quote(other) + "$");
            }
            r.getKey().forEach((param, values) -> b.param(param, values.toArray(String[]::new)));
            Path part = null;
            if (format.isPresent()) { // each run's own file, so that one does not overwrite another's
                part = Files.createTempFile(
                        "loopbench-jmh-", "." + format.get().name().toLowerCase());
                b.result(part.toString());
            }
            try {
                results.addAll(new Runner(b.build()).run());
            } finally {
                if (part != null) Files.deleteIfExists(part);
            }
        }
        if (format.isPresent()) {
            String file = toOptional(cmd.getResult())
                    .orElse("jmh-result." + format.get().name().toLowerCase());
            ResultFormatFactory.getInstance(format.get(), file).writeOut(results);
            // Each run above named its own temporary file; this is the one that holds them all.
            if (runs.size() > 1)
                out.println("Results of the " + runs.size() + " runs above are saved together to " + file);
        }
        return 0;
    }

    /**
     * Each selected benchmark and the values of its placeholder parameters, skipping (with a line on
     * {@code out}) those for which {@code -p} leaves none; benchmarks without placeholders map to
     * an empty map.
     */
    static Map<String, Map<String, List<String>>> filledParams(CommandLineOptions cmd, PrintStream out) {
        OutputFormat quiet = OutputFormatFactory.createFormatInstance(out, VerboseMode.SILENT);
        List<String> excludes = cmd.getExcludes();
        SortedSet<BenchmarkListEntry> entries = BenchmarkList.defaultList().find(quiet, includes(cmd), excludes);
        Map<String, Map<String, List<String>>> filled = new LinkedHashMap<>();
        for (BenchmarkListEntry e : entries) {
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (Map.Entry<String, String[]> p : e.getParams().orElse(Map.of()).entrySet()) {
                if (!List.of(Runtimes.FILLED).equals(List.of(p.getValue()))) continue; // the annotation's own values
                values.put(p.getKey(), chosen(cmd, p.getKey(), registryValues(e, p.getKey())));
            }
            List<String> none = values.entrySet().stream()
                    .filter(v -> v.getValue().isEmpty())
                    .map(Map.Entry::getKey)
                    .toList();
            if (none.isEmpty()) {
                filled.put(e.getUsername(), values);
            } else {
                out.println("# Skipped " + e.getUsername() + ": -p " + none.get(0) + " names none of "
                        + registryValues(e, none.get(0)));
            }
        }
        return filled;
    }

    /** The values the registries give a placeholder parameter of {@code e}. */
    public static List<String> registryValues(BenchmarkListEntry e, String param) {
        return switch (param) {
            case "runtime" -> runtimesOf(e.getUserClassQName()).names();
            case "load" -> Loads.names();
            default ->
                throw new IllegalStateException(e.getUsername() + " has @Param(Runtimes.FILLED) " + param
                        + ", which no registry fills: give it values, or fill it in JmhMain.registryValues");
        };
    }

    private static Runtimes.Which runtimesOf(String className) {
        Class<?> c;
        try {
            c = Class.forName(className, false, JmhMain.class.getClassLoader());
        } catch (ClassNotFoundException x) {
            throw new IllegalStateException("benchmark class " + className + " is not on the class path", x);
        }
        Runtimes r = c.getAnnotation(Runtimes.class);
        if (r == null) {
            throw new IllegalStateException(
                    className + " has @Param(Runtimes.FILLED) runtime but no @Runtimes to fill it");
        }
        return r.value();
    }

    /**
     * {@code -p param=...} kept to {@code allowed} (in the registry's order), or all of them when not
     * given. A value the registry does not know at all is an error; a runtime it knows that this
     * benchmark cannot run on is left out.
     */
    static List<String> chosen(CommandLineOptions cmd, String param, List<String> allowed) {
        Optional<Collection<String>> asked = toOptional(cmd.getParameter(param));
        if (asked.isEmpty()) return allowed;
        List<String> known = "runtime".equals(param) ? EventLoops.names() : allowed;
        for (String a : asked.get()) {
            if (!known.contains(a))
                throw new IllegalArgumentException("-p " + param + "=" + a + " is not one of " + known);
        }
        return allowed.stream().filter(asked.get()::contains).toList();
    }

    private static List<String> includes(CommandLineOptions cmd) {
        return cmd.getIncludes().isEmpty() ? List.of(".*") : cmd.getIncludes();
    }

    private static <T> Optional<T> toOptional(org.openjdk.jmh.util.Optional<T> o) {
        return o.hasValue() ? Optional.of(o.get()) : Optional.empty();
    }
}
