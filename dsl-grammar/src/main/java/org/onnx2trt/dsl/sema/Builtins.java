package org.onnx2trt.dsl.sema;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The functions a rule may call in {@code where} and {@code compute}, with how many positional
 * arguments each takes and which named ones. The evaluator in rewrite-engine implements exactly
 * these; a test there keeps the two in step.
 */
public final class Builtins {

    /** A function's signature: positional arguments from {@code min} to {@code max} (-1: any), and named ones. */
    public record Signature(String name, int min, int max, Set<String> named, String doc) {}

    private static final Map<String, Signature> ALL = new TreeMap<>();

    /** The fields of the record each record-valued function returns ({@code calib(x).amax}). */
    private static final Map<String, Set<String>> FIELDS = Map.of("calib", Set.of("amax", "scale", "min", "max", "mean"));

    /** The fields of what {@code function} returns, empty when it returns no record. */
    public static Set<String> fields(String function) {
        return FIELDS.getOrDefault(function, Set.of());
    }

    private static void fn(String name, int min, int max, String doc, String... named) {
        ALL.put(name, new Signature(name, min, max, Set.of(named), doc));
    }

    static {
        // predicates on matched values
        fn("constant", 1, -1, "every argument is an initializer (absent optionals count as constant)");
        fn("singleUse", 1, -1, "each value has exactly one reader and is not a graph output");
        fn("notOutput", 1, -1, "no argument is a graph output");
        fn("onlyOutput", 1, -1, "each value is a graph output that no node reads");
        fn("isScalar", 1, 1, "the value has one element");
        fn("allZero", 1, 1, "every element (or every item of a list) is zero");
        fn("allEqual", 2, 2, "every element equals the second argument, compared in the first's dtype (a literal meets a float32 tensor as a float32)");
        fn("allClose", 2, 2, "every element within atol + rtol·|v| of the second argument v (numpy.isclose; rtol 1e-5, atol 1e-8 unless given)", "rtol", "atol");
        fn("perChannel", 1, 1, "one value per channel: 1-D; with axis, 1 on every other dim; with axis and rank, as it broadcasts against a tensor of that rank (numpy aligns the last dims)", "axis", "rank");
        fn("hasType", 1, 1, "the value's static type is known");
        fn("bound", 1, 1, "the pattern variable is bound in this match (a pattern with alternative forms binds some variables in some forms only)");
        fn("opset", 0, 0, "the model's default-domain opset version");
        // facts the recipe gives: calibration, parameters
        fn("hasCalib", 1, 1, "the calibration table the recipe gives has a range for the value");
        fn("calib", 1, 1, "the value's calibration record: .amax (clipping threshold on |x|), .scale (amax / 127,"
                + " symmetric int8), .min, .max (fails when the table has no range for it: check hasCalib first)");
        fn("excluded", 1, 1, "the matched node is excluded by the recipe's `exclude` parameter (node name globs with * and"
                + " ?, or op types), as `quantize --exclude` gives it");
        fn("producer", 1, 1, "the op type of the node that makes the value (\"\" for graph inputs and initializers)");
        fn("readBy", 2, 2, "the value has readers, and every one is a node of the op type given as a string"
                + " (readBy(y, \"QuantizeLinear\"): the output is quantized already)");
        fn("param", 1, 1, "a parameter the recipe gives the rules stage, by name (absent when not given: param(\"target\")"
                + " ?? \"tensorrt\")");
        // facts about values
        fn("rank", 1, 1, "the number of dims");
        fn("shape", 1, 1, "the static shape as a list (fails when a dim is symbolic)");
        fn("dimIs", 3, 3, "dim k of the value (negative from the end) is static and equals n: dimIs(x, -2, 1);"
                + " false when it is symbolic or the rank is unknown");
        fn("dtype", 1, 1, "the element type, compared with names like float32");
        fn("size", 1, 1, "the number of elements");
        fn("len", 1, 1, "the length of a list");
        fn("sorted", 1, 1, "the integers of a list (or 1-D tensor) in increasing order");
        fn("without", 2, 2, "the items of the first list that are not in the second, in order");
        fn("gather", 2, 2, "the items of a list at a list of indices (numpy take): composes permutations");
        // elementwise math, numpy broadcasting
        fn("sqrt", 1, 1, "square root");
        fn("reciprocal", 1, 1, "1 / x");
        fn("abs", 1, 1, "absolute value");
        fn("exp", 1, 1, "e^x");
        fn("log", 1, 1, "natural logarithm");
        fn("logit", 1, 1, "ln(x / (1 - x))");
        fn("max", 2, 2, "elementwise maximum");
        fn("min", 2, 2, "elementwise minimum");
        fn("clip", 3, 3, "min(max(x, lo), hi)");
        fn("where", 3, 3, "elementwise choice");
        // reductions
        fn("reduceMax", 1, 1, "maximum over axes (all when none given)", "axes", "keepdims");
        fn("reduceMin", 1, 1, "minimum over axes", "axes", "keepdims");
        fn("reduceSum", 1, 1, "sum over axes", "axes", "keepdims");
        fn("reduceMean", 1, 1, "mean over axes", "axes", "keepdims");
        // shape manipulation
        fn("reshape", 2, 2, "to a shape (-1 and 0 as in ONNX Reshape)");
        fn("unsqueeze", 2, 2, "insert size-1 dims at axes");
        fn("squeeze", 1, 2, "drop size-1 dims (at axes)");
        fn("unsqueezeTo", 1, 1, "a 1-D tensor placed on `axis` of a tensor of rank `rank`", "axis", "rank");
        fn("transpose", 1, 2, "permute dims (reverse when no perm)");
        fn("pad", 2, 3, "pad with a constant (pads as in ONNX Pad)");
        fn("slice", 3, 5, "starts, ends[, axes[, steps]] as in ONNX Slice");
        fn("concat", 1, -1, "join along an axis", "axis");
        fn("broadcastTo", 2, 2, "expand to a shape");
        // types and constants
        fn("cast", 2, 2, "to a dtype, e.g. cast(q, int8): rounds half to even and saturates for integers");
        fn("zerosLike", 1, 1, "zeros of the same shape and type");
        fn("onesLike", 1, 1, "ones of the same shape and type");
        fn("full", 2, 3, "a tensor of a shape filled with a value (dtype: float32 by default)");
        fn("eye", 1, 1, "the n×n float32 identity matrix (an identity conv kernel, reshaped)");
        fn("tensor", 1, 2, "a constant from a number or a list (dtype: float32 by default)");
        fn("toList", 1, 1, "the elements of a tensor of rank 0 or 1 as a list (for an ints attribute)");
        fn("asDtype", 1, 1, "the dtype of an ONNX TensorProto.DataType number, such as Cast's `to`");
        fn("isFloat", 1, 1, "the dtype is float16, bfloat16, float32 or float64");
        fn("losslessCast", 2, 2, "every value of the first dtype is exactly a value of the second (int8 -> int32, float16 -> float32)");
    }

    private Builtins() {}

    /** The signature of a builtin, or null. */
    public static Signature find(String name) {
        return ALL.get(name);
    }

    /** All builtins by name. */
    public static Map<String, Signature> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }
}
