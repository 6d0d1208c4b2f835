package org.onnx2trt.transform;

import java.util.Map;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.Pass;
import org.onnx2trt.shape.ShapeInference;

/**
 * The simplify passes in their order: constants ({@link Canonicalize}), shapes ({@link ShapeFolding}),
 * folding ({@link ConstantFolding}), Concat splicing ({@link FuseConsecutiveConcats}), merging
 * ({@link Deduplicate}), dead code ({@link DeadCode}), and last the inferred types written as
 * value_info ({@link ShapeInference#annotate}): rules read ranks and dtypes from them. What needs a
 * runtime (folding ops Java does not evaluate, Shape nodes inference cannot settle) goes through the
 * {@link ModelExecutor} given.
 */
public final class Simplify implements Pass<Simplify.Report> {
    /** The default bound on the elements of a folded value: a folded Expand or Tile can be far larger than what computes it. */
    public static final long DEFAULT_MAX_FOLDED_SIZE = 1L << 20;

    /**
     * @param keepInitializerInputs leave initializers that are also graph inputs overridable
     * @param maxFoldedSize fold values computed from constants only up to this many elements
     * @param pinnedShapes input shapes to write into the model's declarations first, by input name
     */
    public record Options(boolean keepInitializerInputs, long maxFoldedSize, Map<String, long[]> pinnedShapes) {
        public Options {
            pinnedShapes = Map.copyOf(pinnedShapes);
        }
    }

    /** What each pass did. */
    public record Report(Canonicalize.Changes canonical, ShapeFolding.Result shapes, ConstantFolding.Result folded,
                         int concatsSpliced, Deduplicate.Merged merged, DeadCode.Removed removed, ShapeInference.Result types) {}

    private final Options options;
    private final ModelExecutor executor;

    public Simplify(Options options, ModelExecutor executor) {
        this.options = options;
        this.executor = executor;
    }

    @Override
    public String name() {
        return "simplify";
    }

    @Override
    public Report run(Model m) {
        Canonicalize.Changes canonical = Canonicalize.forRewriting(m, options.keepInitializerInputs());
        ShapeFolding.Result shapes = ShapeFolding.fold(m, options.pinnedShapes(), executor);
        ConstantFolding.Result folded = ConstantFolding.fold(m, options.maxFoldedSize(), executor);
        int concats = FuseConsecutiveConcats.run(m);
        Deduplicate.Merged merged = Deduplicate.run(m.graph());
        DeadCode.Removed removed = DeadCode.sweep(m.graph());
        return new Report(canonical, shapes, folded, concats, merged, removed, ShapeInference.annotate(m));
    }
}
