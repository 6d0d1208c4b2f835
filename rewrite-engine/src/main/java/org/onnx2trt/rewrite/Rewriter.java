package org.onnx2trt.rewrite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Use;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.match.Matcher;
import org.onnx2trt.rewrite.match.SchemaFacts;
import org.onnx2trt.transform.DeadCode;

/**
 * Runs a {@link Program} over a model's graphs (the main graph and If/Loop/Scan bodies). Rules are indexed by the op of their root, so
 * each node is offered only the rules that can start there; structure is matched first, checks on
 * data run only on a structural match. A worklist revisits what a rewrite creates and the readers
 * of what it replaced, so a fixpoint costs time near-linear in the graph's size.
 */
public final class Rewriter {
    private final RuleExpressions expressions;
    private final SchemaFacts schema;
    private long nodeBudget = Long.MAX_VALUE;
    private final Map<String, Long> addedByRule = new java.util.HashMap<>();

    public Rewriter(RuleExpressions expressions, SchemaFacts schema) {
        this.expressions = expressions;
        this.schema = schema;
    }

    /**
     * Stops any run once a graph holds more than {@code maxNodes} nodes, with {@link GrowthLimitExceeded}
     * naming the rule that added the most; the nodes each rule added are counted from this call on.
     */
    public Rewriter withNodeBudget(long maxNodes) {
        this.nodeBudget = maxNodes;
        addedByRule.clear();
        return this;
    }

    /**
     * Applies every stage in order, then sweeps dead code if the program asks (what was removed goes
     * to {@link Trace#swept()}); returns the number of rewrites applied.
     */
    public int run(Model model, Program program, Trace trace) {
        return run(model, program, trace, Integer.MAX_VALUE);
    }

    /**
     * As {@link #run(Model, Program, Trace)}, stopping after {@code limit} applications in all. The
     * driver is deterministic, so a run limited to k applications makes exactly the first k
     * applications of the unlimited run: what bisecting a failed verification needs.
     */
    public int run(Model model, Program program, Trace trace, int limit) {
        int total = 0;
        for (Stage stage : program.stages()) {
            if (total >= limit) {
                break;
            }
            total += runStage(model, stage, trace, limit - total);
        }
        if (program.sweepDeadCode()) {
            trace.addSwept(DeadCode.sweep(model.graph()));
        }
        return total;
    }

    /** Runs one stage on the main graph and on every subgraph (If/Loop/Scan bodies), innermost first. */
    private int runStage(Model model, Stage stage, Trace trace, int limit) {
        long opset = model.opsetVersion("");
        recordOpsetSkips(model, stage, opset, trace);
        Map<String, List<Entry>> byRootOp = index(stage, opset);
        if (byRootOp.isEmpty()) {
            return 0;
        }
        int applied = 0;
        for (Graph g : graphsInnermostFirst(model.graph())) {
            if (applied >= limit) {
                break;
            }
            applied += runStage(model, g, stage, byRootOp, trace, limit - applied);
        }
        return applied;
    }

