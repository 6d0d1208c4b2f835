package org.onnx2trt.verify.property;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.dsl.ast.Assignment;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.RuleFacts;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;
import org.onnx2trt.verify.ModelRunner;

/**
 * Calibration facts for a generated instance: each float value's range over the samples the
 * instance runs on (minmax), so that a placement rule ({@code hasCalib(x)}, {@code calib(x).amax})
 * is checked as a quantization recipe runs it. The samples are the ones compared afterwards: the
 * property is then the rule's own promise on data it was calibrated for.
 */
final class InstanceCalibration {
    private InstanceCalibration() {}

    /** Whether a check or compute of the rule calls {@code hasCalib} or {@code calib}. */
    static boolean readsCalibration(CompiledRule rule) {
        for (Check c : rule.decl().checks()) {
            if (calls(c.condition())) {
                return true;
            }
        }
        for (Assignment a : rule.decl().computes()) {
            if (calls(a.value())) {
                return true;
            }
        }
        return false;
    }

    private static boolean calls(Expr e) {
        if (e instanceof Expr.Call c) {
            return c.function().equals("calib") || c.function().equals("hasCalib")
                    || c.args().stream().anyMatch(a -> calls(a.value()));
        }
        if (e instanceof Expr.Binary b) {
            return calls(b.left()) || calls(b.right());
        }
        if (e instanceof Expr.Unary u) {
            return calls(u.operand());
        }
        if (e instanceof Expr.Member m) {
            return calls(m.target());
        }
        if (e instanceof Expr.Index i) {
            return calls(i.target()) || calls(i.index());
        }
        if (e instanceof Expr.ListOf l) {
            return l.items().stream().anyMatch(InstanceCalibration::calls);
        }
        return false;
    }

    /** Every float input and node output's min, max and max |x| over {@code samples}. */
    static RuleFacts minmax(Model model, List<Map<String, Tensor>> samples) {
        Map<String, double[]> ranges = new HashMap<>(); // min, max, max |x|
        Map<String, org.onnx2trt.tensor.math.ChannelMeans> means = new HashMap<>();
        try (ModelRunner runner = ModelRunner.open(model, ModelRunner.intermediateValues(model))) {
            for (Map<String, Tensor> sample : samples) {
                java.util.function.BiConsumer<String, Tensor> both = (name, t) -> {
                    measure(ranges, name, t);
                    if (t.dataType() == DataType.FLOAT) {
                        means.computeIfAbsent(name, k -> new org.onnx2trt.tensor.math.ChannelMeans()).add(t);
                    }
                };
                sample.forEach(both);
                runner.run(sample).forEach(both);
            }
        }
        return new RuleFacts() {
            @Override
            public Range calibration(String value) {
                double[] r = ranges.get(value);
                return r == null ? null : new Range(r[2], r[0], r[1], means.get(value) == null ? null : means.get(value).means());
            }
        };
    }

    private static void measure(Map<String, double[]> ranges, String name, Tensor t) {
        if (t.dataType() != DataType.FLOAT) {
            return;
        }
        double[] r = ranges.computeIfAbsent(name, k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0});
        TensorView v = t.view();
        for (int i = 0; i < v.size(); i++) {
            double x = v.getDouble(i);
            if (Double.isFinite(x)) {
                r[0] = Math.min(r[0], x);
                r[1] = Math.max(r[1], x);
                r[2] = Math.max(r[2], Math.abs(x));
            }
        }
    }
}
