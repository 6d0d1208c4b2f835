package org.onnx2trt.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file written under a temporary name in its target folder and renamed into place only when
 * complete, so readers never see half a file and a failure leaves the old file (if any) intact.
 */
public final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private boolean committed;

    public AtomicFile(Path target) throws IOException {
        this.target = target;
        Path folder = target.toAbsolutePath().getParent();
        this.temp = createUnique(folder, "." + target.getFileName() + ".", ".tmp");
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * A new empty file of a name no other has in {@code folder}. Made with the default permissions, so
     * the written file gets what the user's umask gives any new file (a temporary file's would be 0600).
     */
    private static Path createUnique(Path folder, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = folder.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix);
            try {
                return Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** The temporary file to write. */
    public Path temp() {
        return temp;
    }

    public Path target() {
        return target;
    }

    /** Renames the finished temporary file over the target. */
    public void commit() throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        try (AtomicFile f = new AtomicFile(target)) {
            Files.write(f.temp(), bytes);
            f.commit();
        }
    }
}
