package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeSet;

/** The before/after op-count table that rewriting commands print. */
final class OpCountTable {
    private OpCountTable() {}

    static void print(Map<String, Integer> before, Map<String, Integer> after, PrintWriter out) {
        TreeSet<String> ops = new TreeSet<>(before.keySet());
        ops.addAll(after.keySet());
        int width = Math.max(8, ops.stream().mapToInt(String::length).max().orElse(0));
        out.printf("  %-" + width + "s  %7s  %7s  %7s%n", "op", "before", "after", "change");
        int totalBefore = 0;
        int totalAfter = 0;
        for (String op : ops.stream().sorted((a, b) -> Integer.compare(before.getOrDefault(b, 0), before.getOrDefault(a, 0)))
                .toList()) {
            int b = before.getOrDefault(op, 0);
            int a = after.getOrDefault(op, 0);
            totalBefore += b;
            totalAfter += a;
            out.printf("  %-" + width + "s  %7d  %7d  %7s%n", op, b, a, a == b ? "" : String.format("%+d", a - b));
        }
        out.printf("  %-" + width + "s  %7d  %7d  %7s%n", "total", totalBefore, totalAfter,
                totalAfter == totalBefore ? "" : String.format("%+d", totalAfter - totalBefore));
    }
}
