package org.onnx2trt.verify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Concrete shapes for inputs whose declared shape has symbolic or unknown dims: whole shapes given
 * per input ({@code --input-shape images:1,3,224,224}), then sizes per symbol, then a default.
 *
 * @param shapes whole shapes by input name
 * @param symbols sizes by dim symbol ({@code batch → 2})
 * @param defaultDim the size of any other unknown dim
 */
public record InputShapes(Map<String, long[]> shapes, Map<String, Long> symbols, long defaultDim) {
    /** Batch 1, other unknown dims 1 as well: the cheapest shapes that run. */
    public static final InputShapes DEFAULT = new InputShapes(Map.of(), Map.of(), 1);

    public InputShapes {
        shapes = Map.copyOf(shapes);
        symbols = Map.copyOf(symbols);
    }

    /**
     * Parses {@code name:d0,d1,...} options.
     *
     * @throws IllegalArgumentException with the option text and the expected form
     */
    public static InputShapes parse(List<String> options) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String o : options) {
            int colon = o.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--input-shape " + o + ": expected NAME:D0,D1,... (e.g. images:1,3,224,224)");
            }
            String[] parts = o.substring(colon + 1).split(",");
            long[] dims = new long[o.substring(colon + 1).isBlank() ? 0 : parts.length];
            for (int i = 0; i < dims.length; i++) {
                try {
                    dims[i] = Long.parseLong(parts[i].trim());
                } catch (NumberFormatException e) {
                    dims[i] = -1;
                }
                if (dims[i] < 0) {
                    throw new IllegalArgumentException("--input-shape " + o + ": `" + parts[i]
                            + "` is not a size; dims are non-negative integers (e.g. images:1,3,224,224)");
                }
            }
            shapes.put(o.substring(0, colon), dims);
        }
        return new InputShapes(shapes, Map.of(), 1);
    }
}
