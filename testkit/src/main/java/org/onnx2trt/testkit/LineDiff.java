package org.onnx2trt.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified line diff ({@code diff -u} style, without file headers) of two small texts, for golden
 * files: a longest common subsequence of lines, printed as hunks with a few lines of context.
 * Quadratic in the line counts, which is fine for files of a few thousand lines.
 */
public final class LineDiff {
    private LineDiff() {}

    /** The hunks turning {@code expected} into {@code actual}, or the empty string when equal. */
    public static String unified(String expected, String actual, int context) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        List<Edit> edits = edits(a, b);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            int end = i;
            // Extend the hunk while the next change is within 2·context unchanged lines.
            for (int j = i; j < edits.size(); j++) {
                if (edits.get(j).op != ' ') {
                    end = j;
                } else if (j - end > 2 * context) {
                    break;
                }
            }
            int stop = Math.min(edits.size(), end + context + 1);
            Edit first = edits.get(start);
            int aCount = 0;
            int bCount = 0;
            for (int j = start; j < stop; j++) {
                aCount += edits.get(j).op != '+' ? 1 : 0;
                bCount += edits.get(j).op != '-' ? 1 : 0;
            }
            out.append(String.format("@@ -%d,%d +%d,%d @@%n", first.aLine + 1, aCount, first.bLine + 1, bCount));
            for (int j = start; j < stop; j++) {
                out.append(edits.get(j).op).append(edits.get(j).text).append('\n');
            }
            i = stop;
        }
        return out.toString();
    }

    private record Edit(char op, String text, int aLine, int bLine) {}

    private static List<Edit> edits(String[] a, String[] b) {
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                edits.add(new Edit(' ', a[i], i++, j++));
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                edits.add(new Edit('-', a[i], i++, j)); // deletions before insertions, as diff prints them
            } else {
                edits.add(new Edit('+', b[j], i, j++));
            }
        }
        return edits;
    }
}
