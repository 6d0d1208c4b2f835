package org.onnx2trt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.onnx2trt.io.AtomicFile;

/** Path comparisons for refusing to overwrite inputs, and atomic writes of reports. */
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

    /** Writes a report (JSON, trace) atomically; a folder that is missing is a user error. */
    static void writeReport(Path file, byte[] bytes) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UserError(file + ": the folder " + folder + " does not exist; create it first");
        }
        try {
            AtomicFile.write(file, bytes);
        } catch (IOException e) {
            throw new UserError(file + ": cannot write: " + org.onnx2trt.io.WriteFailure.describe(folder, e));
        }
    }

    /** Writes {@code document} as indented JSON, atomically (see {@link #writeReport}). */
    static void writeJson(Path file, Object document) {
        try {
            writeReport(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(document));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
