package org.onnx2trt.quant.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.exec.ModelExecutor;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.Progress;
import org.onnx2trt.quant.place.QdqPlacement;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.Trace;

/**
 * Per-layer sensitivity and automatic float fallback. A layer group is what one placement rule
 * quantized (a Conv with its input and weight, a residual Add, a pool). Each group is quantized
 * alone and ranked by what that costs the outputs (their SNR against the float model); then the
 * most sensitive groups go back to float, one at a time, until the model meets the budget, or only
 * the least sensitive one is left quantized (a model with nothing quantized is not an answer).
 */
public final class FloatFallback {
    /** One layer group: the node a placement rule quantized (its name, or first output's), and its op. */
    public record Group(String node, String op) {}

    /**
     * What quantizing one group alone costs.
     *
     * @param snrDb    the worst output SNR with only this group quantized
     * @param top1Drop the points of top-1 it loses (agreement or accuracy), NaN for no classifier output
     */
    public record Sensitivity(Group group, double snrDb, double top1Drop) {}

    /**
     * The fallback's outcome.
     *
     * @param model      the quantized model with the groups in {@code inFloat} left in float
     * @param evaluation its figures against the float model
     * @param ranking    every group, most sensitive first
     * @param inFloat    the groups given back to float, in the order they were
     * @param violation  what the budget still lacks (null when it is met)
     */
    public record Result(Model model, Evaluation.Result evaluation, List<Sensitivity> ranking, List<Group> inFloat,
                         String violation) {}

    /** Says what a model's figures lack against the budget, or null when they meet it. */
    @FunctionalInterface
    public interface Budget {
        String violation(Evaluation.Result r);
    }

    private FloatFallback() {}

    /**
     * @param floatModel the model before placement
     * @param parameters the placement parameters (a user's {@code exclude} stays excluded)
     * @param samples    the samples each evaluation runs (0: all)
     */
    public static Result run(ModelProto floatModel, CalibrationTable table, QdqPlacement.Target target,
                             Map<String, Object> parameters, DataSet data, int samples, Budget budget,
                             ModelExecutor executor, Progress progress) {
        Model reference = Model.fromProto(floatModel);
        List<Sensitivity> ranking = rank(floatModel, table, target, parameters, data, samples, executor, progress);
        List<Group> inFloat = new ArrayList<>();
        Model model = null;
        Evaluation.Result evaluation = null;
        String violation = "no layer group was tried";
        // The last group is never given back: a model with nothing quantized is no answer.
        for (Sensitivity s : ranking.subList(0, Math.max(0, ranking.size() - 1))) {
            inFloat.add(s.group());
            model = placed(floatModel, table, target, parameters, inFloat.stream().map(Group::node).toList());
            evaluation = Evaluation.run(reference, model, data, samples, executor, Progress.NONE);
            violation = budget.violation(evaluation);
            if (violation == null) {
                break;
            }
        }
        return new Result(model, evaluation, ranking, inFloat, violation);
    }

    /**
     * Each layer group quantized alone, most sensitive first: what it costs the outputs (their worst
     * SNR, and the top-1 points) against the float model.
     */
    public static List<Sensitivity> rank(ModelProto floatModel, CalibrationTable table, QdqPlacement.Target target,
                                         Map<String, Object> parameters, DataSet data, int samples, ModelExecutor executor,
                                         Progress progress) {
        Model reference = Model.fromProto(floatModel);
        List<Group> groups = groups(floatModel, table, target, parameters);
        List<Sensitivity> ranking = new ArrayList<>();
        progress.begin("sensitivity: each layer group quantized alone", groups.size(), "layer groups");
        for (Group g : groups) {
            List<String> others = groups.stream().filter(o -> o != g).map(Group::node).toList();
            Evaluation.Result r = Evaluation.run(reference, placed(floatModel, table, target, parameters, others), data,
                    samples, executor, Progress.NONE);
            ranking.add(new Sensitivity(g, r.worstSnrDb(), worstDrop(r)));
            progress.advance(ranking.size());
        }
        progress.end();
        ranking.sort(Comparator.comparingDouble(Sensitivity::snrDb));
        return ranking;
    }

    /** The layer groups a full placement quantizes, in graph order. */
    static List<Group> groups(ModelProto floatModel, CalibrationTable table, QdqPlacement.Target target,
                              Map<String, Object> parameters) {
        Model probe = Model.fromProto(floatModel);
        Map<String, String> ops = new HashMap<>();
        for (Node n : probe.graph().nodeList()) {
            ops.put(Rewriter.label(n), n.opType());
        }
        List<Group> out = new ArrayList<>();
        for (Trace.Event e : QdqPlacement.place(probe, table, target, parameters).trace().events()) {
            Group g = e instanceof Trace.Applied a && ops.containsKey(a.node()) ? new Group(a.node(), ops.get(a.node())) : null;
            if (g != null && !out.contains(g)) { // a layer placed in steps (ort-cpu: output, input, weights) is one group
                out.add(g);
            }
        }
        return out;
    }

    /** The float model placed with {@code extra} nodes excluded besides the user's exclusions. */
    private static Model placed(ModelProto floatModel, CalibrationTable table, QdqPlacement.Target target,
                                Map<String, Object> parameters, List<String> extra) {
        Map<String, Object> p = new HashMap<>(parameters);
        List<Object> exclude = new ArrayList<>();
        if (parameters.get("exclude") instanceof List<?> given) {
            exclude.addAll(given);
        }
        exclude.addAll(extra);
        p.put("exclude", exclude);
        Model m = Model.fromProto(floatModel);
        QdqPlacement.place(m, table, target, p);
        return m;
    }

    private static double worstDrop(Evaluation.Result r) {
        return r.outputs().stream().filter(o -> o.agreement() != null).mapToDouble(o -> o.agreement().top1Drop()).max()
                .orElse(Double.NaN);
    }
}
