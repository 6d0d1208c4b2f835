package org.onnx2trt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Problem;
import org.onnx2trt.ir.Types;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.rewrite.Canonicalize;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.DeadCode;
import org.onnx2trt.rewrite.Deduplicate;
import org.onnx2trt.rewrite.FuseConsecutiveConcats;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.LogitOutputs;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Stage;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaDefaults;
import org.onnx2trt.simplify.ConstantFolding;
import org.onnx2trt.simplify.ShapeFolding;
import org.onnx2trt.shape.ShapeInference;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.Tolerance;

/**
 * Runs a {@link Recipe} on a model file: its stages in order on one model, then the before/after
 * table, and the output written only when every verify stage passed (or {@code force}). A failing
 * verify stage is bisected over the applications made so far, replayed on a fresh copy of the
 * input through the same stages. What {@code run} and {@code optimize} share.
 */
final class RecipeRun {
    /** Where a verify stage's samples come from: files the user gave, or random ones of the stage's count and seed. */
    interface SampleSource {
        List<Map<String, Tensor>> samples(Model model, int count, long seed);
    }

    /** What the command line adds to a recipe. */
    record Settings(List<Path> ruleFiles, SampleSource samples, Map<String, Tolerance> perOutput, String explain,
                    Path traceFile, Path reportFile, boolean force, Map<String, long[]> pinnedShapes) {}

    private final Path in;
    private final Recipe recipe;
    private final Settings settings;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Rewriter rewriter = new Rewriter(EvaluatorExpressions.standard(), SchemaDefaults.builtin());
    private final RuleLibraryLoad rules;
    private List<List<CompiledRule>> stageRules; // each stage's rules (empty for other stages), chosen once the model is read

    RecipeRun(Path in, Recipe recipe, Settings settings, PrintWriter out, PrintWriter err) {
        this(in, recipe, settings, RuleLibraryLoad.of(settings.ruleFiles()), out, err);
    }

    /** A run whose rules come from {@code rules} (one load shared by the models of a batch). */
    RecipeRun(Path in, Recipe recipe, Settings settings, RuleLibraryLoad rules, PrintWriter out, PrintWriter err) {
        this.in = in;
        this.recipe = recipe;
        this.settings = settings;
        this.rules = rules;
        this.out = out;
        this.err = err;
    }

    /** Each stage's rules (empty for other stages); rule-file errors and unknown rule names are {@link RulesUnusable}. */
    private List<List<CompiledRule>> chooseRules() {
        List<List<CompiledRule>> chosen = new ArrayList<>();
        for (Recipe.Stage s : recipe.stages()) {
            chosen.add(s instanceof Recipe.Rules r ? rules.select(r.only(), r.enable(), r.disable()) : List.of());
        }
        return chosen;
    }

