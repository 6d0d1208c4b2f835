package org.onnx2trt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.onnx2trt.dsl.schema.AttributeSpec;
import org.onnx2trt.dsl.schema.OpSchema;
import org.onnx2trt.dsl.schema.OpSchemas;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Problem;

/**
 * What the graph validator cannot see without the ONNX op schemas, and onnxruntime would reject when
 * the model is loaded: a default-domain node's attribute of the wrong type or a required one missing, a
 * Constant without exactly one value, an If whose branches do not give the node's outputs.
 */
final class OpSchemaValidation {
    private static final Set<String> CONSTANT_VALUES = Set.of("value", "value_float", "value_floats", "value_int",
            "value_ints", "value_string", "value_strings", "sparse_value");

    private OpSchemaValidation() {}

    static List<Problem> problems(Model model) {
        List<Problem> out = new ArrayList<>();
        if (model.opsetVersion("") < 1 && model.graph().nodeList().stream().anyMatch(Node::isStandardDomain)) {
            // onnxruntime refuses such a model, and no op's meaning is known without its opset
            out.add(new Problem(Problem.Severity.ERROR, model.graph().name(), null, "the model imports no opset of the"
                    + " default ONNX domain (opset_import has no entry for \"\" or \"ai.onnx\"), so its ops have no defined"
                    + " meaning; export it again with an opset (TensorRT 11 reads 9 to 24)"));
            return out;
        }
        check(model.graph(), model.graph().name(), (int) model.opsetVersion(""), out);
        return out;
    }

    private static void check(Graph g, String path, int opset, List<Problem> out) {
        for (Node n : g.nodeList()) {
            if (n.isStandardDomain()) {
                OpSchemas.builtin().find(n.opType(), opset).ifPresent(schema -> checkAttributes(n, schema, path, out));
                if (n.opType().equals("Constant")) {
                    long values = n.attributes().keySet().stream().filter(CONSTANT_VALUES::contains).count();
                    if (values != 1) {
                        out.add(error(path, n, "node " + n.describe() + " has " + values + " value attributes; it needs"
                                + " exactly one of " + new java.util.TreeSet<>(CONSTANT_VALUES)));
                    }
                }
                if (n.opType().equals("If")) {
                    for (String branch : List.of("then_branch", "else_branch")) {
                        Attribute a = n.attribute(branch);
                        if (a != null && !a.graphs().isEmpty() && a.graphs().get(0).outputs().size() != n.outputCount()) {
                            out.add(error(path, n, "node " + n.describe() + ": its " + branch + " gives "
                                    + a.graphs().get(0).outputs().size() + " outputs, the node has " + n.outputCount()));
                        }
                    }
                }
            }
            for (Graph sub : n.subgraphs()) {
                check(sub, path + "/" + (n.name().isEmpty() ? n.opType() : n.name()), opset, out);
            }
        }
    }

    private static void checkAttributes(Node n, OpSchema schema, String path, List<Problem> out) {
        for (Attribute a : n.attributes().values()) {
            AttributeSpec spec = schema.attribute(a.name()).orElse(null);
            if (spec == null) {
                continue; // an attribute the schema does not name: the graph validator's concern, not a type error
            }
            String given = a.type().name().toLowerCase(Locale.ROOT);
            if (!given.equals("undefined") && !given.equals(spec.kind().spelling())) { // old files may leave the type out
                out.add(error(path, n, "node " + n.describe() + ": attribute `" + a.name() + "` is " + given + ", but "
                        + n.opType() + " takes " + spec.kind().spelling()));
            }
        }
        for (AttributeSpec spec : schema.attributes()) {
            if (spec.required() && n.attribute(spec.name()) == null) {
                out.add(error(path, n, "node " + n.describe() + " lacks the attribute `" + spec.name() + "` that "
                        + n.opType() + " requires"));
            }
        }
    }

    private static Problem error(String path, Node n, String message) {
        return new Problem(Problem.Severity.ERROR, path, n, message);
    }
}
