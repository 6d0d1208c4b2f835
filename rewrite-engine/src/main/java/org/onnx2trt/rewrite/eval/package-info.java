/**
 * Evaluation of rule expressions: the {@code where} checks and the {@code compute} constants.
 *
 * <p>{@link org.onnx2trt.rewrite.eval.Evaluator} walks an {@link org.onnx2trt.dsl.ast.Expr} over the
 * values described in {@link org.onnx2trt.rewrite.eval.Values}; the rewriter supplies an
 * {@link org.onnx2trt.rewrite.eval.Environment} (matched values, attributes, earlier computes, and the
 * facts only the graph knows) and the {@link org.onnx2trt.rewrite.eval.NativeFunctions} of
 * {@code native} calls. Tensors are {@link org.onnx2trt.tensor.math.NdArray}s; their operations are
 * in {@link org.onnx2trt.tensor.math.ArrayMath}, {@link org.onnx2trt.tensor.math.ShapeOps} and
 * {@link org.onnx2trt.tensor.math.Reductions}.
 *
 * <p>The decisions a rule author meets, each documented where it is made:
 * <ul>
 *   <li>result types: {@link org.onnx2trt.tensor.math.DTypes} (a float type wins over integers,
 *       plain numbers are weak, float32 is the default float type);
 *   <li>rounding: every operation rounds once into its result type, float32 exactly as a Java
 *       {@code (float)} cast; {@code cast} to an integer rounds half to even and saturates;
 *   <li>int64 is exact; uint64 is limited to [0, 2^53];
 *   <li>{@code /} on integers truncates (ONNX Div), {@code %} takes the divisor's sign (numpy);
 *   <li>comparisons involving a tensor are elementwise; others give a Boolean;
 *   <li>reductions drop reduced axes unless {@code keepdims: true} (numpy's default, not ONNX's);
 *   <li>which builtins ask the environment: {@link org.onnx2trt.rewrite.eval.Environment}.
 * </ul>
 */
package org.onnx2trt.rewrite.eval;
