package loopbench.report;

import java.nio.file.Path;

/**
 * An input file that cannot be used: missing, unreadable, not JSON, or not the expected shape.
 * The message always names the file and says what is wrong with it, so a CLI can print it as is.
 */
public final class BadInputException extends Exception {
    private final transient Path file;

    public BadInputException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
