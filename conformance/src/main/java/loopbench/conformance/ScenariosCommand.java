package loopbench.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;

/**
 * {@code ./loopbench scenarios --runtime loop|loom|threadpool|all FILE_OR_DIR...}: one JSON line per
 * file and runtime, {@code {"name","runtime","log"}} or {@code {"name","runtime","error"}}; it goes on
 * after an error. Exit 0 when every file ran, 1 if any had an error, 2 on bad arguments.
 */
public final class ScenariosCommand {
    public static final String USAGE = "usage: loopbench scenarios --runtime loop|loom|threadpool|all [--check] FILE_OR_DIR...\n"
            + "  --check  also compare each log with the file's \"expected\" and count mismatches as errors";

    private ScenariosCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> runtimes = null;
        boolean check = false;
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runtime" -> {
                    if (i + 1 >= args.length) return usage(err, "--runtime needs a value");
                    String r = args[++i];
                    List<String> known = EventLoops.providers().stream().map(EventLoopProvider::name).toList();
                    if (r.equals("all")) runtimes = known;
                    else if (known.contains(r)) runtimes = List.of(r);
                    else return usage(err, "unknown runtime '" + r + "' (allowed: " + String.join(", ", known) + ", all)");
                }
                case "--check" -> check = true;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("--")) return usage(err, "unknown option '" + args[i] + "'");
                    inputs.add(Path.of(args[i]));
                }
            }
        }
        if (runtimes == null) return usage(err, "--runtime is required");
        if (inputs.isEmpty()) return usage(err, "no scenario file or directory given");
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
                } catch (IOException e) {
                    return usage(err, "cannot list " + in + ": " + e.getMessage());
                }
            } else if (Files.exists(in)) {
                files.add(in);
            } else {
                return usage(err, "no such file or directory: " + in);
            }
        }
        ScenarioRunner runner = new ScenarioRunner();
        boolean anyError = false;
        for (Path f : files) {
            Scenario sc;
            try {
                sc = Scenario.load(f);
            } catch (ScenarioException | RuntimeException e) { // a bug in load must not cost the later files their lines
                for (String rt : runtimes) out.println(line(f.getFileName().toString(), rt, null, e.getMessage()));
                anyError = true;
                continue;
            }
            for (String rt : runtimes) {
                ScenarioRunner.Result r = runner.run(sc, rt);
                String error = r.error();
                if (error == null && check && sc.expected() != null && !sc.expected().equals(r.log())) {
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
        if (error != null) m.put("error", error); else m.put("log", new ArrayList<Object>(log));
        return JsValues.stringify(m);
    }

    private static int usage(PrintStream err, String problem) {
        err.println("loopbench scenarios: " + problem);
        err.println(USAGE);
        return 2;
    }
}
