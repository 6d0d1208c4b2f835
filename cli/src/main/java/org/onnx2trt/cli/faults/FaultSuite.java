package org.onnx2trt.cli.faults;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs fault cases and prints a table per family: cases, passed, the slowest, the largest heap growth, and every failure. */
public final class FaultSuite {
    private FaultSuite() {}

    /** Runs {@code cases} in folders under {@code scratch}; the verdicts, in order. */
    public static List<FaultVerdict> run(List<FaultCase> cases, Path scratch, PrintWriter out) {
        List<FaultVerdict> verdicts = new ArrayList<>();
        for (FaultCase c : cases) {
            FaultVerdict v = FaultRunner.run(c, scratch);
            verdicts.add(v);
            if (!v.passed()) {
                out.printf("FAIL %s: %s%n", c, v.problem());
                out.flush();
            }
        }
        print(verdicts, out);
        return verdicts;
    }

    static void print(List<FaultVerdict> verdicts, PrintWriter out) {
        Map<String, List<FaultVerdict>> byFamily = new LinkedHashMap<>();
        verdicts.forEach(v -> byFamily.computeIfAbsent(v.faultCase().family(), k -> new ArrayList<>()).add(v));
        out.printf("%-18s %6s %7s %8s %10s %11s%n", "family", "cases", "passed", "exit 0", "slowest s", "heap MiB");
        for (Map.Entry<String, List<FaultVerdict>> e : byFamily.entrySet()) {
            List<FaultVerdict> vs = e.getValue();
            out.printf(Locale.ROOT, "%-18s %6d %7d %8d %10.2f %11d%n", e.getKey(), vs.size(),
                    vs.stream().filter(FaultVerdict::passed).count(), vs.stream().filter(v -> v.exitCode() == 0).count(),
                    vs.stream().mapToDouble(FaultVerdict::seconds).max().orElse(0),
                    vs.stream().mapToLong(FaultVerdict::peakHeapMib).max().orElse(0));
        }
        long failed = verdicts.stream().filter(v -> !v.passed()).count();
        out.printf("%d cases, %d failed; checked: exit 2 (0 allowed for a mutant that is still a valid model), one line"
                + " starting `error: `, no stack trace, no hang (%d s), nothing written, inputs byte-identical, heap growth"
                + " under %d MiB%n", verdicts.size(), failed, FaultRunner.TIMEOUT_SECONDS, FaultRunner.HEAP_BOUND_MIB);
        out.flush();
    }
}
