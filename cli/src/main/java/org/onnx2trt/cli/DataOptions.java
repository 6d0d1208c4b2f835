package org.onnx2trt.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.data.DataException;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.DataSets;
import org.onnx2trt.quant.data.ImagePreprocess;
import org.onnx2trt.sample.InputShapes;
import picocli.CommandLine.Option;

/**
 * The options that say where calibration or evaluation data is and how images become tensors
 * (calibrate, quantize, evaluate).
 */
final class DataOptions {
    @Option(names = {"--calib", "--data"}, paramLabel = "DATA",
            description = "the calibration set: a .npz/.npy with samples along the first axis, a folder of .npz files,"
                    + " or a folder of PNG/JPEG images (or of class folders of them)")
    Path data;

    @Option(names = "--max-samples", paramLabel = "N", description = "use the first N samples only (default: all)")
    int maxSamples;

    @Option(names = "--preprocess", paramLabel = "PRESET",
            description = "images: `unit` (pixels 0-1, the default) or `imagenet` (resize to crop/0.875, ImageNet mean"
                    + " and std)")
    String preset;

    @Option(names = "--resize", paramLabel = "PIXELS", description = "images: the shorter side after resizing (0: none)")
    Integer resize;

    @Option(names = "--scale", paramLabel = "X", description = "images: the factor on 0-255 pixels (default 1/255)")
    Float scale;

    @Option(names = "--mean", paramLabel = "M[,M,M]", split = ",", description = "images: per-channel mean, after --scale")
    float[] mean;

    @Option(names = "--std", paramLabel = "S[,S,S]", split = ",", description = "images: per-channel std, after --scale")
    float[] std;

    @Option(names = "--bgr", description = "images: the model takes BGR channels (default RGB)")
    boolean bgr;

    @Option(names = "--layout", paramLabel = "NCHW|NHWC",
            description = "images: the input's layout (default: told from its shape)")
    String layout;

    /**
     * Refuses a data path that does not exist before any work (a run would otherwise fuse, verify and
     * calibrate-to-be first, and only then find it missing).
     */
    void checkExists(String option, Path path) {
        if (path != null && !java.nio.file.Files.exists(path)) {
            throw new UserError(option + " " + path + ": no such file or folder");
        }
    }

    /**
     * The data set for {@code model}; bad data and bad options are user errors.
     *
     * @param inputShapes the command's {@code --input-shape} options (an image input's height and width)
     */
    DataSet open(Model model, List<String> inputShapes) {
        return openAt(data, model, inputShapes);
    }

    /** The data set at {@code path} (held-out data, say) read the way these options say. */
    DataSet openAt(Path path, Model model, List<String> inputShapes) {
        if (path == null) {
            throw new UserError("this needs calibration data: give --calib DATA (a .npz/.npy of samples, a folder of .npz"
                    + " files, or a folder of images)");
        }
        if (maxSamples < 0) {
            throw new UserError("--max-samples " + maxSamples + ": give 0 (all) or more");
        }
        InputShapes shapes;
        try {
            shapes = InputShapes.parse(inputShapes);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        try {
            return DataSets.open(path, model, images(model, shapes), shapes.shapes());
        } catch (DataException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The image preprocessing the options give, or null when none was given (the defaults then). */
    private ImagePreprocess images(Model model, InputShapes shapes) {
        boolean any = preset != null || resize != null || scale != null || mean != null || std != null || bgr || layout != null;
        if (!any) {
            return null;
        }
        ImagePreprocess.Layout l = layout == null ? null : switch (layout.toUpperCase(Locale.ROOT)) {
            case "NCHW" -> ImagePreprocess.Layout.NCHW;
            case "NHWC" -> ImagePreprocess.Layout.NHWC;
            default -> throw new UserError("--layout " + layout + ": give NCHW or NHWC");
        };
        long[] dims = imageDims(model, shapes);
        if (l == null) {
            l = dims == null ? ImagePreprocess.Layout.NCHW : DataSets.layoutOf(dims);
        }
        ImagePreprocess base;
        if (preset == null || preset.equals("unit")) {
            base = ImagePreprocess.unitRange(l);
        } else if (preset.equals("imagenet")) {
            long crop = dims == null ? 224 : l == ImagePreprocess.Layout.NCHW ? dims[2] : dims[1];
            base = ImagePreprocess.imagenet(l, (int) Math.max(crop, 1));
        } else {
            throw new UserError("--preprocess " + preset + ": give `unit` or `imagenet`");
        }
        try {
            return new ImagePreprocess(resize != null ? resize : base.resize(),
                    bgr ? ImagePreprocess.ChannelOrder.BGR : base.order(), l, scale != null ? scale : base.scale(),
                    mean != null ? mean : base.mean(), std != null ? std : base.std());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static long[] imageDims(Model model, InputShapes shapes) {
        var inputs = model.graph().runtimeInputs();
        if (inputs.size() != 1) {
            return null;
        }
        long[] given = shapes.shapes().get(inputs.get(0).name());
        if (given != null) {
            return given;
        }
        var shape = org.onnx2trt.ir.Types.shape(inputs.get(0).type());
        return shape == null || shape.size() != 4 ? null : shape.stream().mapToLong(d -> d.isKnown() ? d.value() : -1).toArray();
    }
}
