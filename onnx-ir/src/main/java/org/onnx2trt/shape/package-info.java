/**
 * Shape and type inference: what each value of a graph is (element type, rank, dims that may be
 * symbolic) and, for the small integer tensors that shape computations pass around, what they hold.
 * {@link org.onnx2trt.shape.ShapeInference} is the entry point.
 */
package org.onnx2trt.shape;
