package org.onnx2trt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.LogitOutputs;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.Outputs;

/** Differential numerics on top of structure: before and after run in onnxruntime on seeded inputs. */
public final class Numerics {

    private Numerics() {}

    /**
     * Runs both models on three seeded inputs; each output must agree within {@code rtol}, relative
     * to the largest magnitude of the expected output (at least 1).
     */
    public static void assertSameOutputs(Model before, Model after, double rtol, String where) {
        try {
            Path dir = Files.createTempDirectory("golden");
            Path a = dir.resolve("before.onnx");
            Path b = dir.resolve("after.onnx");
            ModelWriter.write(before, a, WriteOptions.inline());
            ModelWriter.write(after, b, WriteOptions.inline());
            for (long seed = 0; seed < 3; seed++) {
                Map<String, Tensor> inputs = RandomInputs.forModel(before, seed, Map.of(), 2);
                Map<String, Tensor> expected = OnnxRuntime.run(a, inputs);
                Map<String, Tensor> actual = OnnxRuntime.run(b, inputs);
                check(expected.keySet().equals(actual.keySet()), where + ": output names " + actual.keySet() + ", expected "
                        + expected.keySet());
                for (String name : expected.keySet()) {
                    float[] e = expected.get(name).view().toFloatArray();
                    Tensor got = LogitOutputs.of(after).contains(name) ? Outputs.sigmoid(actual.get(name)) : actual.get(name);
                    float[] g = got.view().toFloatArray();
                    check(e.length == g.length, where + ": size of `" + name + "` is " + g.length + ", expected " + e.length);
                    double scale = 1;
                    for (float v : e) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    for (int i = 0; i < e.length; i++) {
                        double err = Math.abs(e[i] - g[i]) / scale;
                        check(err <= rtol, where + " (seed " + seed + "): output `" + name + "`[" + i + "] is "
                                + g[i] + ", expected " + e[i] + " (relative error " + err + ")");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An assertion that needs no test framework: the kit is plain code its users' tests call. */
    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
