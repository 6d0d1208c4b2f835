package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.exec.RunException;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.LogitOutputs;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.Equivalence;
import org.onnx2trt.verify.OutputComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code onnx2trt verify A B [--samples N] [--seed S] [--inputs PATH] [--atol X] [--rtol Y] [--input-shape ...] [--report r.json]}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check that model B computes what model A computes.",
                "Both run in onnxruntime (CPU) on the same samples; every output of A is compared with B's "
                        + "output of the same name: max abs and rel error, cosine similarity, SNR.",
                "Exit 0 when every output is within tolerance, 1 when one is not, 2 on bad input."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelPair pair;

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
        Equivalence.Report r;
        try {
            r = Equivalence.check(a, b, samples, List.of(), options.perOutput(), options.fallback(), options.noiseFloor());
        } catch (RunException e) {
            throw new UserError(e.getMessage());
        }
        out.printf("%s vs %s: %d sample%s%s%n", pair.reference, pair.candidate, r.samples(), r.samples() == 1 ? "" : "s",
                options.inputs != null ? " from " + options.inputs : ", seed " + options.seed);
        EquivalenceReport.printTable(r.outputs(), r.floor(), options.noiseFloor(), out);
        if (!LogitOutputs.of(b).isEmpty()) {
            out.printf("B's outputs %s are logits (its metadata, %s): compared through a sigmoid%n", LogitOutputs.of(b),
                    LogitOutputs.METADATA_KEY);
        }
        if (pair.report != null) {
            Files2.writeJson(pair.report, EquivalenceReport.json(r, pair.reference, pair.candidate, options.seed));
        }
        out.flush();
        if (!r.passed()) {
            throw new CheckFailed("not equivalent: " + r.firstFailure().describe());
        }
        List<String> unverified = r.outputs().stream().filter(OutputComparison::nothingFinite).map(OutputComparison::name).toList();
        if (!unverified.isEmpty()) { // NaN against NaN everywhere: "equal", but nothing was compared
            err.printf("not verified: %s NaN or ∞ at every element in both models (a NaN weight, or inputs outside the"
                    + " model's domain: give real ones with --inputs); find where it starts with ./onnx2trt compare %s %s"
                    + " --layers%n", String.join(", ", unverified) + (unverified.size() == 1 ? " is" : " are"),
                    pair.reference, pair.candidate);
            err.flush();
            return ExitCode.NOT_VERIFIED;
        }
        out.println("equivalent: every output within tolerance");
        out.flush();
        return ExitCode.OK;
    }
}
