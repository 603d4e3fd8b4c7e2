package loopbench.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Node's {@code fs.readFile} and an atomic {@code writeFile} for one loop, as chains of work
 * requests. The loop checks its arguments and its owner; this class only sequences the requests.
 *
 * <p>readFile is what Node does for a regular file: open, fstat, read, close, each a request whose
 * completion runs in a poll phase and starts the next. So its callback comes at least four loop
 * iterations later, which is why an immediate set beside it runs first. writeFile is one request
 * (write a sibling temporary file, then rename it over the target), so a reader never sees half a file.
 *
 * <p>Owner-only, like the requests it starts; it keeps no state of its own.
 */
final class FileOperations {
    private final WorkRequests requests;

    FileOperations(WorkRequests requests) {
        this.requests = requests;
    }

    void readFile(Path path, BiConsumer<byte[], Throwable> callback) {
        requests.call(() -> FileChannel.open(path), (ch, openError) -> {
            if (openError != null) {
                callback.accept(null, openError);
                return;
            }
            requests.call(ch::size, (size, statError) -> {
                if (statError != null) {
                    closeThen(ch, () -> callback.accept(null, statError));
                    return;
                }
                requests.call(
                        () -> readAll(ch, size),
                        (bytes, readError) -> closeThen(ch, () -> callback.accept(bytes, readError)));
            });
        });
    }

    private void closeThen(FileChannel ch, Runnable then) {
        requests.call(
                () -> {
                    ch.close();
                    return null;
                },
                (ignored, closeError) -> then.run());
    }

    private static byte[] readAll(FileChannel ch, long size) throws IOException {
        if (size > Integer.MAX_VALUE - 8) throw new IOException("file too large to read at once: " + size + " bytes");
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
            /* until full or EOF */
        }
        return buf.hasRemaining() ? Arrays.copyOf(buf.array(), buf.position()) : buf.array();
    }

    /** The blocking half of writeFile, run as an offload. */
    static Void writeAtomically(Path path, byte[] data) throws IOException {
        Path tmp = path.resolveSibling(
                path.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.write(tmp, data);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return null;
    }
}
