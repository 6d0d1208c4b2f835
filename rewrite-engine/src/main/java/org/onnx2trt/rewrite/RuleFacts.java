package org.onnx2trt.rewrite;

import java.util.Map;

/**
 * What a recipe tells the rules besides the graph: calibration ranges measured on data (read by
 * {@code hasCalib(x)} and {@code calib(x).amax}) and named parameters ({@code param("target")}).
 * Quantization placement rules read them; every other rule ignores them.
 */
public interface RuleFacts {
    /** No calibration, no parameters. */
    RuleFacts NONE = new RuleFacts() {};

    /**
     * A value's measured range.
     *
     * @param amax the clipping threshold on |x| (int8 scale = amax / 127)
     * @param min  the smallest value seen
     * @param max  the largest value seen
     */
    record Range(double amax, double min, double max, float[] channelMean) {
        public Range(double amax, double min, double max) {
            this(amax, min, max, null);
        }
    }

    /** The range measured for the value named, or null when there is none. */
    default Range calibration(String value) {
        return null;
    }

    /** The parameter named (a String, Long, Double or a list of them), or null when it is not given. */
    default Object parameter(String name) {
        return null;
    }

    /** These facts with {@code parameters} (which win over the ones they have). */
    default RuleFacts withParameters(Map<String, Object> parameters) {
        RuleFacts base = this;
        return new RuleFacts() {
            @Override
            public Range calibration(String value) {
                return base.calibration(value);
            }

            @Override
            public Object parameter(String name) {
                return parameters.containsKey(name) ? parameters.get(name) : base.parameter(name);
            }
        };
    }
}
