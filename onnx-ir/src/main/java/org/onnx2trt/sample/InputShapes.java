package org.onnx2trt.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;

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
     * A size of its own for every symbolic dim of the model's runtime inputs: 2, 3, 5, 7, 11, 13 in
     * the order the symbols appear (then again from 2), so that a rewrite that took one symbol for
     * another, or for 1, gives different numbers.
     */
    public static Map<String, Long> distinctSymbolSizes(Model model) {
        long[] primes = {2, 3, 5, 7, 11, 13};
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Value v : model.graph().runtimeInputs()) {
            List<Types.Dim> dims = Types.shape(v.type());
            for (Types.Dim d : dims == null ? List.<Types.Dim>of() : dims) {
                if (d.symbol() != null && !sizes.containsKey(d.symbol())) {
                    sizes.put(d.symbol(), primes[sizes.size() % primes.length]);
                }
            }
        }
        return sizes;
    }

    /** How messages name symbol sizes: {@code {batch = 2, n = 3}}. */
    public static String describe(Map<String, Long> symbolSizes) {
        return symbolSizes.toString().replace("=", " = ");
    }

    /**
     * Parses {@code name:d0,d1,...} options.
     *
     * @throws IllegalArgumentException with the option text and the expected form
     */
    /** The most elements an input shape given on the command line may hold: 2 GiB of float32. */
    public static final long MAX_ELEMENTS = 1L << 29;

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
                if (dims[i] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("--input-shape " + o + ": the dim " + dims[i] + " is larger than the"
                            + " limit, " + Integer.MAX_VALUE);
                }
            }
            if (org.onnx2trt.tensor.Tensor.elementCountWithin(dims, MAX_ELEMENTS) < 0) {
                throw new IllegalArgumentException("--input-shape " + o + ": the shape holds more than " + MAX_ELEMENTS
                        + " elements (the limit: 2 GiB of float32 per input)");
            }
            shapes.put(o.substring(0, colon), dims);
        }
        return new InputShapes(shapes, Map.of(), 1);
    }
}