    /** Runs the recipe and writes {@code output}; exit code, or a {@link CheckFailed} / {@link UserError}. */
    int run(Path output) throws java.io.IOException {
        if (settings.reportFile() != null && !Files2.differ(in, settings.reportFile())) {
            throw new UserError(settings.reportFile() + ": the report would overwrite the input model");
        }
        Model model = ModelLoader.loadValid(in, err);
        List<String> inputNames = model.graph().runtimeInputs().stream().map(v -> v.name()).toList();
        for (Map.Entry<String, long[]> pin : settings.pinnedShapes().entrySet()) {
            if (!inputNames.contains(pin.getKey())) {
                throw new UserError("--input-shape " + pin.getKey() + ":...: the model has no input `" + pin.getKey()
                        + "`; its inputs are " + inputNames);
            }
            int rank = Types.shape(model.graph().lookup(pin.getKey()).type()) == null ? -1
                    : Types.shape(model.graph().lookup(pin.getKey()).type()).size();
            if (rank >= 0 && rank != pin.getValue().length) {
                throw new UserError("--input-shape " + pin.getKey() + ": gives " + pin.getValue().length + " dims, the input `"
                        + pin.getKey() + "` has rank " + rank + " (" + Types.describe(model.graph().lookup(pin.getKey()).type()) + ")");
            }
        }
        stageRules = chooseRules(); // before any work on the model: a bad rule file or rule name fails fast
        String explainNode = settings.explain() == null ? null : nodeNamed(model, settings.explain());
        Map<String, Integer> before = ModelSummary.of(model).opHistogram();
        Map<String, String> sigmoidHeads = LogitOutputs.sigmoidHeads(model);
        List<String> logitsBefore = LogitOutputs.of(model);
        Trace trace = new Trace(settings.explain() != null);
        String broken = null;
        int applied = 0;
        List<Map<String, Object>> stageReports = new ArrayList<>();
        for (int i = 0; i < recipe.stages().size() && broken == null; i++) {
            Recipe.Stage stage = recipe.stages().get(i);
            if (stage instanceof Recipe.Simplify s) {
                Simplified done = simplify(model, s, settings.pinnedShapes());
                Canonicalize.Changes c = done.canonical();
                ShapeFolding.Result shapes = done.shapes();
                ConstantFolding.Result folded = done.folded();
                Deduplicate.Merged merged = done.merged();
                DeadCode.Removed removed = done.removed();
                if (!shapes.pinnedInputs().isEmpty()) {
                    out.printf("simplify: inputs %s pinned to the shapes given (the written model takes only those)%n",
                            shapes.pinnedInputs());
                }
                if (shapes.inferredFolded() > 0) {
                    out.printf("simplify: %d shape values known from shape inference made constants or merged (%d nodes"
                            + " removed)%n", shapes.inferredFolded(), shapes.removedNodes());
                }
                if (shapes.notDone() != null) {
                    out.printf("simplify: Shape nodes left as they are: %s%n", shapes.notDone());
                } else if (shapes.shapesFolded() > 0) {
                    out.printf("simplify: %d Shape nodes made constants by running the model%n", shapes.shapesFolded());
                }
                ShapeInference.Result types = done.types();
                out.printf("simplify: types and shapes of %d values inferred%s%n", types.annotated(),
                        types.unknownOps().isEmpty() ? "" : "; no inference rule for " + types.unknownOps());
                for (String conflict : types.conflicts()) {
                    out.printf("simplify: warning: %s%n", conflict);
                }
                if (done.concatsSpliced() > 0) {
                    out.printf("simplify: %d Concats spliced into the Concat that reads them (FuseConsecutiveConcats)%n",
                            done.concatsSpliced());
                }
                if (merged.initializers() + merged.nodes() > 0) {
                    out.printf("simplify: %d duplicate initializers and %d duplicate nodes merged%n", merged.initializers(),
                            merged.nodes());
                }
                out.printf("simplify: %d initializers made constants, %d Constant nodes made initializers, %d values folded"
                        + " (%d nodes), %d dead nodes and %d unused initializers removed%n", c.initializerInputsDemoted(),
                        c.constantNodesConverted(), folded.foldedValues(), folded.removedNodes(), removed.nodes(),
                        removed.initializers());
                if (!folded.tooLarge().isEmpty()) {
                    out.printf("simplify: not folded, over the size guard of %d elements: %s%n", s.maxFoldedSize(),
                            String.join(", ", folded.tooLarge()));
                }
                stageReports.add(ordered("stage", "simplify", "initializers_made_constant", c.initializerInputsDemoted(),
                        "constant_nodes_converted", c.constantNodesConverted(), "folded_values", folded.foldedValues(),
                        "folded_nodes", folded.removedNodes(), "pinned_inputs", shapes.pinnedInputs(),
                        "concats_spliced", done.concatsSpliced(), "duplicate_initializers_merged", merged.initializers(), "duplicate_nodes_merged", merged.nodes(),
                        "shapes_inferred_folded", shapes.inferredFolded(), "shape_nodes_removed", shapes.removedNodes(), "shapes_folded", shapes.shapesFolded(),
                        "values_typed", types.annotated(), "inference_conflicts", types.conflicts(),
                        "ops_without_inference", types.unknownOps(), "not_folded_too_large", folded.tooLarge(),
                        "dead_nodes_removed", removed.nodes(), "unused_initializers_removed", removed.initializers()));
            } else if (stage instanceof Recipe.Rules) {
                long t0 = System.nanoTime();
                int[] rounds = new int[1];
                int n = runRules(model, i, trace, Integer.MAX_VALUE, rounds);
                applied += n;
                if (rounds[0] > 1) {
                    out.printf("rules: simplify and rules alternated %d times to reach a fixpoint%n", rounds[0]);
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                out.printf("rules: %d rewrite%s with %d rules in %.0f ms%n", n, n == 1 ? "" : "s", stageRules.get(i).size(), ms);
                stageReports.add(ordered("stage", "rules", "rules", stageRules.get(i).size(), "applied", n, "ms", ms));
                List<Problem> errors = GraphValidator.errors(model);
                if (!errors.isEmpty()) {
                    throw new IllegalStateException("the rewritten graph is invalid, nothing was written: " + errors);
                }
            } else if (stage instanceof Recipe.Verify v) {
                LogitOutputs.record(model, sigmoidHeads, trace);
                int upTo = i;
                OptimizeGate gate = new OptimizeGate(in, m -> settings.samples().samples(m, v.samples(), v.seed()),
                        settings.perOutput(), new Tolerance(v.atol(), v.rtol()), out);
                broken = gate.check(model, trace, applied, k -> replay(upTo, k, sigmoidHeads));
                Map<String, Object> vr = new LinkedHashMap<>();
                vr.put("stage", "verify");
                vr.put("samples", gate.report().samples());
                vr.put("equivalent", broken == null);
                vr.put("outputs", gate.report().outputs().stream().map(EquivalenceReport::json).toList());
                if (broken != null) {
                    vr.put("failure", broken);
                }
                stageReports.add(vr);
            }
        }
        LogitOutputs.record(model, sigmoidHeads, trace);
        List<String> logits = new ArrayList<>(LogitOutputs.of(model));
        logits.removeAll(logitsBefore);
        // TensorRT's ONNX parser reads the default domain: no rewrite may bring in another one.
        List<String> nonStandard = ModelSummary.of(model).opHistogram().keySet().stream().filter(op -> op.contains("::")).toList();
        List<String> introduced = nonStandard.stream().filter(op -> !before.containsKey(op)).toList();
        if (!introduced.isEmpty()) {
            throw new IllegalStateException("the rules brought in ops outside the ONNX default domain, nothing was written: "
                    + introduced);
        }
        if (!nonStandard.isEmpty()) {
            out.printf("note: the input already holds ops outside the ONNX default domain, which TensorRT's parser may"
                    + " not read: %s%n", nonStandard);
        }
        printSummary(before, model, trace, logits, explainNode);
        if (settings.reportFile() != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("recipe", recipe.name());
            report.put("recipe_source", recipe.source());
            report.put("input", in.toString());
            report.put("output", broken != null && !settings.force() ? null : output.toString());
            report.put("ok", broken == null);
            report.put("stages", stageReports);
            report.put("ops_before", before);
            report.put("ops_after", ModelSummary.of(model).opHistogram());
            Map<String, Integer> fired = new LinkedHashMap<>();
            trace.applications().forEach(a -> fired.merge(a.rule(), 1, Integer::sum));
            report.put("fired", fired);
            report.put("logit_outputs", logits);
            Files2.writeReport(settings.reportFile(), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(report));
        }
        if (settings.traceFile() != null) {
            Files2.writeReport(settings.traceFile(), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(trace.events().stream().map(RecipeRun::json).toList()));
        }
        if (broken != null && !settings.force()) {
            out.flush();
            throw new CheckFailed(broken + "; nothing was written (--force writes it anyway)");
        }
        ModelWriter.write(model, output, WriteOptions.keep());
        out.printf("wrote %s%n", output);
        out.flush();
        if (broken != null) {
            throw new CheckFailed(broken + "; written anyway (--force)");
        }
        return ExitCode.OK;
    }

    /** What a simplify stage did, step by step. */
    record Simplified(Canonicalize.Changes canonical, ShapeFolding.Result shapes, ConstantFolding.Result folded,
                      int concatsSpliced, Deduplicate.Merged merged, DeadCode.Removed removed, ShapeInference.Result types) {}

    /**
     * A simplify stage's steps in order: constants, shapes, folding, merging, dead code, and last the
     * inferred types written as value_info (rules read ranks and dtypes from them).
     */
    static Simplified simplify(Model m, Recipe.Simplify s, Map<String, long[]> pinnedShapes) {
        Canonicalize.Changes canonical = Canonicalize.forRewriting(m, s.keepInitializerInputs());
        ShapeFolding.Result shapes = ShapeFolding.fold(m, pinnedShapes);
        ConstantFolding.Result folded = ConstantFolding.fold(m, s.maxFoldedSize());
        int concats = FuseConsecutiveConcats.run(m);
        Deduplicate.Merged merged = Deduplicate.run(m.graph());
        DeadCode.Removed removed = DeadCode.sweep(m.graph());
        return new Simplified(canonical, shapes, folded, concats, merged, removed, ShapeInference.annotate(m));
    }

    /** Rounds of rules and re-simplification a fixpoint stage may take before it stops anyway. */
    static final int MAX_ROUNDS = 5;

    /**
     * A rules stage, at most {@code limit} applications. In fixpoint mode, when an earlier stage
     * simplifies, the two alternate: what the rules leave constant is folded, the types of the values
     * they made are inferred, and the rules run again, until a round of rules changes nothing (or
     * {@link #MAX_ROUNDS}). The same sequence replays deterministically for bisection.
     */
    private int runRules(Model m, int stage, Trace trace, int limit, int[] rounds) {
        Recipe.Rules r = (Recipe.Rules) recipe.stages().get(stage);
        Recipe.Simplify again = null;
        for (int j = 0; j < stage && r.fixpoint(); j++) {
            if (recipe.stages().get(j) instanceof Recipe.Simplify s) {
                again = s;
            }
        }
        return rulesWithSimplify(m, rewriter, program(stage), again, settings.pinnedShapes(), trace, limit, rounds);
    }

    /**
     * Rules, then (when {@code again} is given) re-simplification and the rules again while a round of
     * rules changes something, up to {@link #MAX_ROUNDS} rounds in all and {@code limit} applications.
     */
    static int rulesWithSimplify(Model m, Rewriter rewriter, Program program, Recipe.Simplify again,
                                 Map<String, long[]> pinnedShapes, Trace trace, int limit, int[] rounds) {
        int done = rewriter.run(m, program, trace, limit);
        rounds[0] = 1;
        int lastRound = done;
        while (again != null && lastRound > 0 && done < limit && rounds[0] < MAX_ROUNDS) {
            simplify(m, again, pinnedShapes);
            lastRound = rewriter.run(m, program, trace, limit - done);
            done += lastRound;
            rounds[0]++;
        }
        return done;
    }

    private Program program(int stage) {
        Recipe.Rules r = (Recipe.Rules) recipe.stages().get(stage);
        return new Program(List.of(new Stage(recipe.name() + "/" + (stage + 1), stageRules.get(stage), r.fixpoint(),
                r.maxApplications())));
    }

    /** The input after the stages before {@code stage}, limited to the first {@code k} applications in all. */
    private Model replay(int stage, int k, Map<String, String> sigmoidHeads) {
        Model m = ModelReader.read(in);
        Trace t = new Trace(false);
        int done = 0;
        for (int i = 0; i < stage; i++) {
            Recipe.Stage s = recipe.stages().get(i);
            if (s instanceof Recipe.Simplify simplify) {
                simplify(m, simplify, settings.pinnedShapes());
            } else if (s instanceof Recipe.Rules && done < k) {
                done += runRules(m, i, t, k - done, new int[1]);
            }
        }
        LogitOutputs.record(m, sigmoidHeads, t);
        return m;
    }

    private void printSummary(Map<String, Integer> before, Model model, Trace trace, List<String> logits, String explainNode) {
        if (!trace.swept().isEmpty()) {
            out.printf("removed %d dead nodes and %d unused initializers after the rules%n", trace.swept().nodes(),
                    trace.swept().initializers());
        }
        OpCountTable.print(before, ModelSummary.of(model).opHistogram(), out);
        Map<String, Integer> byRule = new LinkedHashMap<>();
        trace.applications().forEach(a -> byRule.merge(a.rule(), 1, Integer::sum));
        byRule.forEach((rule, n) -> out.printf("  %-32s fired %d×%n", rule, n));
        trace.events().stream().filter(e -> e instanceof Trace.BoundReached).forEach(e ->
                out.printf("warning: stopped at the bound of %d applications (rule %s at %s): rules may loop%n",
                        ((Trace.BoundReached) e).bound(), e.rule(), e.node()));
        if (!logits.isEmpty()) {
            out.printf("outputs %s are now logits (recorded in the model's metadata, %s): compare them with"
                    + " logit(t) for a threshold t; ./onnx2trt logit-threshold t prints it%n", logits,
                    LogitOutputs.METADATA_KEY);
        }
        if (explainNode != null) {
            explain(trace, explainNode);
        }
    }

    /**
     * The trace label of the node {@code --explain} means: the node of that name, else the one whose
     * first output has it (traces label an unnamed node by that output already); else the name as given.
     */
    private static String nodeNamed(Model model, String name) {
        for (org.onnx2trt.ir.Node n : model.graph().nodeList()) {
            if (n.name().equals(name)) {
                return Rewriter.label(n);
            }
        }
        for (org.onnx2trt.ir.Node n : model.graph().nodeList()) {
            org.onnx2trt.ir.Value first = n.outputs().stream().filter(v -> v != null).findFirst().orElse(null);
            if (first != null && first.name().equals(name)) {
                return Rewriter.label(n);
            }
        }
        return name;
    }

    private void explain(Trace trace, String node) {
        List<Trace.Event> events = trace.about(node);
        out.printf("%nat `%s`%s:%n", node, node.equals(settings.explain()) ? "" : " (the node that makes `" + settings.explain() + "`)");
        if (events.isEmpty()) {
            out.println("  no rule starts at this node's op, or no node has this name");
        }
        for (Trace.Event e : events) {
            if (e instanceof Trace.Applied a) {
                out.printf("  %s fired (matched %s)%n", a.rule(), String.join(", ", a.matchedNodes()));
            } else if (e instanceof Trace.Declined d) {
                out.printf("  %s did not fire: %s%n", d.rule(), d.reason());
            }
        }
    }

    /** A map of {@code key, value, ...} in the given order, for JSON that reads top-down. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static Map<String, Object> json(Trace.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e instanceof Trace.Applied ? "applied" : e instanceof Trace.Declined ? "declined" : "bound");
        m.put("rule", e.rule());
        m.put("node", e.node());
        if (e instanceof Trace.Applied a) {
            m.put("matched", a.matchedNodes());
            m.put("created", a.createdValues());
        } else if (e instanceof Trace.Declined d) {
            m.put("reason", d.reason());
        } else if (e instanceof Trace.BoundReached b) {
            m.put("bound", b.bound());
        }
        return m;
    }
}
