package org.onnx2trt.rewrite;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.onnx2trt.ir.Model;

/**
 * The graph outputs that hold logits of what they held, kept in the model's metadata under
 * {@value #METADATA_KEY} (a comma-separated list). A rule whose header declares {@code effect logits}
 * adds the graph outputs it replaces as it applies ({@link Rewriter}); verification applies a sigmoid
 * to these outputs before comparing them with the original, and a deployment engineer reads there
 * which thresholds to convert with {@code ./onnx2trt logit-threshold}. The list travels with the
 * written model, so a later {@code verify} of the file knows it too.
 */
public final class LogitOutputs {
    public static final String METADATA_KEY = "onnx2trt.logit_outputs";

    private LogitOutputs() {}

    /** The outputs a model's metadata lists as logits. */
    public static List<String> of(Model model) {
        String v = model.metadata().get(METADATA_KEY);
        return v == null || v.isBlank() ? List.of() : Arrays.asList(v.split(","));
    }

    /** Lists {@code output} as a logit output; false when it was listed already. */
    static boolean add(Model model, String output) {
        Set<String> logits = new LinkedHashSet<>(of(model));
        if (!logits.add(output)) {
            return false;
        }
        model.putMetadata(METADATA_KEY, String.join(",", logits));
        return true;
    }
}
