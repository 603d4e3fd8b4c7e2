package loopbench.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import loopbench.core.EventLoops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./loopbench scenarios --runtime loop|loom|threadpool|all FILE_OR_DIR...}: one JSON line per
 * file and runtime, {@code {"name","runtime","log"}} or {@code {"name","runtime","error"}}; it goes on
 * after an error. Exit 0 when every file ran, 1 if any had an error, 2 on bad arguments.
 */
@Command(
        name = "scenarios",
        header = "Run event-loop scenarios; print each one's log as JSON lines.",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Run event-loop scenarios and print each one's log, one JSON line per file and runtime.")
public final class ScenariosCommand implements Callable<Integer> {
    @Option(
            names = "--runtime",
            required = true,
            paramLabel = "RUNTIME",
            description = "the runtime to run on (one of the installed runtimes: ${COMPLETION-CANDIDATES}), or all",
            completionCandidates = RuntimeNames.class)
    String runtime;

    @Option(
            names = "--check",
            description = "also compare each log with the file's \"expected\" and count mismatches as errors")
    boolean check;

    @Parameters(
            paramLabel = "FILE_OR_DIR",
            arity = "1..*",
            description = "scenario files, or directories searched for *.json")
    List<Path> inputs;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    public ScenariosCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The names of the runtimes on the class path, in the providers' order: what --runtime accepts besides all. */
    public static final class RuntimeNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return names().iterator();
        }

        /** The runtimes named by one --runtime value (a name or all), or a usage error naming the allowed ones. */
        public static List<String> pick(CommandSpec spec, String value) {
            List<String> known = names();
            if (value.equals("all")) return known;
            if (known.contains(value)) return List.of(value);
            throw new ParameterException(
                    spec.commandLine(),
                    "unknown runtime '" + value + "' for --runtime: use " + String.join(", ", known) + " or all");
        }

        static List<String> names() {
            return EventLoops.names();
        }
    }

    @Override
    public Integer call() {
        List<String> runtimes = RuntimeNames.pick(spec, runtime);
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new ParameterException(spec.commandLine(), "cannot list " + in + ": " + e.getMessage());
                }
            } else if (Files.exists(in)) {
                files.add(in);
            } else {
                throw new ParameterException(spec.commandLine(), "no such file or directory: " + in);
            }
        }
        ScenarioRunner runner = new ScenarioRunner();
        boolean anyError = false;
        for (Path f : files) {
            Scenario sc;
            try {
                sc = Scenario.load(f);
            } catch (ScenarioException
                    | RuntimeException e) { // a bug in load must not cost the later files their lines
                for (String rt : runtimes) out.println(line(f.getFileName().toString(), rt, null, e.getMessage()));
                anyError = true;
                continue;
            }
            for (String rt : runtimes) {
                ScenarioRunner.Result r = runner.run(sc, rt);
                String error = r.error();
                if (error == null
                        && check
                        && sc.expected() != null
                        && !sc.expected().equals(r.log())) {
                    error = "log differs from expected: got " + JsValues.stringify(new ArrayList<Object>(r.log()))
                            + ", expected " + JsValues.stringify(new ArrayList<Object>(sc.expected()));
                }
                anyError |= error != null;
                out.println(line(sc.name(), rt, error == null ? r.log() : null, error));
                out.flush();
            }
        }
        return anyError ? 1 : 0;
    }

    private static String line(String name, String runtime, List<String> log, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("runtime", runtime);
        if (error != null) m.put("error", error);
        else m.put("log", new ArrayList<Object>(log));
        return JsValues.stringify(m);
    }
}
