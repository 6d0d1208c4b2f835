package org.onnx2trt.trt.build;

import org.bytedeco.javacpp.Loader;

/**
 * Whether TensorRT can run here: its libraries load (CUDA 13 runtime, cuBLAS 13, cuDNN 9, TensorRT
 * 11.2 — from a system install or the {@code tensorrt-natives} profile's jars). Probed once: after a
 * failed load the JVM answers every later try with {@code NoClassDefFoundError}, so the first answer
 * is kept. A working GPU is checked when the builder is made (it comes back null without one).
 */
public final class TrtProbe {
    /** The answer: available, or the one line that says what is missing and how to get it. */
    public record Availability(boolean available, String message) {}

    /** What a user without TensorRT reads. */
    static final String HOW_TO_GET_IT = "TensorRT 11.2 needs an NVIDIA GPU with its driver (CUDA 13), cuBLAS 13 and"
            + " cuDNN 9, and TensorRT 11.2 with the CUDA 13.3 runtime: install them from NVIDIA (on the library path),"
            + " or build onnx2trt with `mvn -P tensorrt-natives package` to bring TensorRT and CUDA as jars (about 900 MB)";

    private static Availability answer;

    private TrtProbe() {}

    public static synchronized Availability probe() {
        if (answer == null) {
            try {
                Loader.load(org.bytedeco.tensorrt.global.nvinfer.class);
                Loader.load(org.bytedeco.tensorrt.global.nvonnxparser.class);
                answer = new Availability(true, "TensorRT's libraries loaded");
            } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError: a missing library is no bug
                answer = new Availability(false, "TensorRT cannot be loaded here (" + firstLine(e) + "). " + HOW_TO_GET_IT);
            }
        }
        return answer;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 160 ? m.substring(0, 160) + "…" : m;
    }
}
