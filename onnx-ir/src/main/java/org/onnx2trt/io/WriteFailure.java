package org.onnx2trt.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a file could not be written, in the words a user acts on: the folder that is missing,
 * read-only or not ours, instead of a Java exception's name and the temporary file's.
 */
public final class WriteFailure {
    private WriteFailure() {}

    /** The reason {@code e} gives for not writing into {@code folder}. */
    public static String describe(Path folder, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "the folder " + folder + " does not exist, or no file can be made in it";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: cannot write files in " + folder;
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT).contains("read-only")
                    ? folder + " is on a read-only file system"
                    : fs.getReason() + " (writing in " + folder + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
