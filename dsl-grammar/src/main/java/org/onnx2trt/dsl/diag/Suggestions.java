package org.onnx2trt.dsl.diag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean" for every name a user can misspell: ops, inputs, attributes, builtins, bindings,
 * rules, recipe keys. Candidates within a small edit distance, ignoring case and counting a swap of
 * neighbours as one edit ({@code Covn} → {@code Conv}), plus two near misses that edit distance alone
 * misses: a name spelled out where the candidate abbreviates it ({@code bias} → {@code B},
 * {@code bais} → {@code b}) and a name typed only in part ({@code BatchNorm} → {@code BatchNormalization}).
 * One- and two-letter names get only exact (case-insensitive) matches by distance: any other short name
 * would be "close".
 */
public final class Suggestions {
    /** At most this many suggestions are returned by {@link #ranked}. */
    public static final int LIMIT = 5;

    private Suggestions() {}

    /** The close candidates, best first (at most {@link #LIMIT}); empty when nothing is close. */
    public static List<String> ranked(String misspelled, Collection<String> candidates) {
        String query = misspelled.toLowerCase(Locale.ROOT);
        record Scored(String name, int rank, int distance) {}
        List<Scored> hits = new ArrayList<>();
        for (String candidate : candidates) {
            if (candidate.equals(misspelled)) {
                continue;
            }
            String lower = candidate.toLowerCase(Locale.ROOT);
            int distance = distance(query, lower);
            int allowed = query.length() <= 2 ? 0 : Math.max(1, Math.min(3, Math.max(query.length(), lower.length()) / 3));
            if (distance <= allowed) {
                hits.add(new Scored(candidate, distance, distance));
            } else if (isSpelledOut(lower, query) || isTypedInPart(lower, query)) {
                hits.add(new Scored(candidate, allowed + 1, distance));
            }
        }
        hits.sort(Comparator.comparingInt(Scored::rank).thenComparingInt(Scored::distance).thenComparing(Scored::name));
        return hits.stream().limit(LIMIT).map(Scored::name).toList();
    }

    /** The best candidate, or null when nothing is close. */
    public static String closest(String name, Collection<String> candidates) {
        List<String> hits = ranked(name, candidates);
        return hits.isEmpty() ? null : hits.get(0);
    }

    /** {@code " (did you mean `x`?)"}, or empty when nothing is close. */
    public static String didYouMean(String name, Collection<String> candidates) {
        String c = closest(name, candidates);
        return c == null ? "" : " (did you mean `" + c + "`?)";
    }

    // `B` for `bias`, `W` for `weights`: ONNX abbreviates many tensor names to a letter or two.
    private static boolean isSpelledOut(String candidate, String query) {
        return query.length() > candidate.length() && query.startsWith(candidate);
    }

    private static boolean isTypedInPart(String candidate, String query) {
        return query.length() >= 3 && candidate.startsWith(query);
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
