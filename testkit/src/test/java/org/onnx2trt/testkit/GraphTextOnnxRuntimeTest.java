package org.onnx2trt.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Model;
import org.onnx2trt.text.GraphText;

/** Parsed models are models onnxruntime runs, and they compute what the text says. */
class GraphTextOnnxRuntimeTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Test
    void the_conv_bn_example_runs() throws OrtException {
        Model m = GraphText.parse(GraphTextRoundTripTest.CONV_BN, "conv_bn", 3);
        float[] x = new float[2 * 3 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) - 3;
        }
        Result y = run(m, Map.of("x", new Input(x, 2, 3, 8, 8)), "y");
        assertArrayEquals(new long[] {2, 4, 8, 8}, y.shape());
        for (float v : y.data()) {
            assertTrue(v >= 0, "Relu output");
        }
    }

    @Test
    void literal_weights_compute_exact_values() throws OrtException {
        Model m = GraphText.parse("""
                affine (float[2,2] x) => (float[4] y)
                <float[2] w = {2, -1}, float[] b = {0.5}, int64[1] flat = {-1}>
                {
                  t = Mul (x, w)
                  u = Add (t, b)
                  y = Reshape (u, flat)
                }
                """, "affine", 0);
        Result y = run(m, Map.of("x", new Input(new float[] {1, 2, 3, 4}, 2, 2)), "y");
        assertArrayEquals(new long[] {4}, y.shape());
        assertArrayEquals(new float[] {2.5f, -1.5f, 6.5f, -3.5f}, y.data());
    }

    @Test
    void an_if_with_subgraphs_and_a_constant_attribute_runs_both_branches() throws OrtException {
        String text = """
                branches (float[3] x) => (float[3] z)
                {
                  limit = Constant <value = float[] {0.0}> ()
                  total = ReduceSum <keepdims = 0> (x)
                  cond = Greater (total, limit)
                  z = If <
                    then_branch = then_g () => (float[3] t) <float[] two = {2.0}> { t = Mul (x, two) },
                    else_branch = else_g () => (float[3] e) { one = Constant <value_float = 1.0> () e = Add (x, one) }
                  > (cond)
                }
                """;
        Model m = GraphText.parse(text, "branches", 0);
        assertArrayEquals(new float[] {2, 4, 6}, run(m, Map.of("x", new Input(new float[] {1, 2, 3}, 3)), "z").data());
        assertArrayEquals(new float[] {0, -1, -2}, run(m, Map.of("x", new Input(new float[] {-1, -2, -3}, 3)), "z").data());
    }

    @Test
    void a_printed_and_parsed_model_computes_the_same() throws OrtException {
        Model m = GraphText.parse(GraphTextRoundTripTest.CONV_BN, "conv_bn", 3);
        Model again = GraphText.parse(GraphText.print(m), "printed", 3);
        float[] x = new float[3 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        Map<String, Input> inputs = Map.of("x", new Input(x, 1, 3, 8, 8));
        assertArrayEquals(run(m, inputs, "y").data(), run(again, inputs, "y").data(), 0f);
    }

    // ---- running -------------------------------------------------------------------------

    private record Input(float[] data, long... shape) {}

    private record Result(float[] data, long[] shape) {}

    private static Result run(Model m, Map<String, Input> inputs, String output) throws OrtException {
        byte[] bytes = m.toProto().toByteArray();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = ENV.createSession(bytes, options)) {
            Map<String, OnnxTensor> feed = new HashMap<>();
            try {
                for (Map.Entry<String, Input> e : inputs.entrySet()) {
                    feed.put(e.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(e.getValue().data()), e.getValue().shape()));
                }
                try (OrtSession.Result result = session.run(feed)) {
                    OnnxTensor t = (OnnxTensor) result.get(output).orElseThrow();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    long[] shape = t.getInfo().getShape();
                    assertEquals(data.length, java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b));
                    return new Result(data, shape);
                }
            } finally {
                feed.values().forEach(OnnxTensor::close);
            }
        }
    }
}
