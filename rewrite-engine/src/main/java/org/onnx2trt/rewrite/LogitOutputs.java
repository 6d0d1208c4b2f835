package org.onnx2trt.rewrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;

/**
 * The graph outputs that RemoveSigmoidHead turned into logits, kept in the model's metadata under
 * {@value #METADATA_KEY} (a comma-separated list). Verification applies a sigmoid to these outputs
 * before comparing them with the original, and a deployment engineer reads there which thresholds
 * to convert with {@code ./onnx2trt logit-threshold}.
 */
public final class LogitOutputs {
    public static final String METADATA_KEY = "onnx2trt.logit_outputs";
    /** The built-in rule that makes logits of sigmoid outputs. */
    public static final String RULE = "RemoveSigmoidHead";

    private LogitOutputs() {}

    /** Before a run: the Sigmoid nodes that make graph outputs, by trace label, with their output. */
    public static Map<String, String> sigmoidHeads(Model model) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> outputs = new LinkedHashSet<>();
        for (Port p : model.graph().outputs()) {
            outputs.add(p.name());
        }
        for (Node n : model.graph().nodes()) {
            if (n.opType().equals("Sigmoid") && n.isStandardDomain() && n.outputCount() == 1
                    && outputs.contains(n.output(0).name())) {
                out.put(n.name().isEmpty() ? n.output(0).name() : n.name(), n.output(0).name());
            }
        }
        return out;
    }

    /**
     * After a run: adds the outputs whose Sigmoid was removed to the metadata (with any listed
     * before) and returns them.
     */
    public static List<String> record(Model model, Map<String, String> heads, Trace trace) {
        Set<String> logits = new LinkedHashSet<>(of(model));
        List<String> added = new ArrayList<>();
        for (Trace.Applied a : trace.applications()) {
            String output = heads.get(a.node());
            if (a.rule().equals(RULE) && output != null && logits.add(output)) {
                added.add(output);
            }
        }
        if (!added.isEmpty()) {
            model.putMetadata(METADATA_KEY, String.join(",", logits));
        }
        return added;
    }

    /** The outputs a model's metadata lists as logits. */
    public static List<String> of(Model model) {
        String v = model.metadata().get(METADATA_KEY);
        return v == null || v.isBlank() ? List.of() : Arrays.asList(v.split(","));
    }
}
