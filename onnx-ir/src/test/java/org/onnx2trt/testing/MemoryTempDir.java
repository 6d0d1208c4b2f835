package org.onnx2trt.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary folders in memory ({@code /dev/shm}) where the machine has one, else in the default
 * temporary folder. The model writer syncs every file it writes to disk, which costs tens of
 * milliseconds per file on a busy disk; tests that write hundreds of models use
 * {@code @TempDir(factory = MemoryTempDir.class)}.
 */
public final class MemoryTempDir implements TempDirFactory {
    private static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
        if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
            return Files.createTempDirectory(SHM, "onnx2trt-test-");
        }
        return Files.createTempDirectory("onnx2trt-test-");
    }
}
