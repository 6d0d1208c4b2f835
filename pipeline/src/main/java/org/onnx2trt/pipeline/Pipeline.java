package org.onnx2trt.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Problem;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.LogitOutputs;
import org.onnx2trt.rewrite.Program;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.RuleSetPass;
import org.onnx2trt.rewrite.Stage;
import org.onnx2trt.rewrite.Trace;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.transform.Simplify;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.Tolerance;

/**
 * Runs a {@link Recipe} on a model: its stages in order, changing the model in place, and returns
 * what each did as a {@link RunReport}. A rules stage in fixpoint mode alternates with the simplify
 * stage before it until a round of rules changes nothing. A verify stage checks the model so far
 * against a snapshot of the input taken before the first stage; when it fails, the run is bisected
 * over the applications made so far (each probe replays the stages on a fresh copy of that
 * snapshot, deterministically) and stops there.
 *
 * <pre>{@code
 * Model model = ModelReader.read(Path.of("in.onnx"));
 * RunReport report = new Pipeline(RuleSets.builtin()).run(model, BuiltinRecipes.load("default", names),
 *         RunOptions.defaults("in.onnx"), RunListener.NONE);
 * if (report.ok()) ModelWriter.write(report.model(), Path.of("out.onnx"), WriteOptions.keep());
 * }</pre>
 */
public final class Pipeline {
    /** Rounds of rules and re-simplification a fixpoint stage may take before it stops anyway. */
    public static final int MAX_ROUNDS = 5;

    /** The node budget of the rules stages: this many times the input's nodes, plus {@link #GROWTH_ALLOWANCE}. */
    public static final int GROWTH_FACTOR = 4;
    public static final int GROWTH_ALLOWANCE = 1000;

    private final RuleSets rules;
    private final ModelExecutor executor;
    private final Rewriter rewriter = new Rewriter(EvaluatorExpressions.standard(), SchemaTable.builtin());

    /** A pipeline whose rules stages draw from {@code rules} and whose transforms run models in onnxruntime. */
    public Pipeline(RuleSets rules) {
        this(rules, OnnxRuntime.EXECUTOR);
    }

    public Pipeline(RuleSets rules, ModelExecutor executor) {
        this.rules = rules;
        this.executor = executor;
    }

