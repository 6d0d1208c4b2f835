package org.onnx2trt.rewrite.match;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.dsl.ast.AttrPattern;
import org.onnx2trt.dsl.ast.Binding;
import org.onnx2trt.dsl.ast.OpRef;
import org.onnx2trt.dsl.ast.PatternArg;
import org.onnx2trt.dsl.ast.RuleDecl;

/**
 * The match section of a checked rule, compiled: node patterns linked into a DAG from the root (the
 * binding nothing else reads) down to the producers of its inputs.
 */
public final class Pattern {

    /** One matched node: its op alternatives, input patterns and attribute conditions. */
    public static final class NodePattern {
        final String name;
        final List<OpRef> ops;
        final List<InputPattern> inputs = new ArrayList<>();
        final List<AttrPattern> attrs;

        NodePattern(Binding b) {
            this.name = b.name();
            this.ops = b.ops();
            this.attrs = b.attrs();
        }

        public String name() {
            return name;
        }

        public List<OpRef> ops() {
            return ops;
        }

        /** The input positions in order. */
        public List<InputPattern> inputs() {
            return java.util.Collections.unmodifiableList(inputs);
        }

        /** The attribute conditions. */
        public List<AttrPattern> attrs() {
            return attrs;
        }

        /** {@code Conv|ConvTranspose}. */
        public String opsText() {
            return String.join("|", ops.stream().map(OpRef::qualified).toList());
        }
    }

    /**
     * One input position: how it matches, the variable it binds, and the node pattern that must
     * produce it when the variable names another binding.
     */
    public record InputPattern(PatternArg.Kind kind, String variable, NodePattern producer) {}

    private final NodePattern root;
    private final Map<String, NodePattern> byName;

    private Pattern(NodePattern root, Map<String, NodePattern> byName) {
        this.root = root;
        this.byName = byName;
    }

    /** Compiles the match section of a rule that passed the semantic checks (one root, no cycle). */
    public static Pattern compile(RuleDecl rule) {
        Map<String, NodePattern> byName = new HashMap<>();
        for (Binding b : rule.bindings()) {
            byName.put(b.name(), new NodePattern(b));
        }
        Set<String> consumed = new HashSet<>();
        for (Binding b : rule.bindings()) {
            NodePattern np = byName.get(b.name());
            for (PatternArg a : b.args()) {
                NodePattern producer = a.name() == null ? null : byName.get(a.name());
                if (producer != null) {
                    consumed.add(producer.name);
                }
                np.inputs.add(new InputPattern(a.kind(), a.name(), producer));
            }
        }
        NodePattern root = rule.bindings().stream().map(b -> byName.get(b.name()))
                .filter(np -> !consumed.contains(np.name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("rule `" + rule.name() + "` has no root; check it first"));
        return new Pattern(root, byName);
    }

    public NodePattern root() {
        return root;
    }

    /** The op types the root can have, for indexing rules by the op of the node they start at. */
    public Set<String> rootOps() {
        Set<String> out = new LinkedHashSet<>();
        root.ops.forEach(o -> out.add(o.qualified()));
        return out;
    }

    public NodePattern node(String name) {
        return byName.get(name);
    }
}
