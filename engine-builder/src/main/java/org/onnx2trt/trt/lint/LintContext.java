package org.onnx2trt.trt.lint;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.Tensor;

/** What the checks share: the model, the TensorRT version linted for, and the findings so far. */
final class LintContext {
    final Model model;
    final TrtVersion version;
    final List<Finding> findings = new ArrayList<>();

    LintContext(Model model, TrtVersion version) {
        this.model = model;
        this.version = version;
    }

    void error(String rule, Node n, String message, String fix) {
        findings.add(new Finding(Finding.Severity.ERROR, rule, label(n), n.opType(), message, fix));
    }

    void warning(String rule, Node n, String message, String fix) {
        findings.add(new Finding(Finding.Severity.WARNING, rule, label(n), n.opType(), message, fix));
    }

    void add(Finding f) {
        findings.add(f);
    }

    /** A node's name, or its first output's when it has none. */
    static String label(Node n) {
        return !n.name().isEmpty() ? n.name() : n.outputCount() > 0 && n.output(0) != null ? n.output(0).name() : n.opType();
    }

    /** The constant a value holds (an initializer, or a Constant node's tensor), or null. */
    static Tensor constant(Value v) {
        if (v == null) {
            return null;
        }
        if (v.isInitializer()) {
            return v.initializer();
        }
        Node p = v.producer();
        if (p != null && p.opType().equals("Constant") && p.attribute("value") != null) {
            return Tensor.fromProto(p.attribute("value").proto().getT());
        }
        return null;
    }

    static String string(Node n, String attribute, String otherwise) {
        Attribute a = n.attribute(attribute);
        return a == null ? otherwise : a.asString();
    }

    static long integer(Node n, String attribute, long otherwise) {
        Attribute a = n.attribute(attribute);
        return a == null ? otherwise : a.asInt();
    }

    /** Whether any node reads output {@code i} of {@code n}, or it is a graph output. */
    static boolean outputUsed(Node n, int i) {
        Value v = i < n.outputCount() ? n.output(i) : null;
        return v != null && (!v.uses().isEmpty() || v.isGraphOutput());
    }
}
