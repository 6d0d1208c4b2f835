package org.onnx2trt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: the new file has the permissions any new file gets (the umask's), and a failure leaves nothing. */
class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenFileHasTheUmasksPermissionsNotATemporaryFiles() throws IOException {
        Path reference = Files.createFile(dir.resolve("reference")); // what this process's umask gives a new file
        Path written = dir.resolve("out.bin");
        AtomicFile.write(written, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(written));
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(written));
    }

    @Test
    void aWriteThatFailsLeavesNoFile() throws IOException {
        Path target = dir.resolve("never.bin");
        assertThrows(IOException.class, () -> {
            try (AtomicFile f = new AtomicFile(target)) {
                Files.write(f.temp(), new byte[] {1});
                throw new IOException("disk full");
            }
        });
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.toList());
        }
    }
}
