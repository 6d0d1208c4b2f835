package org.onnx2trt.sample.npy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes past the limit are refused from the header, before the data is read or inflated (issue 16: a
 * 2 MB .npz inflating to 2 GiB used to end in an OutOfMemoryError), and shapes that overflow are errors.
 */
class NpySizeLimitTest {
    @TempDir
    Path dir;

    @Test
    void anArrayPastTheLimitIsRefusedFromItsHeader() throws IOException {
        long n = Npy.maxArrayBytes() / 4 + 1; // one float32 more than the limit
        byte[] npy = header("(" + n + ",)");
        Path npz = dir.resolve("big.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz))) {
            zip.putNextEntry(new ZipEntry("input.npy")); // deflated: the header claims more than the entry holds
            zip.write(npy);
            zip.closeEntry();
        }
        NpyException e = assertThrows(NpyException.class, () -> Npz.read(npz));
        assertTrue(e.getMessage().contains("more than the " + Npy.maxArrayBytes() + " one array may hold here"), e.getMessage());
    }

    @Test
    void aShapeThatOverflowsIsAnError() {
        NpyException e = assertThrows(NpyException.class, () -> Npy.read(header("(1099511627776, 1099511627776)"), "x.npy", "x"));
        assertTrue(e.getMessage().contains("more elements than a 64-bit count"), e.getMessage());
        e = assertThrows(NpyException.class, () -> Npy.read(header("(-3,)"), "x.npy", "x"));
        assertTrue(e.getMessage().contains("negative dim"), e.getMessage());
    }

    /** A version 1.0 .npy header of float32 with the shape given, and no data. */
    private static byte[] header(String shape) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(h.length() & 0xff);
        out.write(h.length() >> 8);
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
