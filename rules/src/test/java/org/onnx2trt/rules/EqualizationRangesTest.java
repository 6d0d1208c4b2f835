package org.onnx2trt.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.tensor.TensorView;
import org.onnx2trt.testkit.Numerics;
import org.onnx2trt.transform.Canonicalize;

/**
 * Cross-layer equalization on the wide-range net ({@code testdata/quant/wide_ranges_cnn.onnx}: a trained
 * CNN whose conv channels were rescaled by 1/64 to 64 without changing its function): per layer, the
 * spread of the output channels' weight ranges (max over channels of max|W[c]| over the min) before
 * and after, printed; every layer the rules reach ends within a factor of 8 where it started above 100,
 * and the model computes the same.
 */
class EqualizationRangesTest {
    @Test
    void theWideRangeNetsLayersComeOutBalanced() throws Exception {
        Path file = Path.of("..", "testdata", "quant", "wide_ranges_cnn.onnx");
        Model fused = ModelReader.read(file);
        Canonicalize.forRewriting(fused, false);
        Rewriter rewriter = new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin());
        rewriter.run(fused, Program.fixpoint("default", RuleLibrary.builtin().select(List.of(), List.of())), new Trace(false));
        Map<String, Double> before = spreads(fused);
        Model equalized = ModelReader.read(file);
        Canonicalize.forRewriting(equalized, false);
        Trace trace = new Trace(false);
        int applied = rewriter.run(equalized, Program.fixpoint("cle", RuleLibrary.builtin().select(List.of(), List.of("cle"), List.of())),
                trace);
        Map<String, Double> after = spreads(equalized);
        System.out.printf(Locale.ROOT, "[cle] %d applications%n", applied);
        before.forEach((conv, spread) -> System.out.printf(Locale.ROOT, "[cle] %-28s channel-range spread %10.1f -> %6.2f%n",
                conv, spread, after.get(conv)));
        for (Map.Entry<String, Double> e : before.entrySet()) {
            if (e.getValue() > 100) {
                assertTrue(after.get(e.getKey()) < 8, e.getKey() + ": " + e.getValue() + " -> " + after.get(e.getKey()));
            }
        }
        Numerics.assertSameOutputs(fused, equalized, 1e-4, "equalized against fused");
    }

    /** Per Conv (by output name): max over output channels of max|W[c]|, over the min of the same. */
    private static Map<String, Double> spreads(Model m) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Node n : m.graph().nodeList()) {
            if (!n.opType().equals("Conv") || !n.input(1).isConstant()) {
                continue;
            }
            TensorView w = n.input(1).initializer().view();
            long channels = n.input(1).initializer().dims()[0];
            int per = (int) (w.size() / channels);
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (int c = 0; c < channels; c++) {
                double r = 0;
                for (int k = 0; k < per; k++) {
                    r = Math.max(r, Math.abs(w.getDouble(c * per + k)));
                }
                lo = Math.min(lo, r);
                hi = Math.max(hi, r);
            }
            out.put(n.output(0).name(), hi / lo);
        }
        return out;
    }
}
