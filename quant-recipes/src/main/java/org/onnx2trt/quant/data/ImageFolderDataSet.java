package org.onnx2trt.quant.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.onnx2trt.quant.data.ImagePreprocess.ChannelOrder;
import org.onnx2trt.quant.data.ImagePreprocess.Layout;
import org.onnx2trt.tensor.Tensor;

/**
 * A folder of PNG and JPEG images as a {@link DataSet} for a model with one rank-4 image input. Two
 * layouts, not mixed:
 * <ul>
 *   <li>{@code folder/*.png}: unlabelled samples, in file name order;
 *   <li>{@code folder/<class>/*.png}: labelled samples; the label is the position of the class
 *       folder's name among the class folders in sorted order ({@link #classes()}), as torchvision's
 *       {@code ImageFolder} numbers them. Class by class, then file name order within a class.
 * </ul>
 * Extensions {@code .png}, {@code .jpg}, {@code .jpeg} in any case; other files, hidden files
 * (macOS {@code ._x.png}) and anything deeper than one folder level are ignored.
 *
 * <p>Each image goes through {@link ImagePreprocess} in its documented order. The resize is a
 * hand-written bilinear with pixel centres aligned (OpenCV's {@code INTER_LINEAR}, PyTorch's
 * {@code align_corners=False}) and without antialiasing, rounded back to 0–255 as an 8-bit image
 * would be; on a strong downscale it differs a little from PIL's antialiased resize.
 *
 * <p>The paths are listed when the set is opened and the first image is read then to check it;
 * each later image is decoded when its sample is reached, so memory holds one decoded image.
 */
public final class ImageFolderDataSet implements DataSet {
    private final Path folder;
    private final String inputName;
    private final ImagePreprocess preprocess;
    private final int channels;
    private final int height;
    private final int width;
    /** Image paths relative to {@code folder}, in sample order. */
    private final List<Path> files;
    /** The class index of each file; empty when the set is unlabelled. */
    private final int[] labels;
    private final List<String> classes;
    /** Per model channel, the input value of each pixel value 0–255: the scale, mean and std applied once. */
    private final float[][] valueOf;

