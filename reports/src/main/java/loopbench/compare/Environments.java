package loopbench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import loopbench.schema.JmhEntry;
import loopbench.schema.RunFiles;
import loopbench.schema.RunInfo;

/**
 * Where each run of a comparison ran: JDK, GC, cores, CPU model, commit and the measured JVMs'
 * arguments, from run.json (a run directory) or from the entries of a JMH file. A difference other
 * than the commit means a change may come from the machine or the JVM, not from the code. A fact
 * the files do not record is {@link #UNKNOWN}, which differs from nothing ({@link #differ}): a run
 * written before run.json recorded the measured JVM has no known collector, not another one.
 */
public final class Environments {
    /** The facts shown, in order; the commit is expected to differ and is never warned about. */
    public static final List<String> FACTS = List.of("jdk", "gc", "cores", "cpu", "commit", "jvm args");

    /** A fact the files do not say. */
    public static final String UNKNOWN = "?";

    private static final Pattern GC_FLAG = Pattern.compile("-XX:\\+Use(\\w+?)GC");

    private Environments() {}

    /** One run's facts, "?" where the files do not say. */
    public static Map<String, String> of(Path path) {
        Map<String, String> f = new LinkedHashMap<>();
        FACTS.forEach(k -> f.put(k, UNKNOWN));
        Path runJson = path.resolve("run.json");
        if (Files.isDirectory(path) && Files.isRegularFile(runJson)) {
            try {
                fromRunInfo(RunFiles.read(runJson, RunInfo.class), f);
            } catch (RunFiles.BadFileException e) {
                // compare reads results.json and micro.json on their own; the facts stay "?"
            }
        } else {
            Path jmh = Files.isDirectory(path) ? path.resolve("micro.json") : path;
            try {
                List<JmhEntry> entries = RunFiles.readJmh(jmh);
                if (!entries.isEmpty()) {
                    JmhEntry e = entries.get(0);
                    f.put("jdk", e.jdkVersion() == null ? UNKNOWN : e.jdkVersion() + " (" + e.vmName() + ")");
                    f.put("jvm args", args(e.jvmArgs()));
                    f.put("gc", gc(e.jvmArgs(), null));
                }
            } catch (RunFiles.BadFileException e) {
                // as above
            }
        }
        return f;
    }

    private static void fromRunInfo(RunInfo r, Map<String, String> f) {
        RunInfo.Jvm jvm = r.jvm();
        List<String> args = jvm != null
                ? jvm.args()
                : list(r.options() == null ? null : r.options().get("jvmArgs"));
        if (jvm != null) {
            f.put("jdk", jvm.version() + " (" + jvm.vendor() + ")");
        } else if (r.jdk() != null) {
            f.put("jdk", r.jdk().version() + " (" + r.jdk().vendor() + ")");
        }
        f.put("gc", gc(args, jvm == null ? null : jvm.gc()));
        if (r.cpu() != null) {
            f.put("cores", String.valueOf(r.cpu().cores()));
            f.put("cpu", String.valueOf(r.cpu().model()));
        }
        if (r.git() != null && r.git().commit() != null) {
            f.put(
                    "commit",
                    r.git().commit().substring(0, Math.min(12, r.git().commit().length()))
                            + (Boolean.TRUE.equals(r.git().dirty()) ? " (dirty)" : ""));
        }
        f.put("jvm args", args(args));
    }

    /**
     * The recorded collector, else the one the arguments select, else unknown: which collector a JDK
     * picks by itself depends on the machine (G1 on a server-class one, Serial on a small one), and
     * what it picked was not written down.
     */
    static String gc(List<String> args, String recorded) {
        if (recorded != null) return recorded;
        String gc = UNKNOWN;
        if (args != null) {
            for (String a : args) {
                Matcher m = GC_FLAG.matcher(a);
                if (m.matches()) gc = m.group(1);
            }
        }
        return gc;
    }

    private static List<String> list(JsonNode array) {
        if (array == null || !array.isArray()) return null;
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String args(List<String> args) {
        return args == null ? UNKNOWN : args.isEmpty() ? "(none)" : String.join(" ", args);
    }

    /** Whether these values of one fact (one per run, or per side) differ: two known values that are not equal. */
    public static boolean differ(Collection<String> values) {
        return values.stream().filter(v -> !v.equals(UNKNOWN)).distinct().count() > 1;
    }

    /** A side's facts: each fact's distinct known values over its runs, joined with " / ", else {@link #UNKNOWN}. */
    static Map<String, String> side(List<Path> runs) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (Path p : runs)
            of(p).forEach((k, v) ->
                    values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            List<String> known = v.stream().filter(x -> !x.equals(UNKNOWN)).toList();
            out.put(k, known.isEmpty() ? UNKNOWN : String.join(" / ", known));
        });
        return out;
    }

    /** The facts other than the commit that differ between or within the sides. */
    static List<String> differences(Map<String, String> base, Map<String, String> cur) {
        List<String> out = new ArrayList<>();
        for (String k : FACTS) {
            if (k.equals("commit")) continue;
            List<String> values = new ArrayList<>();
            for (String side : List.of(base.get(k), cur.get(k))) values.addAll(List.of(side.split(" / ")));
            if (differ(values)) out.add(k);
        }
        return out;
    }

    /** The table's rows: fact, baseline, current, and "differs" where {@link #differences} counts one. */
    static List<List<String>> rows(Map<String, String> base, Map<String, String> cur) {
        List<String> diff = differences(base, cur);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("environment", "baseline", "current", ""));
        for (String k : FACTS) rows.add(List.of(k, base.get(k), cur.get(k), diff.contains(k) ? "differs" : ""));
        return rows;
    }
}
