package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.inspect.Sizes;

/** The text form of {@link ModelSummary}. */
final class SummaryTable {
    private SummaryTable() {}

    static void print(Path file, ModelSummary s, PrintWriter out) {
        out.printf("model         %s%n", file);
        out.printf("ir version    %d%n", s.irVersion());
        out.printf("producer      %s %s%n", s.producerName().isEmpty() ? "(none)" : s.producerName(), s.producerVersion());
        out.printf("opsets        %s%n", s.opsets().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        printIo("inputs", s.inputs(), out);
        printIo("outputs", s.outputs(), out);
        out.printf("nodes         %s%s%n", Sizes.count(s.nodeCount()), s.nodeCountWithSubgraphs() != s.nodeCount()
                ? " (" + Sizes.count(s.nodeCountWithSubgraphs()) + " with subgraphs)" : "");
        out.printf("initializers  %s%s%n", Sizes.count(s.initializerCount()), s.initializersListedAsInputs() > 0
                ? " (" + s.initializersListedAsInputs() + " also listed as graph inputs)" : "");
        out.printf("parameters    %s%n", Sizes.count(s.parameterCount()));
        out.printf("weights       %s%s%n", Sizes.bytes(s.weightBytes()), s.externalWeightBytes() > 0
                ? " (" + Sizes.bytes(s.externalWeightBytes()) + " in external data)" : "");
        out.println("ops");
        int width = s.opHistogram().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Integer> e : s.opHistogram().entrySet()) {
            out.printf("  %-" + width + "s  %6d%n", e.getKey(), e.getValue());
        }
    }

    private static void printIo(String label, List<ModelSummary.IoEntry> entries, PrintWriter out) {
        if (entries.isEmpty()) {
            out.printf("%-13s (none)%n", label);
            return;
        }
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (int i = 0; i < entries.size(); i++) {
            ModelSummary.IoEntry e = entries.get(i);
            out.printf("%-13s %-" + width + "s  %s%n", i == 0 ? label : "", e.name(), e.type());
        }
    }
}