    private ImageFolderDataSet(Path folder, String inputName, ImagePreprocess preprocess, int[] chw,
            List<Path> files, int[] labels, List<String> classes) {
        this.folder = folder;
        this.inputName = inputName;
        this.preprocess = preprocess;
        this.channels = chw[0];
        this.height = chw[1];
        this.width = chw[2];
        this.files = files;
        this.labels = labels;
        this.classes = classes;
        this.valueOf = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                valueOf[c][v] = (v * preprocess.scale() - preprocess.meanOf(c)) / preprocess.stdOf(c);
            }
        }
    }

    /**
     * Opens {@code folder} as the data for input {@code inputName}, lists its images and reads the
     * first one.
     *
     * @param inputShape the model input's shape, rank 4 in {@code p.layout()}: batch 1 or unknown
     *                   (-1), 3 channels (or 1: images become gray by ITU-R 601 luma, and the channel
     *                   order does not apply), height and width known
     * @throws DataException when the folder is missing or has no images, mixes top-level images with
     *                       class folders, has an empty class folder, the shape does not fit the
     *                       above, or the first image cannot be decoded or is smaller than the crop
     */
    public static ImageFolderDataSet open(Path folder, String inputName, long[] inputShape, ImagePreprocess p) {
        int[] chw = checkShape(folder, inputName, inputShape, p.layout());
        if (!Files.isDirectory(folder)) {
            throw new DataException(folder + ": no such folder; give a folder of PNG or JPEG images,"
                    + " or of one subfolder of them per class");
        }
        List<Path> topImages = images(folder);
        List<String> classNames = new ArrayList<>();
        List<Path> classFiles = new ArrayList<>();
        List<Integer> classLabels = new ArrayList<>();
        List<Path> emptyClasses = new ArrayList<>();
        for (Path dir : list(folder)) {
            if (!Files.isDirectory(dir) || isHidden(dir)) {
                continue;
            }
            List<Path> inClass = images(dir);
            if (inClass.isEmpty()) {
                emptyClasses.add(dir);
                continue;
            }
            for (Path f : inClass) {
                classFiles.add(folder.relativize(f));
                classLabels.add(classNames.size());
            }
            classNames.add(dir.getFileName().toString());
        }
        if (!topImages.isEmpty() && !classFiles.isEmpty()) {
            String more = classNames.size() == 1 ? "" : " and " + (classNames.size() - 1) + " more";
            throw new DataException(folder + ": images both directly here and in class subfolders (" + classNames.get(0)
                    + "/" + more + "); pick one layout: all images directly in the folder (unlabelled), or all in"
                    + " one subfolder per class (labelled)");
        }
        if (topImages.isEmpty() && classFiles.isEmpty()) {
            throw new DataException(folder + ": no PNG or JPEG images here (or in class subfolders); put the"
                    + " images directly in the folder, or in one subfolder per class");
        }
        ImageFolderDataSet set;
        if (!topImages.isEmpty()) {
            List<Path> rel = topImages.stream().map(folder::relativize).toList();
            set = new ImageFolderDataSet(folder, inputName, p, chw, rel, new int[0], List.of());
        } else {
            // an empty class folder would still take a label position in torchvision's numbering, so
            // skipping it would shift every later label away from the model's classes
            if (!emptyClasses.isEmpty()) {
                throw new DataException(emptyClasses.get(0) + ": class folder with no PNG or JPEG images; labels"
                        + " are class folder positions in sorted order, so add its images or remove the folder");
            }
            int[] labels = classLabels.stream().mapToInt(Integer::intValue).toArray();
            set = new ImageFolderDataSet(folder, inputName, p, chw, List.copyOf(classFiles), labels,
                    List.copyOf(classNames));
        }
        set.read(0); // DataSet's promise: what one sample shows (decodes, fits the crop) fails here, not mid-run
        return set;
    }

    /** The class folder names in label order; empty when the images are unlabelled. */
    public List<String> classes() {
        return classes;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public boolean hasLabels() {
        return !classes.isEmpty();
    }

    /** {@code images/ (1,000 PNG/JPEG in 10 class folders; resize 256, RGB, NCHW, scale …, mean […], std […])}. */
    @Override
    public String describe() {
        String where = hasLabels()
                ? " in " + classes.size() + (classes.size() == 1 ? " class folder" : " class folders")
                : "";
        return folder + File.separator + " (" + String.format(Locale.ROOT, "%,d", size()) + " PNG/JPEG" + where
                + "; " + preprocess + (channels == 1 ? ", gray" : "") + ")";
    }

    /**
     * A new pass over the images; each {@code next()} decodes one file.
     *
     * <p>{@code next()} throws {@link DataException} naming the file when it cannot be read or decoded,
     * or is smaller than the model's input after the resize.
     */
    @Override
    public Iterator<Sample> iterator() {
        return DataSet.byIndex(files.size(), this::read);
    }

    /** Sample {@code i}: decode, resize, crop, normalize. */
    private Sample read(int i) {
        Path file = folder.resolve(files.get(i));
        Pixels img = toChannels(decode(file), channels);
        img = resize(img, preprocess.resize());
        if (img.width < width || img.height < height) {
            String resized = preprocess.resize() == 0 ? "" : " after resizing the shorter side to " + preprocess.resize();
            throw new DataException(file + ": image is " + img.width + "×" + img.height + resized
                    + ", smaller than the model's " + width + "×" + height + " input; set resize to at least "
                    + Math.max(width, height) + " so the centre crop fits");
        }
        OptionalInt label = hasLabels() ? OptionalInt.of(labels[i]) : OptionalInt.empty();
        return new Sample(Map.of(inputName, toTensor(img)), label, files.get(i).toString());
    }

    /** The model's channels, height and width from its input shape, or why the shape cannot take images. */
    private static int[] checkShape(Path folder, String inputName, long[] shape, Layout layout) {
        String at = folder + ": input `" + inputName + "` has shape " + Arrays.toString(shape).replace(" ", "");
        String pin = "; pin the shape with --input-shape " + inputName
                + (layout == Layout.NCHW ? ":1,3,224,224" : ":1,224,224,3");
        if (shape.length != 4) {
            throw new DataException(at + ", not rank 4; an image folder feeds a " + layout + " image input" + pin);
        }
        long c = layout == Layout.NCHW ? shape[1] : shape[3];
        long h = layout == Layout.NCHW ? shape[2] : shape[1];
        long w = layout == Layout.NCHW ? shape[3] : shape[2];
        if (shape[0] > 1) {
            throw new DataException(at + ", batch " + shape[0] + "; an image folder gives one image per sample" + pin);
        }
        if (c != 1 && c != 3) {
            throw new DataException(at + ", " + c + " channels in " + layout + "; images give 3 (RGB, BGR) or 1 (gray)"
                    + " — check the layout" + pin);
        }
        if (h <= 0 || w <= 0) {
            throw new DataException(at + ", height and width unknown; images are cropped to the input's size" + pin);
        }
        return new int[] {(int) c, Math.toIntExact(h), Math.toIntExact(w)};
    }

    /** The image files directly in {@code dir}, in name order. */
    private static List<Path> images(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path f : list(dir)) {
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean image = name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
            if (image && !isHidden(f) && Files.isRegularFile(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The entries of {@code dir} sorted by name, so that the sample order is the same everywhere. */
    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list the folder: " + e.getMessage());
        }
    }

    private static boolean isHidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    /** An image as 0–255 planes in RGB order (one plane when gray), row-major. */
    private record Pixels(int width, int height, int[][] planes) {}

    /** Decodes {@code file} to one gray plane or three RGB planes, alpha dropped. */
    private static Pixels decode(Path file) {
        if (!Files.isReadable(file)) {
            throw new DataException(file + ": cannot read: the file is gone or not readable");
        }
        BufferedImage img;
        String detail = "";
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // the JDK's decoders also fail with runtime exceptions on some damaged files
            img = null;
            detail = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
        }
        if (img == null) {
            throw new DataException(file + ": cannot decode: not a PNG or JPEG the JDK reads" + detail
                    + "; convert it to an 8-bit RGB or gray PNG or JPEG, or remove it");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        if (cm.getNumColorComponents() == 1) {
            // raw samples, not getRGB: getRGB treats the JDK's gray as linear and brightens it to sRGB
            // (100 becomes 168), whereas PIL and OpenCV, which models are trained with, take it as is
            int[] gray = img.getRaster().getSamples(0, 0, w, h, 0, new int[w * h]);
            int max = (1 << cm.getComponentSize(0)) - 1;
            if (max != 255) {
                for (int i = 0; i < gray.length; i++) {
                    gray[i] = Math.round(gray[i] * 255f / max);
                }
            }
            return new Pixels(w, h, new int[][] {gray});
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int[] r = new int[w * h];
        int[] g = new int[w * h];
        int[] b = new int[w * h];
        for (int i = 0; i < argb.length; i++) {
            r[i] = (argb[i] >> 16) & 0xff;
            g[i] = (argb[i] >> 8) & 0xff;
            b[i] = argb[i] & 0xff;
        }
        return new Pixels(w, h, new int[][] {r, g, b});
    }

    /** {@code img} with the model's channel count: gray replicated to RGB, or RGB to gray by ITU-R 601 luma. */
    private static Pixels toChannels(Pixels img, int channels) {
        int[][] p = img.planes;
        if (p.length == channels) {
            return img;
        }
        if (channels == 3) {
            return new Pixels(img.width, img.height, new int[][] {p[0], p[0], p[0]});
        }
        int[] gray = new int[p[0].length];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (int) Math.round(0.299 * p[0][i] + 0.587 * p[1][i] + 0.114 * p[2][i]);
        }
        return new Pixels(img.width, img.height, new int[][] {gray});
    }

    /**
     * {@code img} resized so its shorter side is {@code shorter} (0: as it is), the longer side
     * scaled by the same factor and truncated as torchvision does.
     */
    private static Pixels resize(Pixels img, int shorter) {
        int w = img.width;
        int h = img.height;
        if (shorter == 0 || Math.min(w, h) == shorter) {
            return img;
        }
        int nw = w <= h ? shorter : (int) ((long) shorter * w / h);
        int nh = w <= h ? (int) ((long) shorter * h / w) : shorter;
        Taps xs = Taps.of(w, nw);
        Taps ys = Taps.of(h, nh);
        int[][] out = new int[img.planes.length][];
        for (int c = 0; c < out.length; c++) {
            if (c > 0 && img.planes[c] == img.planes[c - 1]) {
                out[c] = out[c - 1]; // a replicated gray plane: resize it once
                continue;
            }
            int[] src = img.planes[c];
            int[] dst = new int[nw * nh];
            for (int y = 0; y < nh; y++) {
                int row0 = ys.lo[y] * w;
                int row1 = ys.hi[y] * w;
                float fy = ys.frac[y];
                for (int x = 0; x < nw; x++) {
                    float fx = xs.frac[x];
                    float top = src[row0 + xs.lo[x]] * (1 - fx) + src[row0 + xs.hi[x]] * fx;
                    float bottom = src[row1 + xs.lo[x]] * (1 - fx) + src[row1 + xs.hi[x]] * fx;
                    dst[y * nw + x] = Math.round(top * (1 - fy) + bottom * fy);
                }
            }
            out[c] = dst;
        }
        return new Pixels(nw, nh, out);
    }

    /** For each output position along one axis, the two source pixels it blends and the weight of the second. */
    private record Taps(int[] lo, int[] hi, float[] frac) {
        static Taps of(int from, int to) {
            int[] lo = new int[to];
            int[] hi = new int[to];
            float[] frac = new float[to];
            for (int i = 0; i < to; i++) {
                // pixel centres line up: output centre i + 0.5 maps to source (i + 0.5) · from / to
                double s = (i + 0.5) * from / to - 0.5;
                s = Math.max(0, Math.min(from - 1, s)); // edge pixels repeat beyond the border
                lo[i] = (int) s;
                hi[i] = Math.min(lo[i] + 1, from - 1);
                frac[i] = (float) (s - lo[i]);
            }
            return new Taps(lo, hi, frac);
        }
    }

    /** The centre {@code height × width} of {@code img}, in the model's channel order and layout. */
    private Tensor toTensor(Pixels img) {
        int x0 = (img.width - width) / 2;
        int y0 = (img.height - height) / 2;
        int[][] planes = img.planes;
        if (channels == 3 && preprocess.order() == ChannelOrder.BGR) {
            planes = new int[][] {planes[2], planes[1], planes[0]};
        }
        float[] out = new float[channels * height * width];
        boolean nchw = preprocess.layout() == Layout.NCHW;
        for (int c = 0; c < channels; c++) {
            int[] src = planes[c];
            float[] lut = valueOf[c];
            for (int y = 0; y < height; y++) {
                int from = (y0 + y) * img.width + x0;
                for (int x = 0; x < width; x++) {
                    int at = nchw ? (c * height + y) * width + x : (y * width + x) * channels + c;
                    out[at] = lut[src[from + x]];
                }
            }
        }
        long[] dims = nchw ? new long[] {1, channels, height, width} : new long[] {1, height, width, channels};
        return Tensor.ofFloats(inputName, dims, out);
    }
}
