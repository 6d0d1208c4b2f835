package org.onnx2trt.transform;

import java.util.List;
import java.util.Map;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.Pass;
import org.onnx2trt.shape.ShapeInference;

/**
 * The simplify steps, each a {@link Pass} of its own, in their order: constants ({@link Canonicalize}), shapes ({@link ShapeFolding}),
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

    // The steps, each a pass of its own: a caller can run one alone (say, dead code after its own edit).

    /** Constants in one form: Constant nodes to initializers, initializers that are inputs made plain. */
    public Pass<Canonicalize.Changes> canonicalize() {
        return Pass.of("canonicalize", m -> Canonicalize.forRewriting(m, options.keepInitializerInputs()));
    }

    /** Shapes pinned, inferred and folded where they are known. */
    public Pass<ShapeFolding.Result> shapeFolding() {
        return Pass.of("shape-folding", m -> ShapeFolding.fold(m, options.pinnedShapes(), executor));
    }

    /** Values computed from constants only, folded up to the size bound. */
    public Pass<ConstantFolding.Result> constantFolding() {
        return Pass.of("constant-folding", m -> ConstantFolding.fold(m, options.maxFoldedSize(), executor));
    }

    /** A Concat's Concat inputs spliced into it. */
    public static final Pass<Integer> FUSE_CONSECUTIVE_CONCATS = Pass.of("fuse-consecutive-concats", FuseConsecutiveConcats::run);

    /** Nodes that compute the same thing, and equal constants, merged. */
    public static final Pass<Deduplicate.Merged> DEDUPLICATE = Pass.of("deduplicate", m -> Deduplicate.run(m.graph()));

    /** Nodes and initializers nothing reads, removed. */
    public static final Pass<DeadCode.Removed> DEAD_CODE = Pass.of("dead-code", m -> DeadCode.sweep(m.graph()));

    /** The inferred types written as value_info, where rules read ranks and dtypes. */
    public static final Pass<ShapeInference.Result> ANNOTATE_TYPES = Pass.of("annotate-types", ShapeInference::annotate);

    /** The steps in the order {@link #run} runs them. */
    public List<Pass<?>> steps() {
        return List.of(canonicalize(), shapeFolding(), constantFolding(), FUSE_CONSECUTIVE_CONCATS, DEDUPLICATE, DEAD_CODE,
                ANNOTATE_TYPES);
    }

    @Override
    public Report run(Model m) {
        Canonicalize.Changes canonical = canonicalize().run(m);
        ShapeFolding.Result shapes = shapeFolding().run(m);
        ConstantFolding.Result folded = constantFolding().run(m);
        int concats = FUSE_CONSECUTIVE_CONCATS.run(m);
        Deduplicate.Merged merged = DEDUPLICATE.run(m);
        DeadCode.Removed removed = DEAD_CODE.run(m);
        return new Report(canonical, shapes, folded, concats, merged, removed, ANNOTATE_TYPES.run(m));
    }
}
