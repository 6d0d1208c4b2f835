package org.onnx2trt.rewrite.eval;

import java.util.List;
import java.util.Map;
import org.onnx2trt.tensor.math.NdArray;

/**
 * What an {@link Evaluator} asks of the rewriter: the values of names, and the facts only the graph
 * knows.
 *
 * <p>The evaluator computes every builtin on tensors, numbers and lists itself. It asks
 * {@link #callPredicate} for:
 * <ul>
 *   <li>{@code constant}, {@code singleUse}, {@code notOutput}: with the graph values among the
 *       arguments, lists (variadic inputs) flattened; answer a Boolean. Other arguments pass by
 *       themselves and are not passed: an absent optional or a value that is already a tensor or a
 *       number is constant, has no readers and is no graph output. No graph values: no question.
 *   <li>{@code hasType} of a graph value (Boolean) and {@code opset} with no arguments (an integer);
 *   <li>{@code rank}, {@code size} (integers), {@code shape} (a list of integers; throw an
 *       {@link EvalException} for a symbolic dim), {@code dtype} (a {@link org.onnx2trt.tensor.DataType})
 *       and {@code isScalar} (Boolean) of one graph value, from its static type, so they work for
 *       values that are not constants too.
 * </ul>
 *   <li>{@code hasCalib} (Boolean), {@code calib} (a map of {@code amax}, {@code scale}, {@code min},
 *       {@code max} to Doubles; throw an {@link EvalException} when there is none) and {@code producer}
 *       (the op type as a String, "" for no node) of one graph value: facts of the calibration table
 *       and of the graph a recipe gives;
 *   <li>{@code param} with the parameter's name (a String): its value (a String, Long, Double or a
 *       list of them), or null when the recipe does not give it.
 * </ul>
 * {@code shape(x)[k]} asks {@link #dim}, which needs that one dim static only.
 * Builtins that need the elements of a graph value ({@code sqrt(w)}, {@code allZero(b)}, ...) get
 * them from {@link #constantValue}.
 */
public interface Environment {
    /** What {@link #lookup} returns for a name it does not bind. */
    Object UNBOUND = new Object() {
        @Override
        public String toString() {
            return "UNBOUND";
        }
    };

    /**
     * The value bound to {@code name}: a matched value or attribute, or an earlier {@code compute}
     * result; {@code null} for an optional input that is absent; {@link #UNBOUND} for a name this
     * environment does not know. Any object other than the kinds in {@link Values} is a graph value.
     */
    Object lookup(String name);

    /** Answers a builtin that needs the graph (see the class comment). */
    Object callPredicate(String name, List<Object> args, Map<String, Object> named);

    /**
     * Dim {@code index} of a graph value (negative counts from the end), an integer: {@code shape(x)[k]}.
     * By default from the whole shape; an environment that knows dims one by one answers when only
     * that dim is static.
     */
    default Object dim(Object graphValue, long index) {
        List<?> shape = (List<?>) callPredicate("shape", List.of(graphValue), Map.of());
        return shape.get(Evaluator.indexIn(index, shape.size(), "a shape of " + shape.size() + " dims"));
    }

    /** The elements of a graph value that is a constant (an initializer), or null when it is not one. */
    default NdArray constantValue(Object graphValue) {
        return null;
    }
}
