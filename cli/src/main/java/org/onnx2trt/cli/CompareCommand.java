package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.OutputComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onnx2trt compare A B [--layers] [verify options] [--report r.json | r.html]}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two models output by output, or layer by layer with --layers.",
                "With --layers every intermediate value of A that B also has (same name) is exposed as an "
                        + "extra output in both; the table lists them in A's node order and names the first that "
                        + "diverges.",
                "Exit 0 when all agree, 1 when one does not, 2 on bad input."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelPair pair;

    @Option(names = "--layers", description = "compare every intermediate value the two models share by name")
    boolean layers;

    @Mixin
    VerifyOptions options;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Model[] models = pair.load(err, options.inputs);
        Model a = models[0];
        Model b = models[1];
        List<Map<String, Tensor>> samples = options.samples(a);
        List<String> shared = new ArrayList<>();
        if (layers) {
            for (String name : ModelRunner.intermediateValues(a)) {
                if (b.graph().lookup(name) != null && b.graph().lookup(name).graph() == b.graph()) {
                    shared.add(name);
                }
            }
        }
        Equivalence.Report r;
        try {
            r = Equivalence.check(a, b, samples, shared, options.perOutput(), options.fallback(), options.noiseFloor());
        } catch (RunException e) {
            throw new UserError(e.getMessage());
        }
        List<OutputComparison> rows = inNodeOrder(r.outputs(), a);
        out.printf("%s vs %s: %d sample%s, %d output%s%s%n", pair.reference, pair.candidate, r.samples(), r.samples() == 1 ? "" : "s",
                a.graph().outputs().size(), a.graph().outputs().size() == 1 ? "" : "s",
                layers ? ", " + shared.size() + " shared intermediate values" : "");
        EquivalenceReport.printTable(rows, r.floor(), options.noiseFloor(), out);
        OutputComparison first = rows.stream().filter(c -> !c.passed()).findFirst().orElse(null);
        if (pair.report != null && pair.report.getFileName().toString().endsWith(".html")) {
            Files2.writeReport(pair.report, HtmlReport.comparison(rows, pair.reference.toString(), pair.candidate.toString(),
                    first == null ? null : first.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (pair.report != null) {
            Map<String, Object> json = EquivalenceReport.json(r, pair.reference, pair.candidate, options.seed);
            json.put("outputs", rows.stream().map(EquivalenceReport::json).toList());
            json.put("first_divergence", first == null ? null : first.name());
            Files2.writeJson(pair.report, json);
        }
        out.flush();
        if (first != null) {
            throw new CheckFailed((layers ? "first divergence at " : "not equivalent: ") + first.describe()
                    + producerText(a, first.name()));
        }
        out.println(layers ? "every shared value agrees" : "equivalent: every output within tolerance");
        out.flush();
        return ExitCode.OK;
    }

    /** Comparisons ordered as A computes the values: node order, graph outputs where they are made. */
    private static List<OutputComparison> inNodeOrder(List<OutputComparison> rows, Model a) {
        Map<String, OutputComparison> byName = new LinkedHashMap<>();
        rows.forEach(c -> byName.put(c.name(), c));
        List<OutputComparison> out = new ArrayList<>();
        for (Node n : a.graph().nodes()) {
            n.outputs().stream().filter(v -> v != null && byName.containsKey(v.name()))
                    .forEach(v -> out.add(byName.remove(v.name())));
        }
        out.addAll(byName.values()); // outputs no node makes (inputs or initializers passed through)
        return out;
    }

    private static String producerText(Model a, String value) {
        var v = a.graph().lookup(value);
        return v != null && v.producer() != null ? " (made by " + v.producer().describe() + " in A)" : "";
    }
}
