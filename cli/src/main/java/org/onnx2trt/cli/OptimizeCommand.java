package org.onnx2trt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Problem;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.Canonicalize;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.LogitOutputs;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaDefaults;
import org.onnx2trt.rules.RuleLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt optimize IN -o OUT [--rules F ...] [--only R,..] [--disable R,..] [--trace T] [--explain NODE]}. */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = {"Apply rewrite rules to a model until none applies.",
                "Built-in rules by default (quantization rules only when named with --only); your own "
                        + ".rw files load at run time with --rules. Prints the before/after op counts.",
                "The result is then checked against IN in onnxruntime (--no-verify skips it); when it "
                        + "differs, the run is bisected to the first rewrite that broke it, which is reported, "
                        + "and nothing is written unless --force."})
final class OptimizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "the model to read")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "the model to write")
    Path out;

    @Option(names = "--rules", paramLabel = "FILE_OR_DIR", description = "rule files or folders of *.rw files to add")
    List<Path> ruleFiles = new ArrayList<>();

    @Option(names = "--only", split = ",", paramLabel = "RULE_OR_TAG", description = "run only these rules (names or tags)")
    List<String> only = new ArrayList<>();

    @Option(names = "--enable", split = ",", paramLabel = "RULE_OR_TAG",
            description = "also run these opt-in rules (names or tags, e.g. head, RemoveSigmoidHead)")
    List<String> enable = new ArrayList<>();

    @Option(names = "--disable", split = ",", paramLabel = "RULE_OR_TAG", description = "do not run these rules (names or tags)")
    List<String> disable = new ArrayList<>();

    @Option(names = "--trace", paramLabel = "FILE", description = "write every application and decline as JSON")
    Path traceFile;

    @Option(names = "--explain", paramLabel = "NODE",
            description = "print why each rule did or did not fire at this node (name, or first output's name)")
    String explain;

    @Option(names = "--keep-initializer-inputs",
            description = "keep initializers that are also graph inputs overridable (and so untouched by fusions); "
                    + "by default they become constants, as onnx-simplifier does")
    boolean keepInitializerInputs;

    @Option(names = "--no-verify", description = "skip the numeric check of the result against IN")
    boolean noVerify;

    @Option(names = "--force", description = "write OUT even when the numeric check fails (it still exits 1)")
    boolean force;

    @Mixin
    VerifyOptions verify;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (!Files2.differ(in, out)) {
            throw new UserError(out + ": OUT is the input model; choose another output file");
        }
        List<CompiledRule> rules;
        try {
            rules = RuleLibrary.withFiles(ruleFiles).select(only, enable, disable);
        } catch (RuleLibrary.RuleLoadException e) {
            throw new UserError(e.getMessage());
        }
        Model model = ModelLoader.loadValid(in, spec.commandLine().getErr());
        Map<String, Integer> before = ModelSummary.of(model).opHistogram();
        Canonicalize.Changes canonical = Canonicalize.forRewriting(model, keepInitializerInputs);
        Map<String, String> sigmoidHeads = LogitOutputs.sigmoidHeads(model);
        Trace trace = new Trace(explain != null);
        Rewriter rewriter = new Rewriter(EvaluatorExpressions.standard(), SchemaDefaults.builtin());
        Program program = Program.fixpoint("optimize", rules);
        long t0 = System.nanoTime();
        int applied = rewriter.run(model, program, trace);
        List<String> logits = LogitOutputs.record(model, sigmoidHeads, trace);
        double ms = (System.nanoTime() - t0) / 1e6;
        List<Problem> errors = GraphValidator.errors(model);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the rewritten graph is invalid, nothing was written: " + errors);
        }
        stdout.printf("applied %d rewrite%s with %d rules in %.0f ms%n", applied, applied == 1 ? "" : "s",
                rules.size(), ms);
        printSummary(before, canonical, model, trace, stdout);
        if (!logits.isEmpty()) {
            stdout.printf("outputs %s are now logits (recorded in the model's metadata, %s): compare them with"
                    + " logit(t) for a threshold t; ./onnx2trt logit-threshold t prints it%n", logits,
                    LogitOutputs.METADATA_KEY);
        }
        if (traceFile != null) {
            Files2.writeReport(traceFile, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(trace.events().stream().map(OptimizeCommand::json).toList()));
        }
        String broken = noVerify ? null : new OptimizeGate(in, verify, stdout)
                .check(model, trace, applied, k -> {
                    Model m = ModelReader.read(in);
                    Canonicalize.forRewriting(m, keepInitializerInputs);
                    Trace replayed = new Trace(false);
                    rewriter.run(m, program, replayed, k);
                    LogitOutputs.record(m, sigmoidHeads, replayed);
                    return m;
                });
        if (broken != null && !force) {
            stdout.flush();
            throw new CheckFailed(broken + "; nothing was written (--force writes it anyway, --no-verify skips the check)");
        }
        ModelWriter.write(model, out, WriteOptions.keep());
        stdout.printf("wrote %s%n", out);
        if (broken != null) {
            stdout.flush();
            throw new CheckFailed(broken + "; written anyway (--force)");
        }
        stdout.flush();
        return ExitCode.OK;
    }

    private void printSummary(Map<String, Integer> before, Canonicalize.Changes canonical, Model model, Trace trace,
                              PrintWriter stdout) {
        if (canonical.initializerInputsDemoted() > 0) {
            stdout.printf("%d initializers were also graph inputs: now constants (--keep-initializer-inputs keeps them"
                    + " overridable)%n", canonical.initializerInputsDemoted());
        }
        if (canonical.constantNodesConverted() > 0) {
            stdout.printf("%d Constant nodes became initializers%n", canonical.constantNodesConverted());
        }
        if (!trace.swept().isEmpty()) {
            stdout.printf("removed %d dead nodes and %d unused initializers%n", trace.swept().nodes(),
                    trace.swept().initializers());
        }
        OpCountTable.print(before, ModelSummary.of(model).opHistogram(), stdout);
        Map<String, Integer> byRule = new LinkedHashMap<>();
        trace.applications().forEach(a -> byRule.merge(a.rule(), 1, Integer::sum));
        byRule.forEach((rule, n) -> stdout.printf("  %-32s fired %d×%n", rule, n));
        trace.events().stream().filter(e -> e instanceof Trace.BoundReached).forEach(e ->
                stdout.printf("warning: stopped at the bound of %d applications (rule %s at %s): rules may loop%n",
                        ((Trace.BoundReached) e).bound(), e.rule(), e.node()));
        if (explain != null) {
            explain(trace, stdout);
        }
    }

    private void explain(Trace trace, PrintWriter stdout) {
        List<Trace.Event> events = trace.about(explain);
        stdout.printf("%nat `%s`:%n", explain);
        if (events.isEmpty()) {
            stdout.println("  no rule starts at this node's op, or no node has this name");
        }
        for (Trace.Event e : events) {
            if (e instanceof Trace.Applied a) {
                stdout.printf("  %s fired (matched %s)%n", a.rule(), String.join(", ", a.matchedNodes()));
            } else if (e instanceof Trace.Declined d) {
                stdout.printf("  %s did not fire: %s%n", d.rule(), d.reason());
            }
        }
    }

    private static Map<String, Object> json(Trace.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e instanceof Trace.Applied ? "applied" : e instanceof Trace.Declined ? "declined" : "bound");
        m.put("rule", e.rule());
        m.put("node", e.node());
        if (e instanceof Trace.Applied a) {
            m.put("matched", a.matchedNodes());
            m.put("created", a.createdValues());
        } else if (e instanceof Trace.Declined d) {
            m.put("reason", d.reason());
        }
        return m;
    }
}
