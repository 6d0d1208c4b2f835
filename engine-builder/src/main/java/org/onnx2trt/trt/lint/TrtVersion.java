package org.onnx2trt.trt.lint;

/**
 * The TensorRT version a model is linted for: what opsets its ONNX parser reads (9 to 24 through
 * 11.4; 11.5 added 25) and whether it builds strongly typed networks only (11: precision is the graph's).
 */
public record TrtVersion(int major, int minor) {
    /** The version this toolkit builds with (the JavaCPP presets 1.5.14). */
    public static final TrtVersion DEFAULT = new TrtVersion(11, 2);

    /** {@code 11.2}, {@code 10.15}; TensorRT before 10 is not linted for. */
    public static TrtVersion parse(String text) {
        String[] parts = text.strip().split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            if (major < 10 || major > 11) {
                throw new IllegalArgumentException("TensorRT " + text + " is not linted for; give a 10.x or 11.x version (e.g. 11.2)");
            }
            return new TrtVersion(major, minor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--trt-version " + text + ": give a version like 11.2");
        }
    }

    public int minOpset() {
        return 9;
    }

    /**
     * The newest opset the parser documents: 24 for 10.15 and 11.0–11.4, 25 from 11.5; for 10.0–10.14
     * the 10.0 documentation's 20 (later 10.x releases read newer opsets, but we have not seen which).
     */
    public int maxOpset() {
        if (major == 11) {
            return minor >= 5 ? 25 : 24;
        }
        return minor >= 15 ? 24 : 20;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