    /**
     * Runs {@code recipe} on {@code model} (changed in place).
     *
     * @throws PipelineInputException when the options do not fit the model (an input shape for an
     *     input it lacks), the rules cannot be had, or the input cannot be run to verify it
     */
    public RunReport run(Model model, Recipe recipe, RunOptions options, RunListener listener) {
        checkPins(model, options.pinnedShapes());
        long opsetBeforeUpgrade = model.opsetVersion("");
        recipe.stages().stream().filter(s -> s instanceof Recipe.Calibrate).findFirst().ifPresent(c -> {
            if (options.calibration() == null && options.importedTable() == null) { // said before any work
                throw new PipelineInputException("the recipe's `calibrate` stage (" + c.where() + ") runs the model on data:"
                        + " give it with --calib DATA");
            }
        });
        RunOptions.DataSource alignData = options.evaluation() != null ? options.evaluation() : options.calibration();
        if (alignData != null && recipe.stages().stream().anyMatch(s -> s instanceof Recipe.AlignQdq)) {
            try (org.onnx2trt.quant.data.DataSet d = alignData.open(model)) { // data the model cannot take: said before any work
                d.size();
            }
        }
        if (recipe.stages().stream().anyMatch(s -> s instanceof Recipe.Quantize || s instanceof Recipe.ImportQdq)) {
            QuantStages.makeQuantizable(model, options, listener);
        }
        Run run = new Run(recipe, options, chooseRules(recipe)); // before any work: a bad rule name fails fast
        // Rules that grow the graph on every application would otherwise run to the applications bound, round
        // after round (tenfold each): stop them at a budget relative to the input and name the rule.
        rewriter.withNodeBudget(GROWTH_FACTOR * (long) model.graph().nodeCount() + GROWTH_ALLOWANCE);
        ModelProto snapshot = recipe.stages().stream().anyMatch(s -> s instanceof Recipe.Verify) ? model.toProto() : null;
        String explainNode = options.explain() == null ? null : nodeNamed(model, options.explain());
        Map<String, Integer> before = ModelSummary.of(model).opHistogram();
        List<String> logitsBefore = LogitOutputs.of(model);
        Trace trace = new Trace(options.explain() != null);
        List<StageReport> reports = new ArrayList<>();
        String failure = null;
        int applied = 0;
        QuantStages quant = new QuantStages(executor);
        for (int i = 0; i < recipe.stages().size() && failure == null; i++) {
            Recipe.Stage stage = recipe.stages().get(i);
            if (stage instanceof Recipe.Simplify s) {
                StageReport r = new StageReport.Simplified(simplify(model, s, options.pinnedShapes(), executor), s.maxFoldedSize());
                listener.stageDone(r);
                reports.add(r);
            } else if (stage instanceof Recipe.Rules) {
                long t0 = System.nanoTime();
                int[] rounds = new int[1];
                int n;
                try {
                    n = run.rules(model, i, trace, Integer.MAX_VALUE, rounds);
                } catch (org.onnx2trt.rewrite.GrowthLimitExceeded e) {
                    throw new PipelineInputException(stage.where() + ": " + e.getMessage() + "; nothing was written");
                }
                applied += n;
                StageReport r = new StageReport.RulesApplied(run.stageRules.get(i).size(), n, rounds[0],
                        (System.nanoTime() - t0) / 1e6);
                listener.stageDone(r);
                reports.add(r);
                List<Problem> errors = GraphValidator.errors(model);
                if (!errors.isEmpty()) {
                    throw new IllegalStateException("the rewritten graph is invalid, nothing was written: " + errors);
                }
            } else if (stage instanceof Recipe.Verify v) {
                int upTo = i;
                Model reference = Model.fromProto(snapshot);
                VerifyGate gate = new VerifyGate(options.inputLabel(), options.samples().samples(reference, v.samples(),
                        v.seed()), options.perOutput(), new Tolerance(v.atol(), v.rtol()), v.noiseFloor(), listener);
                VerifyGate.Outcome outcome = gate.check(reference, model, trace, applied,
                        k -> run.replay(snapshot, upTo, k));
                reports.add(outcome.report());
                failure = outcome.failure();
            } else if (stage instanceof Recipe.Calibrate c) {
                quant.calibrate(model, c, options, listener, reports);
            } else if (stage instanceof Recipe.Quantize q) {
                failure = quant.quantize(model, q, listener, reports, trace);
            } else if (stage instanceof Recipe.Lint l) {
                // on a copy: the lint infers types, which is no change the recipe asked for
                org.onnx2trt.trt.lint.TrtLint.Result lint = org.onnx2trt.trt.lint.TrtLint.lint(Model.fromProto(model.toProto()),
                        org.onnx2trt.trt.lint.TrtVersion.parse(l.trtVersion()));
                StageReport r = new StageReport.Linted(lint);
                listener.stageDone(r);
                reports.add(r);
                if (lint.errors() > 0) {
                    failure = "lint (" + l.where() + "): " + lint.errors() + " finding" + (lint.errors() == 1 ? "" : "s")
                            + " TensorRT " + l.trtVersion() + "'s parser would reject (above)";
                }
            } else if (stage instanceof Recipe.BiasCorrect b) {
                quant.biasCorrect(model, b, options, listener, reports, trace);
            } else if (stage instanceof Recipe.ImportQdq imp) {
                failure = quant.importQdq(model, imp, opsetBeforeUpgrade, listener, reports);
            } else if (stage instanceof Recipe.AlignQdq a) {
                model = quant.alignQdq(model, a, options, listener, reports);
            } else if (stage instanceof Recipe.Float16 f) {
                failure = Float16Stage.run(model, f, options, listener, reports);
            } else if (stage instanceof Recipe.Evaluate e) {
                QuantStages.Evaluated evaluated = quant.evaluate(model, e, options, listener, reports);
                model = evaluated.model(); // with layers given back to float, when the fallback ran
                failure = evaluated.failure();
            }
        }
        List<String> logits = new ArrayList<>(LogitOutputs.of(model));
        logits.removeAll(logitsBefore);
        Map<String, Integer> after = ModelSummary.of(model).opHistogram();
        // TensorRT's ONNX parser reads the default domain: no rewrite may bring in another one.
        List<String> foreign = after.keySet().stream().filter(op -> op.contains("::")).toList();
        List<String> introduced = foreign.stream().filter(op -> !before.containsKey(op)).toList();
        if (!introduced.isEmpty()) {
            throw new IllegalStateException("the rules brought in ops outside the ONNX default domain, nothing was written: "
                    + introduced);
        }
        return new RunReport(model, reports, before, after, trace, logits, foreign, explainNode, failure);
    }

    /** A simplify stage's passes on {@code m}. */
    public static Simplify.Report simplify(Model m, Recipe.Simplify s, Map<String, long[]> pinnedShapes, ModelExecutor executor) {
        return new Simplify(new Simplify.Options(s.keepInitializerInputs(), s.maxFoldedSize(), pinnedShapes), executor).run(m);
    }

