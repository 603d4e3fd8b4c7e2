package loopbench.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * RUN_DIR/run.json: what ran, where and whether it finished. Written first with {@code finished}
 * null and rewritten at the end; {@code options} and {@code harness} are free-form objects.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunInfo(
        int schema,
        String profile,
        String started,
        String finished,
        boolean partial,
        String partialReason,
        Jdk jdk,
        Os os,
        Cpu cpu,
        Git git,
        JsonNode options,
        Node node,
        Map<String, Map<String, Double>> capacity,
        JsonNode harness,
        Jvm jvm) {

    /**
     * The measured JVMs (the forked ones), as {@code bench --java-home} and {@code --jvm-args} set
     * them: {@code jdk} above is the JVM that ran bench itself. {@code gc} is the collector that JDK
     * picks with those arguments (its {@code -XX:+PrintFlagsFinal}). Absent in runs written before it existed.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Jvm(String javaHome, String version, String vendor, String gc, List<String> args) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Jdk(String version, String vendor, String vm) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Os(String name, String arch) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cpu(String model, Integer cores) {}

    /** {@code dirty} is null when git could not tell. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Git(String commit, Boolean dirty) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(String version) {}
}
