package org.onnx2trt.sample.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/** Reads files written by numpy 1.24 ({@code src/test/resources/npy/generate.py}) and writes them back. */
class NpyTest {
    static final Path DIR = Path.of("src", "test", "resources", "npy");

    static Tensor read(String file) throws Exception {
        return Npy.read(Files.readAllBytes(DIR.resolve(file)), file, "t");
    }

    @Test
    void readsEveryNumericTypeWithShape() throws Exception {
        Tensor f = read("f32_2x3.npy");
        assertEquals(DataType.FLOAT, f.dataType());
        assertArrayEquals(new long[] {2, 3}, f.dims());
        assertArrayEquals(new float[] {0, .25f, .5f, .75f, 1, 1.25f}, f.view().toFloatArray());

        Tensor s = read("f64_scalar.npy");
        assertArrayEquals(new long[0], s.dims());
        assertArrayEquals(new double[] {2.5}, s.view().toDoubleArray());

        assertArrayEquals(new long[] {-3, 0, 7, 1L << 40}, read("i64_4.npy").view().toLongArray());
        assertArrayEquals(new long[] {-128, 0, 127}, read("i8_3.npy").view().toLongArray());
        assertArrayEquals(new long[] {0, 1, 254, 255}, read("u8_2x2.npy").view().toLongArray());
        Tensor b = read("bool_3.npy");
        assertEquals(DataType.BOOL, b.dataType());
        assertEquals(List.of(true, false, true), List.of(b.view().getBoolean(0), b.view().getBoolean(1), b.view().getBoolean(2)));
        assertArrayEquals(new float[] {1, -2.5f, 65504}, read("f16_3.npy").view().toFloatArray());
        assertArrayEquals(new long[] {0, 3}, read("f32_empty_0x3.npy").dims());
        Tensor i32 = read("i32_1x3x2x2.npy");
        assertArrayEquals(new long[] {1, 3, 2, 2}, i32.dims());
        assertEquals(11, i32.view().getLong(11));
    }

    @Test
    void bigEndianAndFortranOrderComeOutLittleEndianInCOrder() throws Exception {
        assertArrayEquals(new float[] {1.5f, -2, 3.25f}, read("f32_big_endian.npy").view().toFloatArray());
        Tensor f = read("f32_fortran_2x3.npy");
        assertArrayEquals(new long[] {2, 3}, f.dims());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, f.view().toFloatArray());
    }

    /** numpy.save's own bytes: our writer gives the same file, header padding included. */
    @ParameterizedTest
    @ValueSource(strings = {"f32_2x3.npy", "f64_scalar.npy", "i64_4.npy", "i8_3.npy", "u8_2x2.npy", "bool_3.npy",
            "f16_3.npy", "f32_empty_0x3.npy", "i32_1x3x2x2.npy"})
    void writesTheBytesNumpyWrites(String file) throws Exception {
        assertArrayEquals(Files.readAllBytes(DIR.resolve(file)), Npy.write(read(file)), file);
    }

    @Test
    void readsStoredAndCompressedArchives() throws Exception {
        for (String file : List.of("pair.npz", "pair_compressed.npz")) {
            Map<String, Tensor> arrays = Npz.read(Files.readAllBytes(DIR.resolve(file)), file);
            assertEquals(List.of("x", "ids"), List.copyOf(arrays.keySet()), file);
            assertArrayEquals(new float[] {0, .25f, .5f, .75f, 1, 1.25f}, arrays.get("x").view().toFloatArray());
            assertArrayEquals(new long[] {1, 2}, arrays.get("ids").view().toLongArray());
        }
    }

    @Test
    void archivesRoundTrip() throws Exception {
        Map<String, Tensor> arrays = Npz.read(Files.readAllBytes(DIR.resolve("pair.npz")), "pair.npz");
        Map<String, Tensor> again = Npz.read(Npz.write(arrays), "memory");
        assertEquals(arrays.keySet(), again.keySet());
        for (String k : arrays.keySet()) {
            assertEquals(arrays.get(k).bytes(), again.get(k).bytes(), k);
        }
    }

    @Test
    void refusalsNameTheFileAndTheFix() throws IOException {
        assertEquals("object.npy: numpy dtype '|O' is not supported (an object array, which numpy pickles); convert"
                + " with arr.astype(numpy.float32) or another numeric type before saving", refusal("object.npy"));
        assertEquals("complex.npy: numpy dtype '<c8' is not supported (complex numbers); convert with"
                + " arr.astype(numpy.float32) or another numeric type before saving", refusal("complex.npy"));
        NpyException notNpy = assertThrows(NpyException.class, () -> Npy.read("hello world".getBytes(), "x.npy", "x"));
        assertEquals("x.npy: not a .npy file (it does not start with \\x93NUMPY); save arrays with numpy.save, or"
                + " tensor.numpy() first for PyTorch tensors", notNpy.getMessage());
        byte[] whole = Files.readAllBytes(DIR.resolve("f32_2x3.npy"));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 5);
        NpyException truncated = assertThrows(NpyException.class, () -> Npy.read(cut, "cut.npy", "x"));
        assertEquals("cut.npy: the header says (2, 3) of <f4 (24 bytes) but only 19 bytes follow: the file is"
                + " truncated", truncated.getMessage());
        NpyException notZip = assertThrows(NpyException.class, () -> Npz.read(whole, "f.npz"));
        assertEquals("f.npz: no arrays in the archive; is it an .npz written by numpy.savez?", notZip.getMessage());
    }

    private static String refusal(String file) throws IOException {
        byte[] bytes = Files.readAllBytes(DIR.resolve(file));
        return assertThrows(NpyException.class, () -> Npy.read(bytes, file, "x")).getMessage();
    }
}
