package org.onnx2trt.trt.lint;

import java.util.List;
import java.util.Set;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;

/**
 * Shapes TensorRT must be told or cannot plan for: inputs with symbolic dims (the build needs an
 * optimization profile), and ops whose output size depends on the data.
 */
final class ShapeChecks {
    private static final Set<String> DATA_DEPENDENT = Set.of("NonZero", "NonMaxSuppression");

    private ShapeChecks() {}

    static void check(LintContext c) {
        for (Port p : c.model.graph().inputs()) {
            if (p.value().isInitializer() || !p.declaration().hasType()) {
                continue;
            }
            List<Types.Dim> dims = Types.shape(p.declaration().getType());
            if (dims == null) {
                c.add(new Finding(Finding.Severity.WARNING, "dynamic-input", p.name(), "", "input `" + p.name() + "` has no"
                        + " declared rank; TensorRT needs one", "declare the input's shape when exporting"));
            } else if (dims.stream().anyMatch(d -> !d.isKnown())) {
                c.add(new Finding(Finding.Severity.INFO, "dynamic-input", p.name(), "", "input `" + p.name() + "` is "
                        + Types.describe(p.declaration().getType()) + ": the build needs an optimization profile for its"
                        + " symbolic dims", "give the TensorRT build a profile for `" + p.name() + "` (trtexec: --minShapes/--optShapes/--maxShapes)"));
            }
        }
        for (Node n : c.model.graph().nodeList()) {
            if (n.isStandardDomain() && DATA_DEPENDENT.contains(n.opType())) {
                c.warning("data-dependent-shape", n, n.opType() + "'s output size depends on the data: TensorRT allocates"
                        + " for the largest and the layers after it cannot be planned ahead", "");
            } else if (n.isStandardDomain() && n.opType().equals("Loop") && (n.input(0) == null)) {
                c.warning("data-dependent-shape", n, "a Loop without a trip count: its scan outputs get a dummy length of"
                        + " 1024 in TensorRT", "give the Loop a trip count");
            }
        }
    }
}
