package org.onnx2trt.ir;

/** One place a value is read: input {@code index} of node {@code user}. */
public record Use(Node user, int index) {}