    private static List<Graph> graphsInnermostFirst(Graph g) {
        List<Graph> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                out.addAll(graphsInnermostFirst(sub));
            }
        }
        out.add(g);
        return out;
    }

    private int runStage(Model model, Graph graph, Stage stage, Map<String, List<Entry>> byRootOp, Trace trace,
                         int limit) {
        int bound = stage.maxApplications() >= 0 ? stage.maxApplications() : 10 * Math.max(16, graph.nodeCount());
        // One sweep in node order, then the nodes rewrites created or fed, until none is left. The
        // sweep walks the node list itself (no copy, no membership map for every node).
        Node cursor = graph.firstNode();
        Deque<Node> worklist = new ArrayDeque<>();
        Map<Node, Boolean> queued = new IdentityHashMap<>();
        int applied = 0;
        while (cursor != null || !worklist.isEmpty()) {
            Node n;
            if (cursor != null) {
                n = cursor;
                cursor = n.next();
            } else {
                n = worklist.pollFirst();
                queued.remove(n);
            }
            if (!n.isAttached()) {
                continue;
            }
            List<Entry> candidates = byRootOp.get(n.qualifiedOpType());
            if (candidates == null) {
                continue;
            }
            for (Entry e : candidates) {
                Matcher.Result m = e.matcher.match(n);
                if (!m.matched()) {
                    if (trace.recordsStructuralDeclines()) {
                        trace.add(new Trace.Declined(e.rule.name(), label(n), m.failure()));
                    }
                    continue;
                }
                MatchRewrite rewrite = new MatchRewrite(e.rule, expressions, schema, model, m.match(), n);
                String failed = rewrite.failedCheck();
                if (failed != null) {
                    trace.add(new Trace.Declined(e.rule.name(), label(n), failed));
                    continue;
                }
                List<String> matched = m.match().nodes().values().stream().map(Rewriter::label).toList();
                String rootLabel = label(n);
                List<Value> created;
                int nodesBefore = graph.nodeCount();
                try {
                    created = rewrite.apply();
                } catch (RewriteException ex) {
                    trace.add(new Trace.Declined(e.rule.name(), rootLabel, ex.getMessage()));
                    continue;
                }
                trace.add(new Trace.Applied(e.rule.name(), rootLabel, matched, created.stream().map(Value::name).toList()));
                applied++;
                if (nodeBudget != Long.MAX_VALUE) {
                    addedByRule.merge(e.rule.name(), (long) (graph.nodeCount() - nodesBefore), Long::sum);
                    if (graph.nodeCount() > nodeBudget) {
                        throw new GrowthLimitExceeded(addedByRule, graph.nodeCount(), nodeBudget);
                    }
                }
                if (cursor != null && !cursor.isAttached()) {
                    cursor = graph.firstNode(); // the match reached past its root (an unsorted graph): sweep again
                }
                if (applied >= limit) {
                    return applied;
                }
                if (applied >= bound) {
                    trace.add(new Trace.BoundReached(e.rule.name(), rootLabel, bound));
                    return applied;
                }
                if (stage.fixpoint()) {
                    for (Value v : created) {
                        enqueue(worklist, queued, v.producer());
                        for (Use u : v.uses()) {
                            enqueue(worklist, queued, u.user());
                        }
                    }
                }
                break; // the node is gone or changed: later rules see it again from the worklist
            }
        }
        return applied;
    }

    private static void enqueue(Deque<Node> worklist, Map<Node, Boolean> queued, Node n) {
        if (n != null && n.isAttached() && queued.putIfAbsent(n, true) == null) {
            worklist.addLast(n);
        }
    }

    /**
     * A rule whose opset range leaves out the model's opset never runs; where the model has a node it
     * could start at, the trace says so: once for the model (node {@code (model)}), and at each such
     * node when explaining, so that {@code --explain} does not go silent about it.
     */
    private static void recordOpsetSkips(Model model, Stage stage, long opset, Trace trace) {
        List<CompiledRule> skipped = stage.rules().stream().filter(r -> !r.appliesToOpset(opset)).toList();
        if (skipped.isEmpty()) {
            return;
        }
        Map<String, List<Node>> byOp = new HashMap<>();
        for (Node n : model.graph().nodes()) {
            byOp.computeIfAbsent(n.qualifiedOpType(), k -> new ArrayList<>()).add(n);
        }
        for (CompiledRule r : skipped) {
            var meta = r.decl().metadata();
            String reason = "the model's opset " + opset + " is outside the rule's range " + meta.opsetFrom() + ".."
                    + (meta.opsetTo() == Integer.MAX_VALUE ? "" : meta.opsetTo());
            List<Node> roots = r.rootOps().stream().flatMap(op -> byOp.getOrDefault(op, List.of()).stream()).toList();
            if (!roots.isEmpty()) {
                trace.addOnce(new Trace.Declined(r.name(), "(model)", reason));
            }
            if (trace.recordsStructuralDeclines()) {
                roots.forEach(n -> trace.addOnce(new Trace.Declined(r.name(), label(n), reason)));
            }
        }
    }

    private Map<String, List<Entry>> index(Stage stage, long opset) {
        Map<String, List<Entry>> out = new HashMap<>();
        List<CompiledRule> rules = new ArrayList<>(stage.rules());
        rules.sort(Comparator.comparingInt(CompiledRule::benefit).reversed()); // stable: ties keep list order
        for (CompiledRule r : rules) {
            if (!r.appliesToOpset(opset)) {
                continue;
            }
            for (var pattern : r.patterns()) { // a rule with alternatives: each form tried in order
                Entry e = new Entry(r, new Matcher(pattern, schema, opset));
                for (String op : pattern.rootOps()) {
                    out.computeIfAbsent(op, k -> new ArrayList<>()).add(e);
                }
            }
        }
        return out;
    }

    /** A node's name, or its first output's name for unnamed nodes. */
    /** How traces name a node: its name, else its first output's, else its op (what {@code --explain} takes). */
    public static String label(Node n) {
        if (!n.name().isEmpty()) {
            return n.name();
        }
        return n.outputs().stream().filter(v -> v != null).findFirst().map(Value::name).orElse(n.opType());
    }

    private record Entry(CompiledRule rule, Matcher matcher) {}
}
