package org.onnx2trt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Path comparisons for refusing to overwrite inputs. */
final class Files2 {
    private Files2() {}

    /** Whether {@code a} and {@code b} are different files (also through links and relative paths). */
    static boolean differ(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return !Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall through to comparing names
        }
        return !a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
