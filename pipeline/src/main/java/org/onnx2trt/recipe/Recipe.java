package org.onnx2trt.recipe;

import java.util.List;

/**
 * An ordered list of stages run on a model: what {@code ./onnx2trt run RECIPE.yaml} does, and what
 * {@code optimize} does with the built-in {@code default}. An immutable value.
 *
 * @param name the recipe's name (the file's, or its {@code name:})
 * @param description one line for {@code recipes list}
 * @param stages in order
 * @param source where it was read (a path, or {@code built-in:NAME})
 */
public record Recipe(String name, String description, List<Stage> stages, String source) {
    public Recipe {
        stages = List.copyOf(stages);
    }

    /** One step of a recipe. */
    public sealed interface Stage {
        /** Where the stage was written, for messages. */
        String where();
    }

    /**
     * Puts constants where rules look for them (Constant nodes to initializers; initializers that are
     * graph inputs made constants unless {@code keepInitializerInputs}), folds every value computed
     * from constants alone that has at most {@code maxFoldedSize} elements, and removes dead code.
     */
    public record Simplify(boolean keepInitializerInputs, long maxFoldedSize, String where) implements Stage {
        /** The default size guard: 1,048,576 elements (4 MiB of float32). */
        public static final long DEFAULT_MAX_FOLDED_SIZE = org.onnx2trt.transform.Simplify.DEFAULT_MAX_FOLDED_SIZE;
    }

    /**
     * Runs rules: the built-in set (and files given to the command) narrowed by {@code only}, with
     * opt-in rules added by {@code enable}, minus {@code disable}; to a fixpoint or once over the graph.
     *
     * @param maxApplications the bound of the stage; -1 for ten applications per node
     */
    public record Rules(List<String> only, List<String> enable, List<String> disable, boolean fixpoint,
                        int maxApplications, String where) implements Stage {
        public Rules {
            only = List.copyOf(only);
            enable = List.copyOf(enable);
            disable = List.copyOf(disable);
        }
    }

    /**
     * Checks the model so far against the recipe's input in onnxruntime; a failure stops the run.
     * With {@code noiseFloor}, each output may differ by a measured multiple of the model's own float32
     * rounding on top of {@code atol + rtol·|expected|} ({@code org.onnx2trt.verify.NoiseFloor}); it is
     * on unless the recipe sets a tolerance (then the tolerance means what it says).
     */
    public record Verify(int samples, long seed, double atol, double rtol, boolean noiseFloor, String where)
            implements Stage {}

    /**
     * Measures each activation on the calibration data the command gives ({@code --calib}): the
     * table the following {@code quantize} stage places QDQ pairs from.
     *
     * @param method     minmax, percentile, entropy or mse
     * @param maxSamples the samples to use at most; 0 for all
     */
    public record Calibrate(String method, int maxSamples, String where) implements Stage {}

    /**
     * Places QDQ pairs for a target from the table of the {@code calibrate} stage before it.
     *
     * @param target            where the model will run: tensorrt
     * @param exclude           node name globs and op types left in float
     * @param convTransposeAxis the output-channel axis of ConvTranspose weights (1 for TensorRT 10+)
     * @param weights           per_channel (TensorRT's) or per_tensor Conv weight scales
     */
    public record Quantize(String target, List<String> exclude, long convTransposeAxis, String weights, String where)
            implements Stage {
        public Quantize {
            exclude = List.copyOf(exclude);
        }
    }

    /**
     * Compares the quantized model with the float model the {@code quantize} stage started from, on
     * the calibration data (or the evaluation data the command gives): per-output SNR, top-1
     * agreement and accuracy; the run stops when an output falls below {@code minSnrDb} or top-1
     * drops by more than {@code maxDrop} points.
     *
     * @param samples  the samples to run at most; 0 for all
     * @param minSnrDb the lowest SNR an output may keep (dB)
     * @param maxDrop  the most points of top-1 (accuracy with labels, agreement without) that may be lost
     * @param fallback when the bounds are not met, give the most sensitive layer groups back to float, one
     *                 at a time, until they are (the run stops only when no group is left)
     * @param sensitivity measure and report each layer group's cost even when the bounds are met
     */
    public record Evaluate(int samples, double minSnrDb, double maxDrop, boolean fallback, boolean sensitivity,
                           String where) implements Stage {}

    /**
     * Converts the model to float16 (TensorRT 11 builds the precision the graph has): nodes of ops that
     * compute in float16 run on float16 weights and values, {@code keepFloat32} ops stay float32, Casts
     * go between; the interface stays float32 with {@code keepIoTypes}. The result is compared with the
     * float32 model in onnxruntime on {@code samples} inputs; an output below {@code minSnrDb} stops
     * the run.
     */
    public record Float16(List<String> keepFloat32, boolean keepIoTypes, double minSnrDb, int samples, String where)
            implements Stage {
        public Float16 {
            keepFloat32 = List.copyOf(keepFloat32);
        }
    }

    /**
     * Lints the model so far for TensorRT's ONNX parser ({@code org.onnx2trt.trt.lint.TrtLint}):
     * an error-level finding stops the run before anything is written or built.
     *
     * @param trtVersion the TensorRT version to lint for ({@code 11.2})
     */
    public record Lint(String trtVersion, String where) implements Stage {}

    /**
     * Reads a model that already has QDQ pairs (a quantization-aware-trained export): upgrades opset 11
     * and 12 to 13, counts what is quantized and how, and with {@code dedicatedPairs} gives each reader
     * of a shared pair its own ({@code org.onnx2trt.quant.qat.QdqImport}). The activation scales become
     * the run's calibration table (a legacy calibration cache can be written from it).
     */
    public record ImportQdq(boolean dedicatedPairs, String where) implements Stage {}

    /**
     * Corrects the biases of the layers the quantize stage before it quantized, for the mean error their
     * int8 rounding adds: {@code analytic} from the weights' rounding and the calibration's per-channel
     * input means (rules of bias_correction.rw); {@code empirical} measured on the calibration data layer
     * by layer, each correction kept only where the outputs' SNR against float does not drop; {@code both}
     * (the default) one after the other.
     *
     * @param samples calibration samples the empirical pass runs on
     */
    public record BiasCorrect(String method, int samples, String where) implements Stage {}

    /**
     * Trades a little of a QDQ model's function for TensorRT speed, each change measured on data against
     * the model before the stage and kept only within the bounds: {@code concatScales} gives the inputs
     * of a Concat one scale (the largest; TensorRT then concatenates in int8), {@code floatOps} removes
     * the QDQ pairs in front of ops TensorRT runs in float (qat_float_ops.rw). The data are the run's
     * calibration data when it has some, else {@code samples} random inputs.
     *
     * @param minSnrDb the lowest SNR an output may keep against the model before the stage (dB)
     * @param maxDrop  the most points of top-1 agreement (accuracy with labels) a change may cost
     * @param exclude  node names (globs) and op types whose pairs stay
     */
    public record AlignQdq(boolean concatScales, boolean floatOps, double minSnrDb, double maxDrop, int samples,
                           List<String> exclude, String where) implements Stage {
        public AlignQdq {
            exclude = List.copyOf(exclude);
        }
    }
}
