package org.onnx2trt.quant.data;

import java.util.Arrays;

/**
 * How an image file becomes an input tensor, in this order: decode (PNG, JPEG: what the JDK reads),
 * resize so the shorter side is {@code resize} pixels (bilinear; 0 keeps the size), crop the centre to
 * the model's input height and width, take the channels in {@code order}, then per channel
 * {@code value = (pixel · scale − mean[c]) / std[c]} with pixels 0–255, and lay the result out as
 * {@code layout} with a batch dim of 1.
 *
 * @param resize the shorter side after resizing, in pixels; 0 for no resize (the image must then be at
 *               least the crop size)
 * @param order  the channel order the model expects
 * @param layout NCHW or NHWC
 * @param scale  the factor applied to 0–255 pixels before the mean is subtracted (1/255 gives 0–1)
 * @param mean   per channel, in {@code order}; one value for every channel, or three
 * @param std    per channel, in {@code order}; one value for every channel, or three
 */
public record ImagePreprocess(int resize, ChannelOrder order, Layout layout, float scale, float[] mean, float[] std) {
    public enum ChannelOrder { RGB, BGR }

    public enum Layout { NCHW, NHWC }

    /** torchvision's ImageNet preprocessing: resize 256 (for a 224 crop), RGB, 0–1, ImageNet mean and std. */
    public static ImagePreprocess imagenet(Layout layout, int cropSize) {
        return new ImagePreprocess(Math.round(cropSize / 0.875f), ChannelOrder.RGB, layout, 1f / 255,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    /** Pixels scaled to 0–1, RGB, no resize, no normalization. */
    public static ImagePreprocess unitRange(Layout layout) {
        return new ImagePreprocess(0, ChannelOrder.RGB, layout, 1f / 255, new float[] {0f}, new float[] {1f});
    }

    public ImagePreprocess {
        if (resize < 0) {
            throw new IllegalArgumentException("resize " + resize + ": give 0 (none) or a positive size");
        }
        if (mean.length != 1 && mean.length != 3 || std.length != 1 && std.length != 3) {
            throw new IllegalArgumentException("mean and std take one value or three (one per channel)");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std " + Arrays.toString(std) + ": every value must be positive");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The mean of channel {@code c} (0–2, in {@link #order}). */
    public float meanOf(int c) {
        return mean.length == 1 ? mean[0] : mean[c];
    }

    /** The std of channel {@code c} (0–2, in {@link #order}). */
    public float stdOf(int c) {
        return std.length == 1 ? std[0] : std[c];
    }

    @Override
    public String toString() {
        return "resize " + (resize == 0 ? "none" : resize) + ", " + order + ", " + layout + ", scale " + scale
                + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
