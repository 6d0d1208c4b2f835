package org.onnx2trt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.transform.Float16Conversion;
import picocli.CommandLine.Option;

/** {@code --precision fp16} and its settings, for commands that end with a model to deploy (optimize, run). */
final class PrecisionOptions {
    @Option(names = "--precision", paramLabel = "fp32|fp16",
            description = "fp16: convert weights and compute to float16 after the other stages (TensorRT 11 builds the"
                    + " precision the graph has), checked against the float32 model in onnxruntime (default: fp32)")
    String precision = "fp32";

    @Option(names = "--fp32-ops", paramLabel = "OP[,OP...]", split = ",",
            description = "with --precision fp16, the ops kept in float32 (default: reductions, Softmax, LogSoftmax,"
                    + " normalizations, Exp, Log, Pow)")
    List<String> keepFloat32;

    @Option(names = "--fp16-io", description = "with --precision fp16, make the inputs and outputs float16 too (default: they stay float32)")
    boolean float16Io;

    @Option(names = "--fp16-min-snr", paramLabel = "DB",
            description = "with --precision fp16, the lowest SNR an output may keep against float32 (default: 40)")
    double minSnrDb = 40;

    /** The fp16 stage the options ask for, or null (fp32). */
    Recipe.Float16 stage(String where) {
        if (precision.equals("fp32")) {
            if (keepFloat32 != null || float16Io) {
                throw new UserError("--fp32-ops and --fp16-io go with --precision fp16");
            }
            return null;
        }
        if (!precision.equals("fp16")) {
            throw new UserError("--precision " + precision + ": give fp32 or fp16 (int8 is `./onnx2trt quantize`)");
        }
        return fp16Stage(where);
    }

    /** The fp16 stage these options describe (the defaults unless set). */
    Recipe.Float16 fp16Stage(String where) {
        List<String> keep = keepFloat32 != null ? keepFloat32 : new ArrayList<>(new TreeSet<>(Float16Conversion.DEFAULT_KEEP_FLOAT32));
        return new Recipe.Float16(keep, !float16Io, minSnrDb, 4, where);
    }
}
