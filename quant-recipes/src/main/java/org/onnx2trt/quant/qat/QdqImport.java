package org.onnx2trt.quant.qat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Use;
import org.onnx2trt.ir.Value;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.transform.QuantizationNodes;

/**
 * Reads a model that already has QuantizeLinear/DequantizeLinear pairs (quantization-aware training as
 * pytorch-quantization and NVIDIA's Model Optimizer export it, or an earlier {@code quantize}): what is
 * quantized and how, and the pairs made one per consumer.
 *
 * <p>A pair read by several nodes is copied so that each reader has its own
 * ({@code DQ(Q(x))} read by n nodes becomes n pairs of the same scale and zero point: the same values,
 * so exact). onnxruntime's QDQ fusions and TensorRT's both take a pair as belonging to the one layer
 * that reads it; a shared pair leaves all but one reader in float in onnxruntime before 1.15.
 *
 * <p>The activation scales become a {@link CalibrationTable} (amax = scale · 127, TensorRT's symmetric
 * int8), which a legacy calibration cache can be written from.
 */
public final class QdqImport {
    private QdqImport() {}

    /**
     * What the model holds.
     *
     * @param weightsPerChannel constant weights quantized with one scale per channel
     * @param weightsPerTensor  constant weights quantized with one scale
     * @param activations       computed tensors quantized (per tensor)
     * @param pairsCopied       pairs copied so that each reader has its own
     * @param notSymmetricInt8  quantizers TensorRT reads otherwise than their ONNX meaning: a zero point
     *                          that is not int8 0 (node names)
     */
    public record Result(int weightsPerChannel, int weightsPerTensor, int activations, int pairsCopied,
                         List<String> notSymmetricInt8) {
        public int quantizers() {
            return weightsPerChannel + weightsPerTensor + activations;
        }
    }

    /** Reads {@code model}'s QDQ pairs and, with {@code dedicatedPairs}, gives each reader its own (changes the model). */
    public static Result run(Model model, boolean dedicatedPairs) {
        Graph g = model.graph();
        int copied = dedicatedPairs ? dedicate(g) : 0;
        int perChannel = 0;
        int perTensor = 0;
        int activations = 0;
        List<String> asymmetric = new ArrayList<>();
        for (Node dq : g.nodeList()) {
            if (!QuantizationNodes.isQdq(dq) || !dq.opType().equals("DequantizeLinear")) {
                continue;
            }
            Value data = dq.input(0);
            Node q = data.producer();
            boolean weight = data.isConstant() || q != null && q.opType().equals("QuantizeLinear") && q.input(0).isConstant();
            boolean scalarScale = dq.input(1).isConstant() && dq.input(1).initializer().elementCount() == 1;
            if (weight && !scalarScale) {
                perChannel++;
            } else if (weight) {
                perTensor++;
            } else {
                activations++;
            }
            if (!symmetricInt8(dq.inputCount() < 3 ? null : dq.input(2))) {
                asymmetric.add(dq.name().isEmpty() ? dq.output(0).name() : dq.name());
            }
        }
        return new Result(perChannel, perTensor, activations, copied, asymmetric);
    }

    /**
     * The activation ranges the model's quantizers stand for: for each QuantizeLinear of a computed
     * tensor with one constant scale, amax = scale · 127 (so the table gives back the same scale).
     */
    public static CalibrationTable ranges(Model model, String source) {
        Map<String, CalibrationTable.Range> tensors = new LinkedHashMap<>();
        for (Node q : model.graph().nodeList()) {
            if (!q.opType().equals("QuantizeLinear") || !QuantizationNodes.isQdq(q) || q.input(0).isConstant()
                    || !q.input(1).isConstant() || q.input(1).initializer().elementCount() != 1) {
                continue;
            }
            float amax = CalibrationTable.amaxOfScale(q.input(1).initializer().view().getFloat(0));
            tensors.putIfAbsent(q.input(0).name(), new CalibrationTable.Range(amax, -amax, amax, 0, 0, 0, "QDQ scale"));
        }
        return new CalibrationTable(CalibrationTable.hash(model), "qdq-scales", 0, source, tensors);
    }

    /** Gives each reader of a shared DequantizeLinear (and its QuantizeLinear, when that has no other reader) a copy; the number of copies. */
    private static int dedicate(Graph g) {
        int copies = 0;
        java.util.Set<String> nodeNames = new java.util.HashSet<>();
        g.nodeList().forEach(n -> nodeNames.add(n.name()));
        for (Node dq : g.nodeList()) {
            if (!dq.opType().equals("DequantizeLinear") || !QuantizationNodes.isQdq(dq)) {
                continue;
            }
            Value out = dq.output(0);
            List<Use> uses = new ArrayList<>(out.uses());
            if (uses.size() + (out.isGraphOutput() ? 1 : 0) < 2) {
                continue;
            }
            Node q = dq.input(0).producer();
            boolean copyQuantize = q != null && q.opType().equals("QuantizeLinear") && dq.input(0).uses().size() == 1
                    && !dq.input(0).isGraphOutput();
            // the first reader (or the graph output) keeps the original pair
            for (Use use : uses.subList(out.isGraphOutput() ? 0 : 1, uses.size())) {
                Value data = copyQuantize ? copy(g, q, use.user(), nodeNames).output(0) : dq.input(0);
                Node dqCopy = copy(g, dq, use.user(), nodeNames);
                dqCopy.setInput(0, data);
                use.user().setInput(use.index(), dqCopy.output(0));
                copies++;
            }
        }
        return copies;
    }

    /** A copy of {@code n} (same inputs and attributes, fresh names) inserted before {@code before}. */
    private static Node copy(Graph g, Node n, Node before, java.util.Set<String> nodeNames) {
        String base = n.name().isEmpty() ? n.opType() : n.name();
        String name = base;
        for (int i = 1; nodeNames.contains(name); i++) {
            name = base + "_" + i;
        }
        nodeNames.add(name);
        Node c = g.createNode(n.domain(), n.opType(), name, n.inputs(), List.of(g.freshName(n.output(0).name())));
        for (Attribute a : n.attributes().values()) {
            c.setAttribute(a);
        }
        if (n.output(0).valueInfo() != null) {
            c.output(0).setValueInfo(n.output(0).valueInfo().toBuilder().setName(c.output(0).name()).build());
        }
        g.insertBefore(before, c);
        return c;
    }

    /** Whether {@code zeroPoint} is a constant int8 0 (TensorRT's symmetric int8); an absent one means uint8 0. */
    static boolean symmetricInt8(Value zeroPoint) {
        if (zeroPoint == null || !zeroPoint.isConstant() || zeroPoint.initializer().dataType() != DataType.INT8) {
            return false;
        }
        org.onnx2trt.tensor.TensorView t = zeroPoint.initializer().view();
        for (int i = 0; i < t.size(); i++) {
            if (t.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
