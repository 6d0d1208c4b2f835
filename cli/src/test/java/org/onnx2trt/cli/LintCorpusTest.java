package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * The lint on every corpus and export model as a user meets them: the exports as they are, their
 * INT8 models for TensorRT (whose recipe ends with the lint stage: a finding it rejects fails the run),
 * and their float16 models: no error-level finding on any.
 */
class LintCorpusTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<Path> models() throws IOException {
        return Float16CommandTest.models();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void noErrorsOnTheExportsTheirInt8AndTheirFp16Models(Path model) throws IOException {
        CliTest.Run raw = CliTest.run("lint", model.toString());
        assertEquals(0, raw.code(), raw.out() + raw.err());

        Path int8 = dir.resolve("int8.onnx");
        CliTest.Run q = CliTest.run("quantize", model.toString(), "-o", int8.toString(), "--calib", calibration(model).toString(),
                "--method", "minmax", "--no-fallback");
        assertEquals(0, q.code(), q.out() + q.err());
        assertTrue(q.out().contains("lint: the model for TensorRT 11.2 (parser opsets 9 to 24): 0 errors"), q.out());
        CliTest.Run linted = CliTest.run("lint", int8.toString(), "--json");
        assertEquals(0, linted.code(), linted.out());
        assertTrue(linted.out().contains("\"errors\" : 0"), linted.out());

        Path fp16 = dir.resolve("fp16.onnx");
        CliTest.Run half = CliTest.run("optimize", model.toString(), "-o", fp16.toString(), "--precision", "fp16");
        assertEquals(0, half.code(), half.out() + half.err());
        CliTest.Run linted16 = CliTest.run("lint", fp16.toString());
        assertEquals(0, linted16.code(), linted16.out());
    }

    @Test
    void anOnnxruntimeCpuModelIsRejectedWithTheFixAndBadInputIsExitTwo() throws IOException {
        Path model = Path.of("..", "testdata", "quant", "plain_cnn.onnx");
        Path cpu = dir.resolve("cpu.onnx");
        CliTest.Run q = CliTest.run("quantize", model.toString(), "-o", cpu.toString(), "--calib",
                Path.of("..", "testdata", "quant", "calib.npz").toString(), "--target", "ort-cpu");
        assertEquals(0, q.code(), q.out() + q.err());
        assertTrue(!q.out().contains("lint:"), "no TensorRT lint for a CPU model: " + q.out());
        CliTest.Run r = CliTest.run("lint", cpu.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("[qdq-uint8]") && r.out().contains("[qdq-int32-bias]"), r.out());
        assertTrue(r.out().contains("fix: quantize the float model for TensorRT"), r.out());
        CliTest.Run version = CliTest.run("lint", model.toString(), "--trt-version", "8.6");
        assertEquals(2, version.code());
        assertTrue(version.err().contains("give a 10.x or 11.x version"), version.err());
        CliTest.Run missing = CliTest.run("lint", dir.resolve("none.onnx").toString());
        assertEquals(2, missing.code());
    }

    /** Eight standard-normal samples per input along a leading axis (symbolic dims 1), as a user's .npz. */
    private Path calibration(Path modelFile) throws IOException {
        Model m = ModelReader.read(modelFile);
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        Random random = new Random(3);
        for (org.onnx2trt.ir.Value v : m.graph().runtimeInputs()) {
            Port p = m.graph().inputs().stream().filter(x -> x.value() == v).findFirst().orElseThrow();
            var dims = Types.shape(p.declaration().getType());
            long[] d = new long[dims.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = i == 0 ? 8 : dims.get(i).isKnown() ? dims.get(i).value() : 1;
            }
            DataType type = DataType.fromCode(Types.elemType(p.declaration().getType())).orElse(DataType.FLOAT);
            arrays.put(v.name(), RandomInputs.random(v.name(), type, d, random));
        }
        Path file = dir.resolve("calib.npz");
        Files.write(file, Npz.write(arrays));
        return file;
    }
}
