package org.onnx2trt.testing;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;

/** Readable differences between protobuf messages, for assertion messages that do not print whole models. */
public final class ProtoDiff {
    private static final int CONTEXT = 3;

    private ProtoDiff() {}

    /**
     * Null when {@code expected} and {@code actual} are equal; otherwise the first line where their
     * text forms (unknown fields included) differ, with a few lines of context.
     */
    public static String firstDifference(Message expected, Message actual) {
        if (expected.equals(actual)) {
            return null;
        }
        String[] a = TextFormat.printer().printToString(expected).split("\n", -1);
        String[] b = TextFormat.printer().printToString(actual).split("\n", -1);
        int i = 0;
        while (i < a.length && i < b.length && a[i].equals(b[i])) {
            i++;
        }
        if (i == a.length && i == b.length) {
            return "the messages differ, but their text forms are equal (a float NaN payload or invalid UTF-8?)";
        }
        StringBuilder sb = new StringBuilder("first difference at text line " + (i + 1) + ":\n");
        for (int k = Math.max(0, i - CONTEXT); k < i; k++) {
            sb.append("    ").append(a[k]).append('\n');
        }
        sb.append("  - ").append(i < a.length ? a[i] : "<end>").append('\n');
        sb.append("  + ").append(i < b.length ? b[i] : "<end>").append('\n');
        return sb.toString();
    }
}
