package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import loopbench.core.jfr.LoopLagEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording enables exactly the loopbench events that exist: every event class of core/jfr, and LoadRun. */
class JfrSupportTest {
    @Test
    void everyEnabledLoopbenchEventIsARealEventClass(@TempDir Path dir) throws Exception {
        Set<String> real = new TreeSet<>(eventNamesOfCoreJfr());
        real.add(LoadRunEvent.class.getAnnotation(Name.class).value());
        Set<String> enabled = new TreeSet<>();
        Recording r = JfrSupport.start(dir.resolve("t.jfr"), "test");
        try {
            r.getSettings().forEach((key, value) -> {
                if (key.startsWith("loopbench.") && key.endsWith("#enabled") && value.equals("true")) {
                    enabled.add(key.substring(0, key.indexOf('#')));
                }
            });
        } finally {
            JfrSupport.stop(r);
        }
        assertEquals(real, enabled);
    }

    /** The {@code @Name} of every Event subclass in core's loopbench.core.jfr package, read from its classes. */
    private static Set<String> eventNamesOfCoreJfr() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(LoopLagEvent.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        String pkg = LoopLagEvent.class.getPackageName();
        Set<String> names = new TreeSet<>();
        try (FileSystem jar = Files.isDirectory(root) ? null : FileSystems.newFileSystem(root);
                Stream<Path> files =
                        Files.list((jar == null ? root : jar.getPath("/")).resolve(pkg.replace('.', '/')))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String simple = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName(pkg + "." + simple);
                if (Event.class.isAssignableFrom(c))
                    names.add(c.getAnnotation(Name.class).value());
            }
        }
        return names;
    }
}
