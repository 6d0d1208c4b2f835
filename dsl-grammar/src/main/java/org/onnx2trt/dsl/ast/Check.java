package org.onnx2trt.dsl.ast;

/** A {@code where} condition and the reason a match is declined when it is false. */
public record Check(Expr condition, String message, Span span) {}
