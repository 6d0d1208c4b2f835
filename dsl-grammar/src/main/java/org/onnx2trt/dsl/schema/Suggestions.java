package org.onnx2trt.dsl.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean" candidates: names within a small edit distance of a misspelling, ignoring
 * case and counting a swap of neighbours as one edit ({@code Covn} → {@code Conv}), plus two
 * kinds of near miss that edit distance alone misses: the spec's one- and two-letter names
 * spelled out ({@code bias} → {@code B}) and a name typed only in part ({@code BatchNorm} →
 * {@code BatchNormalization}).
 */
final class Suggestions {

    /** At most this many suggestions are returned. */
    static final int LIMIT = 5;

    private Suggestions() {
    }

    static List<String> closest(String misspelled, Collection<String> candidates) {
        String query = misspelled.toLowerCase(Locale.ROOT);
        record Scored(String name, int rank, int distance) {
        }
        List<Scored> hits = new ArrayList<>();
        for (String candidate : candidates) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            if (candidate.equals(misspelled)) {
                continue;
            }
            int distance = distance(query, lower);
            int allowed = Math.max(1, Math.min(3, Math.max(query.length(), lower.length()) / 3));
            if (distance <= allowed) {
                hits.add(new Scored(candidate, distance, distance));
            } else if (isSpelledOut(lower, query) || isTypedInPart(lower, query)) {
                hits.add(new Scored(candidate, allowed + 1, distance));
            }
        }
        hits.sort(Comparator.comparingInt(Scored::rank)
                .thenComparingInt(Scored::distance)
                .thenComparing(Scored::name));
        return hits.stream().limit(LIMIT).map(Scored::name).toList();
    }

    // `B` for `bias`, `W` for `weights`: ONNX abbreviates many tensor names to a letter or two.
    private static boolean isSpelledOut(String candidate, String query) {
        return candidate.length() <= 2 && query.length() > candidate.length() && query.startsWith(candidate);
    }

    private static boolean isTypedInPart(String candidate, String query) {
        return query.length() >= 3 && candidate.startsWith(query);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        return org.onnx2trt.dsl.diag.Suggestions.distance(a, b);
    }
}