    /**
     * Rules, then (when {@code again} is given) re-simplification and the rules again while a round of
     * rules changes something, up to {@link #MAX_ROUNDS} rounds in all and {@code limit} applications.
     * The same sequence replays deterministically for bisection.
     *
     * @param rounds receives the number of rounds run
     * @return the applications made
     */
    public static int rulesWithSimplify(Model m, Rewriter rewriter, Program program, Recipe.Simplify again,
                                        Map<String, long[]> pinnedShapes, ModelExecutor executor, Trace trace, int limit,
                                        int[] rounds) {
        int done = new RuleSetPass("rules", rewriter, program, trace, limit).run(m);
        rounds[0] = 1;
        int lastRound = done;
        while (again != null && lastRound > 0 && done < limit && rounds[0] < MAX_ROUNDS) {
            simplify(m, again, pinnedShapes, executor);
            lastRound = new RuleSetPass("rules", rewriter, program, trace, limit - done).run(m);
            done += lastRound;
            rounds[0]++;
        }
        return done;
    }

    /** Each stage's rules (empty for other stages); rule-file errors and unknown names are {@link RulesUnusableException}. */
    private List<List<CompiledRule>> chooseRules(Recipe recipe) {
        List<List<CompiledRule>> chosen = new ArrayList<>();
        for (Recipe.Stage s : recipe.stages()) {
            chosen.add(s instanceof Recipe.Rules r ? rules.select(r.only(), r.enable(), r.disable()) : List.of());
        }
        return chosen;
    }

    /** One run's recipe, options and rules: what its stages and its replays share. */
    private final class Run {
        final Recipe recipe;
        final RunOptions options;
        final List<List<CompiledRule>> stageRules;

        Run(Recipe recipe, RunOptions options, List<List<CompiledRule>> stageRules) {
            this.recipe = recipe;
            this.options = options;
            this.stageRules = stageRules;
        }

        /**
         * Rules stage {@code stage}, at most {@code limit} applications; in fixpoint mode alternating with
         * the last simplify stage before it.
         */
        int rules(Model m, int stage, Trace trace, int limit, int[] rounds) {
            Recipe.Rules r = (Recipe.Rules) recipe.stages().get(stage);
            Recipe.Simplify again = null;
            for (int j = 0; j < stage && r.fixpoint(); j++) {
                if (recipe.stages().get(j) instanceof Recipe.Simplify s) {
                    again = s;
                }
            }
            Program program = new Program(List.of(new Stage(recipe.name() + "/" + (stage + 1), stageRules.get(stage),
                    r.fixpoint(), r.maxApplications())));
            return rulesWithSimplify(m, rewriter, program, again, options.pinnedShapes(), executor, trace, limit, rounds);
        }

        /** The input (a fresh copy of {@code snapshot}) after the stages before {@code stage}, limited to the first {@code k} applications in all. */
        Model replay(ModelProto snapshot, int stage, int k) {
            Model m = Model.fromProto(snapshot);
            Trace t = new Trace(false);
            int done = 0;
            for (int i = 0; i < stage; i++) {
                Recipe.Stage s = recipe.stages().get(i);
                if (s instanceof Recipe.Simplify simplify) {
                    simplify(m, simplify, options.pinnedShapes(), executor);
                } else if (s instanceof Recipe.ImportQdq imp) {
                    org.onnx2trt.quant.qat.QdqImport.run(m, imp.dedicatedPairs());
                } else if (s instanceof Recipe.Rules && done < k) {
                    done += rules(m, i, t, k - done, new int[1]);
                }
            }
            return m;
        }
    }

    /** An input shape for an input the model lacks, or of another rank, is refused before any work. */
    private static void checkPins(Model model, Map<String, long[]> pinned) {
        List<String> inputNames = model.graph().runtimeInputs().stream().map(v -> v.name()).toList();
        for (Map.Entry<String, long[]> pin : pinned.entrySet()) {
            if (!inputNames.contains(pin.getKey())) {
                throw new PipelineInputException("--input-shape " + pin.getKey() + ":...: the model has no input `"
                        + pin.getKey() + "`" + org.onnx2trt.dsl.diag.Suggestions.didYouMean(pin.getKey(), inputNames)
                        + "; its inputs are " + inputNames);
            }
            Value input = model.graph().lookup(pin.getKey());
            int rank = Types.shape(input.type()) == null ? -1 : Types.shape(input.type()).size();
            if (rank >= 0 && rank != pin.getValue().length) {
                throw new PipelineInputException("--input-shape " + pin.getKey() + ": gives " + pin.getValue().length
                        + " dims, the input `" + pin.getKey() + "` has rank " + rank + " (" + Types.describe(input.type()) + ")");
            }
        }
    }

    /**
     * The trace label of the node {@code --explain} means: the node of that name, else the one whose
     * first output has it (traces label an unnamed node by that output already); else the name as given.
     */
    private static String nodeNamed(Model model, String name) {
        for (Node n : model.graph().nodeList()) {
            if (n.name().equals(name)) {
                return Rewriter.label(n);
            }
        }
        for (Node n : model.graph().nodeList()) {
            Value first = n.outputs().stream().filter(v -> v != null).findFirst().orElse(null);
            if (first != null && first.name().equals(name)) {
                return Rewriter.label(n);
            }
        }
        return name;
    }
}
