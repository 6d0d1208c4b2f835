package org.onnx2trt.dsl.ast;

/** A {@code compute} line: a new constant from matched ones. */
public record Assignment(String name, Expr value, Span span) {}
