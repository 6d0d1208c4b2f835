package org.onnx2trt.quant.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.quant.data.ImagePreprocess.ChannelOrder;
import org.onnx2trt.quant.data.ImagePreprocess.Layout;
import org.onnx2trt.tensor.Tensor;

/**
 * Images are written at run time into a temp folder with known pixels (PNG, lossless), and the
 * tensors are checked value for value.
 */
class ImageFolderDataSetTest {
    @TempDir
    Path dir;

    /** Raw pixels in, raw pixels out: scale 1, mean 0, std 1, no resize. */
    private static ImagePreprocess raw(ChannelOrder order, Layout layout) {
        return new ImagePreprocess(0, order, layout, 1f, new float[] {0f}, new float[] {1f});
    }

    private static int rgb(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }

    /** Writes a w×h RGB image whose pixel (x, y) is {@code at(x, y)} (0xRRGGBB). */
    private static Path image(Path file, String format, int w, int h, IntBinaryOperator at) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, at.applyAsInt(x, y));
            }
        }
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()));
        return file;
    }

    private static Path png(Path file, int w, int h, IntBinaryOperator at) throws IOException {
        return image(file, "png", w, h, at);
    }

    /** The 2×2 image used for the layout tests: (x, y) → r = 10 + x + 2y, g = r + 100, b = r + 200. */
    private Path twoByTwo() throws IOException {
        return png(dir.resolve("a.png"), 2, 2, (x, y) -> rgb(10 + x + 2 * y, 110 + x + 2 * y, 210 + x + 2 * y));
    }

    private static Sample first(DataSet set) {
        return set.iterator().next();
    }

    private static float[] values(Sample s, String input) {
        return s.inputs().get(input).view().toFloatArray();
    }

    @Test
    void nchwPutsEachChannelInItsOwnPlane() throws IOException {
        twoByTwo();
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 2, 2}, raw(ChannelOrder.RGB, Layout.NCHW));
        Tensor t = first(set).inputs().get("x");
        assertEquals("x", t.name());
        assertArrayEquals(new long[] {1, 3, 2, 2}, t.dims());
        assertArrayEquals(new float[] {10, 11, 12, 13, 110, 111, 112, 113, 210, 211, 212, 213}, t.view().toFloatArray());
    }

    @Test
    void nhwcInterleavesTheChannels() throws IOException {
        twoByTwo();
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {-1, 2, 2, 3}, raw(ChannelOrder.RGB, Layout.NHWC));
        Tensor t = first(set).inputs().get("x");
        assertArrayEquals(new long[] {1, 2, 2, 3}, t.dims());
        assertArrayEquals(new float[] {10, 110, 210, 11, 111, 211, 12, 112, 212, 13, 113, 213}, t.view().toFloatArray());
    }

    @Test
    void bgrReversesTheChannels() throws IOException {
        twoByTwo();
        ImageFolderDataSet nchw = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 2, 2}, raw(ChannelOrder.BGR, Layout.NCHW));
        assertArrayEquals(new float[] {210, 211, 212, 213, 110, 111, 112, 113, 10, 11, 12, 13}, values(first(nchw), "x"));
        ImageFolderDataSet nhwc = ImageFolderDataSet.open(dir, "x", new long[] {1, 2, 2, 3}, raw(ChannelOrder.BGR, Layout.NHWC));
        assertArrayEquals(new float[] {210, 110, 10, 211, 111, 11, 212, 112, 12, 213, 113, 13}, values(first(nhwc), "x"));
    }

    @Test
    void scaleMeanAndStdApplyPerChannelInModelOrder() throws IOException {
        png(dir.resolve("a.png"), 1, 1, (x, y) -> rgb(50, 100, 200));
        float[] mean = {10, 20, 30};
        float[] std = {2, 4, 8};
        // (pixel · 0.5 − mean) / std, by hand: r (25 − 10) / 2, g (50 − 20) / 4, b (100 − 30) / 8
        ImagePreprocess rgbOrder = new ImagePreprocess(0, ChannelOrder.RGB, Layout.NCHW, 0.5f, mean, std);
        assertArrayEquals(new float[] {7.5f, 7.5f, 8.75f},
                values(first(ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, rgbOrder)), "x"));
        // mean and std are in the model's order: channel 0 is now blue, (100 − 10) / 2, (50 − 20) / 4, (25 − 30) / 8
        ImagePreprocess bgrOrder = new ImagePreprocess(0, ChannelOrder.BGR, Layout.NCHW, 0.5f, mean, std);
        assertArrayEquals(new float[] {45f, 7.5f, -0.625f},
                values(first(ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, bgrOrder)), "x"));
    }

    @Test
    void centreCropTakesTheMiddleRoundingTheOffsetDown() throws IOException {
        // red = 10·x + y, so each value names its pixel
        png(dir.resolve("a.png"), 6, 4, (x, y) -> rgb(10 * x + y, 0, 0));
        ImageFolderDataSet even = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 2, 2}, raw(ChannelOrder.RGB, Layout.NCHW));
        assertArrayEquals(new float[] {21, 31, 22, 32}, Arrays.copyOf(values(first(even), "x"), 4));

        png(dir.resolve("a.png"), 7, 5, (x, y) -> rgb(10 * x + y, 0, 0));
        // offsets (7 − 2) / 2 = 2.5 → 2 and (5 − 2) / 2 = 1.5 → 1
        ImageFolderDataSet odd = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 2, 2}, raw(ChannelOrder.RGB, Layout.NCHW));
        assertArrayEquals(new float[] {21, 31, 22, 32}, Arrays.copyOf(values(first(odd), "x"), 4));
    }

    @Test
    void resizingAUniformImageKeepsItsValue() throws IOException {
        png(dir.resolve("a.png"), 8, 6, (x, y) -> rgb(40, 80, 120));
        // shorter side 6 → 3, longer 8 → 4, crop 3×3
        ImagePreprocess p = new ImagePreprocess(3, ChannelOrder.RGB, Layout.NCHW, 1f, new float[] {0f}, new float[] {1f});
        float[] v = values(first(ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 3, 3}, p)), "x");
        for (int i = 0; i < 27; i++) {
            assertEquals(i < 9 ? 40 : i < 18 ? 80 : 120, v[i], "element " + i);
        }
    }

    @Test
    void bilinearResizeAlignsPixelCentres() throws IOException {
        // columns 0 and 100 doubled: output centres fall at source x −0.25 (edge), 0.25, 0.75, 1.25 (edge)
        png(dir.resolve("a.png"), 2, 2, (x, y) -> rgb(100 * x, 0, 0));
        ImagePreprocess p = new ImagePreprocess(4, ChannelOrder.RGB, Layout.NCHW, 1f, new float[] {0f}, new float[] {1f});
        float[] v = values(first(ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 4, 4}, p)), "x");
        assertArrayEquals(new float[] {0, 25, 75, 100, 0, 25, 75, 100}, Arrays.copyOf(v, 8));
    }

    @Test
    void classFoldersGiveLabelsInSortedOrder() throws IOException {
        png(dir.resolve("dog/b.png"), 1, 1, (x, y) -> rgb(3, 0, 0));
        png(dir.resolve("cat/z.png"), 1, 1, (x, y) -> rgb(2, 0, 0));
        png(dir.resolve("cat/a.png"), 1, 1, (x, y) -> rgb(1, 0, 0));
        png(dir.resolve("bird/q.PNG"), 1, 1, (x, y) -> rgb(0, 0, 0));
        Files.writeString(dir.resolve("README"), "not an image");
        Files.writeString(dir.resolve("cat/notes.txt"), "not an image either");
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, raw(ChannelOrder.RGB, Layout.NCHW));
        assertEquals(List.of("bird", "cat", "dog"), set.classes());
        assertTrue(set.hasLabels());
        assertEquals(4, set.size());
        List<String> origins = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Float> red = new ArrayList<>();
        for (Sample s : set) {
            origins.add(s.origin());
            labels.add(s.label().getAsInt());
            red.add(values(s, "x")[0]);
        }
        String sep = File.separator;
        assertEquals(List.of("bird" + sep + "q.PNG", "cat" + sep + "a.png", "cat" + sep + "z.png", "dog" + sep + "b.png"), origins);
        assertEquals(List.of(0, 1, 1, 2), labels);
        assertEquals(List.of(0f, 1f, 2f, 3f), red);
    }

    @Test
    void topLevelImagesAreUnlabelledAndReadInNameOrderOnEveryPass() throws IOException {
        png(dir.resolve("b.jpeg.png"), 1, 1, (x, y) -> rgb(2, 0, 0));
        png(dir.resolve("a.png"), 1, 1, (x, y) -> rgb(1, 0, 0));
        Files.writeString(dir.resolve("README.md"), "# calibration images");
        Files.createDirectories(dir.resolve("empty"));
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, raw(ChannelOrder.RGB, Layout.NCHW));
        assertFalse(set.hasLabels());
        assertEquals(List.of(), set.classes());
        assertEquals(2, set.size());
        for (int pass = 0; pass < 2; pass++) {
            Iterator<Sample> it = set.iterator();
            Sample a = it.next();
            assertEquals("a.png", a.origin());
            assertEquals(OptionalInt.empty(), a.label());
            assertEquals("b.jpeg.png", it.next().origin());
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void grayImageFillsAllThreeChannelsWithItsOwnValue() throws IOException {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 100);
        gray.getRaster().setSample(1, 0, 0, 50);
        assertTrue(ImageIO.write(gray, "png", dir.resolve("g.png").toFile()));
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 2}, raw(ChannelOrder.RGB, Layout.NCHW));
        // the stored value, not the JDK's linear-to-sRGB brightening (which would make 100 into 168)
        assertArrayEquals(new float[] {100, 50, 100, 50, 100, 50}, values(first(set), "x"));
    }

    @Test
    void oneChannelModelTakesLumaWhateverTheOrder() throws IOException {
        png(dir.resolve("a.png"), 1, 1, (x, y) -> rgb(200, 100, 50));
        // 0.299 · 200 + 0.587 · 100 + 0.114 · 50 = 124.2 → 124
        for (ChannelOrder order : ChannelOrder.values()) {
            ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {1, 1, 1, 1}, raw(order, Layout.NCHW));
            Tensor t = first(set).inputs().get("x");
            assertArrayEquals(new long[] {1, 1, 1, 1}, t.dims());
            assertArrayEquals(new float[] {124}, t.view().toFloatArray());
        }
    }

    @Test
    void alphaIsDropped() throws IOException {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80 << 24 | rgb(10, 20, 30));
        assertTrue(ImageIO.write(argb, "png", dir.resolve("a.png").toFile()));
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, raw(ChannelOrder.RGB, Layout.NCHW));
        assertArrayEquals(new float[] {10, 20, 30}, values(first(set), "x"));
    }

    @Test
    void jpegDecodesToTheModelShape() throws IOException {
        image(dir.resolve("photo.JPG"), "jpg", 20, 16, (x, y) -> rgb(120, 60, 30));
        ImagePreprocess p = ImagePreprocess.imagenet(Layout.NCHW, 8);
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "images", new long[] {-1, 3, 8, 8}, p);
        assertArrayEquals(new long[] {1, 3, 8, 8}, first(set).inputs().get("images").dims());
    }

    @Test
    void describeNamesTheFolderCountsAndPreprocessing() throws IOException {
        png(dir.resolve("cat/a.png"), 1, 1, (x, y) -> 0);
        png(dir.resolve("cat/b.png"), 1, 1, (x, y) -> 0);
        png(dir.resolve("dog/a.png"), 1, 1, (x, y) -> 0);
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {1, 1, 1, 3}, raw(ChannelOrder.BGR, Layout.NHWC));
        assertEquals(dir + File.separator + " (3 PNG/JPEG in 2 class folders; resize none, BGR, NHWC, scale 1.0,"
                + " mean [0.0], std [1.0])", set.describe());
    }

    @Test
    void emptyFolderIsAnError() {
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 2, 2}, raw(ChannelOrder.RGB, Layout.NCHW)));
        assertEquals(dir + ": no PNG or JPEG images here (or in class subfolders); put the images directly in the"
                + " folder, or in one subfolder per class", e.getMessage());
    }

    @Test
    void undecodableFileIsNamed() throws IOException {
        Path bad = dir.resolve("x.png");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, raw(ChannelOrder.RGB, Layout.NCHW)));
        assertEquals(bad + ": cannot decode: not a PNG or JPEG the JDK reads; convert it to an 8-bit RGB or gray PNG"
                + " or JPEG, or remove it", e.getMessage());
    }

    @Test
    void undecodableLaterFileFailsWhenReached() throws IOException {
        png(dir.resolve("a.png"), 1, 1, (x, y) -> 0);
        Path bad = dir.resolve("b.png");
        Files.writeString(bad, "garbage");
        ImageFolderDataSet set = ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, raw(ChannelOrder.RGB, Layout.NCHW));
        Iterator<Sample> it = set.iterator();
        it.next();
        DataException e = assertThrows(DataException.class, it::next);
        assertTrue(e.getMessage().startsWith(bad + ": cannot decode: "), e.getMessage());
    }

    @Test
    void imageSmallerThanTheCropIsAnError() throws IOException {
        Path small = png(dir.resolve("a.png"), 3, 2, (x, y) -> 0);
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 4, 4}, raw(ChannelOrder.RGB, Layout.NCHW)));
        assertEquals(small + ": image is 3×2, smaller than the model's 4×4 input; set resize to at least 4 so the"
                + " centre crop fits", e.getMessage());
    }

    @Test
    void imageSmallerThanTheCropAfterResizeIsAnError() throws IOException {
        Path wide = png(dir.resolve("a.png"), 30, 10, (x, y) -> 0);
        ImagePreprocess p = new ImagePreprocess(4, ChannelOrder.RGB, Layout.NCHW, 1f, new float[] {0f}, new float[] {1f});
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 8, 8}, p));
        assertEquals(wide + ": image is 12×4 after resizing the shorter side to 4, smaller than the model's 8×8 input;"
                + " set resize to at least 8 so the centre crop fits", e.getMessage());
    }

    @Test
    void imagesAtTopLevelAndInClassFoldersIsAnError() throws IOException {
        png(dir.resolve("a.png"), 1, 1, (x, y) -> 0);
        png(dir.resolve("cat/b.png"), 1, 1, (x, y) -> 0);
        png(dir.resolve("dog/c.png"), 1, 1, (x, y) -> 0);
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, raw(ChannelOrder.RGB, Layout.NCHW)));
        assertEquals(dir + ": images both directly here and in class subfolders (cat/ and 1 more); pick one layout:"
                + " all images directly in the folder (unlabelled), or all in one subfolder per class (labelled)",
                e.getMessage());
    }

    @Test
    void emptyClassFolderIsAnErrorBecauseItWouldShiftLabels() throws IOException {
        png(dir.resolve("cat/a.png"), 1, 1, (x, y) -> 0);
        Files.createDirectories(dir.resolve("bird"));
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderDataSet.open(dir, "x", new long[] {1, 3, 1, 1}, raw(ChannelOrder.RGB, Layout.NCHW)));
        assertEquals(dir.resolve("bird") + ": class folder with no PNG or JPEG images; labels are class folder"
                + " positions in sorted order, so add its images or remove the folder", e.getMessage());
    }

    @Test
    void unknownHeightAsksToPinTheShape() throws IOException {
        png(dir.resolve("a.png"), 1, 1, (x, y) -> 0);
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderDataSet.open(dir, "images", new long[] {-1, 3, -1, 224}, raw(ChannelOrder.RGB, Layout.NCHW)));
        assertEquals(dir + ": input `images` has shape [-1,3,-1,224], height and width unknown; images are cropped to"
                + " the input's size; pin the shape with --input-shape images:1,3,224,224", e.getMessage());
    }

    @Test
    void channelsOtherThanOneOrThreeSuggestTheLayout() throws IOException {
        png(dir.resolve("a.png"), 1, 1, (x, y) -> 0);
        // an NHWC shape read as NCHW: 224 channels
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderDataSet.open(dir, "x", new long[] {1, 224, 224, 3}, raw(ChannelOrder.RGB, Layout.NCHW)));
        assertTrue(e.getMessage().startsWith(dir + ": input `x` has shape [1,224,224,3], 224 channels in NCHW;"),
                e.getMessage());
    }
}
