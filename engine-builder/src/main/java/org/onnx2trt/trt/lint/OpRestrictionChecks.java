package org.onnx2trt.trt.lint;

import java.util.List;
import java.util.Set;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.Tensor;

/**
 * The restrictions TensorRT's ONNX parser checks on ops it imports (its op checkers and importers):
 * pooling rank and dilations, Resize modes, Pad modes, operands that must be constants, training
 * modes, TopK's bounds, recurrent-op attributes.
 */
final class OpRestrictionChecks {
    private static final Set<String> RESIZE_CTM = Set.of("half_pixel", "pytorch_half_pixel", "tf_half_pixel_for_nn",
            "asymmetric", "align_corners");
    private static final Set<String> RESIZE_MODES = Set.of("nearest", "linear", "cubic");
    private static final Set<String> PAD_MODES = Set.of("constant", "reflect", "edge", "wrap");
    private static final Set<String> REDUCTIONS = Set.of("ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
            "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare");
    private static final String FOLD = "fold constants first: ./onnx2trt optimize (its simplify stage folds what is computed"
            + " from constants)";

    private OpRestrictionChecks() {}

    static void check(LintContext c) {
        for (Node n : c.model.graph().nodeList()) {
            if (!n.isStandardDomain()) {
                continue;
            }
            switch (n.opType()) {
                case "MaxPool", "AveragePool", "LpPool" -> pool(c, n);
                case "Resize" -> resize(c, n);
                case "Pad" -> {
                    String mode = LintContext.string(n, "mode", "constant");
                    if (!PAD_MODES.contains(mode)) {
                        c.error("pad-mode", n, "Pad mode `" + mode + "`; TensorRT pads constant, reflect, edge or wrap", "");
                    }
                }
                case "TopK" -> topK(c, n);
                case "BatchNormalization" -> {
                    if (LintContext.integer(n, "training_mode", 0) != 0) {
                        c.error("training-mode", n, "training_mode 1; TensorRT runs inference only", "export the model in eval mode");
                    }
                }
                case "Dropout" -> {
                    Value training = n.inputCount() > 2 ? n.input(2) : null;
                    Tensor t = LintContext.constant(training);
                    if (training != null && (t == null || t.view().getDouble(0) != 0)) {
                        c.error("training-mode", n, "Dropout's training_mode is not a constant false", "export the model in eval mode");
                    }
                }
                case "LSTM" -> {
                    if (LintContext.integer(n, "input_forget", 0) != 0 || LintContext.integer(n, "layout", 0) != 0) {
                        c.error("lstm-attributes", n, "input_forget and layout must be 0 for TensorRT", "");
                    }
                }
                case "ScatterND" -> {
                    if (!LintContext.string(n, "reduction", "none").equals("none")) {
                        c.error("scatter-reduction", n, "ScatterND with reduction `" + LintContext.string(n, "reduction", "")
                                + "`; TensorRT scatters without reduction only", "");
                    }
                }
                case "CumSum" -> mustBeConstant(c, n, 1, "the axis");
                case "OneHot" -> mustBeConstant(c, n, 1, "depth");
                case "Squeeze", "Unsqueeze" -> mustBeConstant(c, n, 1, "axes");
                case "LayerNormalization" -> {
                    if (LintContext.outputUsed(n, 1) || LintContext.outputUsed(n, 2)) {
                        c.error("layernorm-outputs", n, "Mean or InvStdDev is read; TensorRT gives LayerNormalization's Y only", "");
                    }
                }
                case "Constant" -> {
                    for (String a : List.of("sparse_value", "value_string", "value_strings")) {
                        if (n.attribute(a) != null) {
                            c.error("constant-attribute", n, "Constant with `" + a + "`; TensorRT reads dense numeric constants",
                                    "");
                        }
                    }
                }
                default -> {
                    if (REDUCTIONS.contains(n.opType())) {
                        mustBeConstant(c, n, 1, "axes");
                    }
                }
            }
        }
    }

    private static void pool(LintContext c, Node n) {
        Value x = n.input(0);
        if (x != null && x.type() != null && Types.shape(x.type()) != null) {
            int spatial = Types.shape(x.type()).size() - 2;
            if (spatial != 2 && spatial != 3) {
                c.error("pool-rank", n, spatial + "-D pooling; TensorRT pools 2-D and 3-D inputs only",
                        "reshape to 2-D (add a unit dim) around the pool");
            }
        }
        Attribute d = n.attribute("dilations");
        if (d != null && d.asInts().stream().anyMatch(v -> v != 1)) {
            c.error("pool-dilations", n, "pooling with dilations " + d.asInts() + "; TensorRT pools without dilation", "");
        }
        if (n.opType().equals("MaxPool") && LintContext.outputUsed(n, 1)) {
            c.error("maxpool-indices", n, "MaxPool's Indices output is read; TensorRT gives the values only", "");
        }
    }

    private static void resize(LintContext c, Node n) {
        String ctm = LintContext.string(n, "coordinate_transformation_mode", "half_pixel");
        String mode = LintContext.string(n, "mode", "nearest");
        if (!RESIZE_CTM.contains(ctm)) {
            c.error("resize-mode", n, "coordinate_transformation_mode `" + ctm + "`; TensorRT reads " + RESIZE_CTM, "");
        }
        if (!RESIZE_MODES.contains(mode)) {
            c.error("resize-mode", n, "mode `" + mode + "`; TensorRT resizes nearest, linear or cubic", "");
        }
        if (ctm.equals("tf_half_pixel_for_nn") && !LintContext.string(n, "nearest_mode", "round_prefer_floor").equals("round_prefer_floor")) {
            c.error("resize-mode", n, "tf_half_pixel_for_nn needs nearest_mode round_prefer_floor in TensorRT", "");
        }
        if (LintContext.integer(n, "antialias", 0) != 0) {
            c.error("resize-mode", n, "antialias 1; TensorRT resizes without antialiasing", "");
        }
        if (!LintContext.string(n, "keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            c.error("resize-mode", n, "keep_aspect_ratio_policy other than stretch; TensorRT stretches", "give sizes for every axis");
        }
    }

    private static void topK(LintContext c, Node n) {
        if (LintContext.integer(n, "sorted", 1) != 1) {
            c.error("topk", n, "TopK with sorted 0; TensorRT returns sorted values only", "");
        }
        Tensor k = LintContext.constant(n.inputCount() > 1 ? n.input(1) : null);
        if (k != null && k.elementCount() == 1 && k.view().getLong(0) >= 3840) {
            c.error("topk", n, "K = " + k.view().getLong(0) + "; TensorRT's TopK takes K below 3840", "");
        }
    }

    private static void mustBeConstant(LintContext c, Node n, int input, String what) {
        Value v = n.inputCount() > input ? n.input(input) : null;
        if (v != null && LintContext.constant(v) == null) {
            c.error("computed-operand", n, what + " of " + n.opType() + " is computed at run time; TensorRT's parser needs it"
                    + " as a constant", FOLD);
        }
    }
}
