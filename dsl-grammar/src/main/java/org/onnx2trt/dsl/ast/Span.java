package org.onnx2trt.dsl.ast;

/**
 * Where a piece of source text starts: file, 1-based line, 1-based column. Printed as
 * {@code fuse.rw:14:9}, the form editors and terminals turn into links.
 */
public record Span(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
