package org.onnx2trt.dsl.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.onnx2trt.dsl.ast.Span;

/** Collects diagnostics in source order. */
public final class Diagnostics {
    private final List<Diagnostic> all = new ArrayList<>();

    /** Reports an error; the same error at the same place once (a binding shared by several pattern forms). */
    public void error(Span span, String message) {
        Diagnostic d = new Diagnostic(Diagnostic.Severity.ERROR, span, message);
        if (!all.contains(d)) {
            all.add(d);
        }
    }

    public void warning(Span span, String message) {
        all.add(new Diagnostic(Diagnostic.Severity.WARNING, span, message));
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(Diagnostic::isError);
    }

    /** All diagnostics, ordered by position. */
    public List<Diagnostic> list() {
        List<Diagnostic> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing((Diagnostic d) -> d.span().file())
                .thenComparingInt(d -> d.span().line()).thenComparingInt(d -> d.span().column()));
        return Collections.unmodifiableList(sorted);
    }

    /** One line per diagnostic. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : list()) {
            sb.append(d).append('\n');
        }
        return sb.toString();
    }
}
