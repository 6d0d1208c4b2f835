package org.onnx2trt.dsl.ast;

import java.util.List;

/** An expression of a check or a computed constant. */
public sealed interface Expr {
    Span span();

    /** An argument of a call, named ({@code axis: 0}) or positional (name null). */
    record Arg(String name, Expr value) {}

    /** {@code sqrt(x)}, {@code constant(w, b)}; {@code native} calls go to a registered Java function. */
    record Call(String function, List<Arg> args, boolean isNative, Span span) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** {@code -x}, {@code not c}. */
    record Unary(String op, Expr operand, Span span) implements Expr {}

    /** {@code a + b}, {@code a == b}, {@code a and b}, {@code a ?? b}. */
    record Binary(String op, Expr left, Expr right, Span span) implements Expr {}

    /** {@code shape(w)[0]}. */
    record Index(Expr target, Expr index, Span span) implements Expr {}

    /** {@code calib(x).amax}: a field of a record-valued function. */
    record Member(Expr target, String field, Span span) implements Expr {}

    /** {@code [1, 2, 3]}. */
    record ListOf(List<Expr> items, Span span) implements Expr {
        public ListOf {
            items = List.copyOf(items);
        }
    }

    /** An integer literal. */
    record Int(long value, Span span) implements Expr {}

    /** A floating-point literal. */
    record Float(double value, Span span) implements Expr {}

    /** A string literal, unescaped. */
    record Str(String value, Span span) implements Expr {}

    /** {@code true} or {@code false}. */
    record Bool(boolean value, Span span) implements Expr {}

    /** A variable, a binding, or a dtype name such as {@code float32}. */
    record Name(String name, Span span) implements Expr {}
}
