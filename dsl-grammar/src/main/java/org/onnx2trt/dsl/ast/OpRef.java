package org.onnx2trt.dsl.ast;

/** An operator name, with its domain ({@code ""} for the default ONNX domain). */
public record OpRef(String domain, String op, Span span) {
    /** {@code Conv}, or {@code com.microsoft::FusedConv}. */
    public String qualified() {
        return domain.isEmpty() ? op : domain + "::" + op;
    }

    @Override
    public String toString() {
        return qualified();
    }
}
