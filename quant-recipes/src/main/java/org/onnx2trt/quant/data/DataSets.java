package org.onnx2trt.quant.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;

/** Opens a calibration or evaluation set in whatever form {@code path} holds it. */
public final class DataSets {
    private DataSets() {}

    /**
     * The samples at {@code path} for {@code model}: an image folder (PNG/JPEG files, or class
     * subfolders of them) becomes tensors through {@code images} (for the model's one image input);
     * anything else is read as numpy files ({@link NumpyDataSet}).
     *
     * @param images how images become tensors; null to take the defaults for the model's input layout
     *               (pixels scaled to 0–1, RGB, no resize, no normalization)
     * @param shapes input shapes given by the user for inputs with symbolic dims ({@code --input-shape}):
     *               an image input takes its height and width from here when the model leaves them open
     * @throws DataException naming the path, what is wrong and the fix
     */
    public static DataSet open(Path path, Model model, ImagePreprocess images, Map<String, long[]> shapes) {
        if (!holdsImages(path)) {
            if (images != null && Files.isDirectory(path)) {
                throw new DataException(path + ": image preprocessing was given, but the folder holds no PNG or JPEG images"
                        + " (nor class subfolders of them)");
            }
            return NumpyDataSet.open(path, model);
        }
        List<Value> inputs = model.graph().runtimeInputs();
        if (inputs.size() != 1) {
            throw new DataException(path + ": images feed a model with one input; this one has " + inputs.size() + " "
                    + inputs.stream().map(Value::name).toList() + "; give .npz samples with one array per input");
        }
        Value input = inputs.get(0);
        List<Types.Dim> shape = Types.shape(input.type());
        if (shape == null || shape.size() != 4) {
            throw new DataException(path + ": images feed a rank-4 input ([N, C, H, W] or [N, H, W, C]); input `"
                    + input.name() + "` is " + Types.describe(input.type()));
        }
        long[] dims = shape.stream().mapToLong(d -> d.isKnown() ? d.value() : -1).toArray();
        long[] given = shapes.get(input.name());
        if (given != null) {
            if (given.length != 4) {
                throw new DataException("--input-shape " + input.name() + ": give 4 dims for an image input, got "
                        + given.length);
            }
            dims = given.clone();
        }
        ImagePreprocess p = images != null ? images : ImagePreprocess.unitRange(layoutOf(dims));
        return ImageFolderDataSet.open(path, input.name(), dims, p);
    }

    /** NHWC when the last dim is 3 (or 1) and the second is not, else NCHW. */
    public static ImagePreprocess.Layout layoutOf(long[] dims) {
        boolean channelsLast = (dims[3] == 3 || dims[3] == 1) && dims[1] != 3 && dims[1] != 1;
        return channelsLast ? ImagePreprocess.Layout.NHWC : ImagePreprocess.Layout.NCHW;
    }

    /** Whether {@code path} is a folder of images, or of class subfolders of images. */
    static boolean holdsImages(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> s = Files.list(path)) {
            for (Path p : s.toList()) {
                if (isImage(p)) {
                    return true;
                }
                if (Files.isDirectory(p)) {
                    try (Stream<Path> inner = Files.list(p)) {
                        if (inner.anyMatch(DataSets::isImage)) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new DataException(path + ": cannot list: " + e.getMessage());
        }
        return false;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }
}
