package org.onnx2trt.dsl.ast;

/** An attribute clause of a new node. */
public sealed interface AttrSet {
    Span span();

    /** {@code ...conv}: every attribute of the matched node {@code from}. */
    record CopyFrom(String from, Span span) implements AttrSet {}

    /** {@code -auto_pad}: leave this attribute out (after a copy). */
    record Drop(String attr, Span span) implements AttrSet {}

    /** {@code group: 1}: set this attribute to a value. */
    record Set(String attr, Expr value, Span span) implements AttrSet {}
}
