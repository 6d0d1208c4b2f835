package org.onnx2trt.dsl.diag;

import java.util.Collection;

/** "Did you mean" for names: the closest candidate by edit distance, if close enough. */
public final class Suggestions {
    private Suggestions() {}

    /**
     * The candidate nearest to {@code name} (case-insensitive edit distance), or null if none is
     * close. One- and two-letter names only get a suggestion they start with ({@code bais} →
     * {@code b}): any other short name would be "close".
     */
    public static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = name.length() <= 2 ? 0 : Math.max(1, Math.min(3, name.length() / 3));
        if (best != null && bestDistance <= allowed) {
            return best;
        }
        String prefix = null;
        for (String c : candidates) {
            if (name.toLowerCase().startsWith(c.toLowerCase()) && !name.equals(c)
                    && (prefix == null || c.length() > prefix.length())) {
                prefix = c;
            }
        }
        return prefix;
    }

    /** {@code " (did you mean `x`?)"}, or empty when nothing is close. */
    public static String didYouMean(String name, Collection<String> candidates) {
        String c = closest(name, candidates);
        return c == null ? "" : " (did you mean `" + c + "`?)";
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit (optimal string alignment). */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
