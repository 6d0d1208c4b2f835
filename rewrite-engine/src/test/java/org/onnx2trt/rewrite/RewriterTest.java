package org.onnx2trt.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/** The rewrite driver on rules that need no expression evaluation: structure, names, trace, bounds. */
class RewriterTest {
    /** Rules here have no checks or computes; any evaluation is a test failure. */
    static final RuleExpressions NO_EXPRESSIONS = new RuleExpressions() {
        @Override
        public Scope scope(Model model, org.onnx2trt.rewrite.match.Match match, Map<String, Object> computed) {
            return expr -> {
                throw new AssertionError("unexpected evaluation of " + expr);
            };
        }

        @Override
        public Tensor toTensor(Object value, String name) {
            throw new AssertionError("unexpected tensor");
        }
    };

    static Program program(String text) {
        RuleFrontEnd.Result r = RuleFrontEnd.load(text, "t.rw");
        assertTrue(r.ok(), r.diagnostics().format());
        return Program.fixpoint("test", r.file().rules().stream().map(CompiledRule::compile).toList());
    }

    static final String REMOVE_IDENTITY = """
            /// Identity(x) -> x
            rule EliminateIdentity
            match n = Identity(x)
            rewrite n -> x
            end
            """;

    private static Trace run(Model m, String rules) {
        Trace trace = new Trace(true);
        new Rewriter(NO_EXPRESSIONS, SchemaTable.builtin()).run(m, program(rules), trace);
        assertEquals(List.of(), GraphValidator.errors(m), "the rewritten graph validates");
        return trace;
    }

    @Test
    void removesIdentitiesAndRewiresReaders() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value id1 = b.op("Identity", x).out();
        Value id2 = b.op("Identity", id1).out();
        Value relu = b.op("Relu", id2).outputNames("y").out();
        b.output(relu);
        Model m = b.build();
        Trace t = run(m, REMOVE_IDENTITY);
        assertEquals(2, t.applications().size());
        assertEquals(1, m.graph().nodeCount());
        assertEquals(x, m.graph().firstNode().input(0));
    }

    @Test
    void aGraphOutputKeepsItsName() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value relu = b.op("Relu", x).out();
        Value id = b.op("Identity", relu).outputNames("y").out();
        b.output(id);
        Model m = b.build();
        run(m, REMOVE_IDENTITY);
        assertEquals(1, m.graph().nodeCount());
        assertEquals("y", m.graph().outputs().get(0).name());
        assertEquals("Relu", m.graph().outputs().get(0).value().producer().opType());
    }

    @Test
    void declinesWhenRemovalWouldRenameTheInterface() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value id = b.op("Identity", x).name("id").outputNames("y").out();
        b.output(id);
        Model m = b.build();
        Trace t = run(m, REMOVE_IDENTITY);
        assertEquals(1, m.graph().nodeCount());
        Trace.Declined d = assertInstanceOf(Trace.Declined.class, t.about("id").get(0));
        assertEquals("`y` is a graph output and its replacement `x` is a graph input;"
                + " removing the node would rename the model's interface", d.reason());
    }

    @Test
    void newNodesCopyAttributesAndReplaceTheRoot() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        Value t1 = b.op("Transpose", x).attr("perm", 2, 0, 1).out();
        Value r = b.op("Relu", t1).outputNames("y").out();
        b.output(r);
        Model m = b.build();
        Trace t = run(m, """
                rule SwapTransposeRelu
                match
                  t = Transpose(x)
                  r = Relu(t)
                rewrite
                  let y = Relu(x)
                  r -> Transpose(y) { ...t }
                end
                """);
        assertEquals(1, t.applications().size());
        assertEquals("Relu", m.graph().firstNode().opType());
        assertEquals("Transpose", m.graph().lastNode().opType());
        assertEquals(List.of(2L, 0L, 1L), m.graph().lastNode().attribute("perm").asInts());
        assertEquals("y", m.graph().outputs().get(0).name());
    }

    @Test
    void subgraphsAreRewrittenToo() {
        Model m = org.onnx2trt.text.GraphText.parse("""
                m (bool[] c, float[4] x) => (float[4] y) {
                  y = If <then_branch = t () => (float[4] a) { i = Identity (x)  a = Relu (i) },
                          else_branch = e () => (float[4] b) { b = Neg (x) }> (c)
                }
                """, "t.txt", 1);
        Trace t = run(m, REMOVE_IDENTITY);
        assertEquals(1, t.applications().size());
        org.onnx2trt.ir.Graph then = m.graph().firstNode().attribute("then_branch").graphs().get(0);
        assertEquals(1, then.nodeCount());
        assertEquals("x", then.firstNode().input(0).name());
    }

    @Test
    void theBoundStopsARunawayStageAndIsReported() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value r = b.op("Relu", x).outputNames("y").out();
        b.output(r);
        Model m = b.build();
        // Relu(x) -> Relu(x) forever: only the bound stops it.
        RuleFrontEnd.Result rules = RuleFrontEnd.load("rule Loop match n = Relu(x) rewrite n -> Relu(x) end", "t.rw");
        Trace trace = new Trace(false);
        Program p = new Program(List.of(new Stage("loop", List.of(CompiledRule.compile(rules.file().rules().get(0))), true, 25)));
        int applied = new Rewriter(NO_EXPRESSIONS, SchemaTable.builtin()).run(m, p, trace);
        assertEquals(25, applied);
        assertInstanceOf(Trace.BoundReached.class, trace.events().get(trace.events().size() - 1));
        assertEquals(List.of(), GraphValidator.errors(m));
    }

    @Test
    void aRuleOutsideTheModelsOpsetSaysSoInTheTrace() {
        GraphBuilder b = new GraphBuilder("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        b.output(b.op("Identity", x).out());
        Model m = b.build(12);
        Trace t = run(m, """
                rule EliminateIdentityFrom13
                  opset 13..
                match n = Identity(x)
                rewrite n -> x
                end
                """);
        assertEquals(List.of(), t.applications());
        String node = Rewriter.label(m.graph().nodeList().get(0));
        assertEquals(List.of(new Trace.Declined("EliminateIdentityFrom13", "(model)",
                        "the model's opset 12 is outside the rule's range 13.."),
                new Trace.Declined("EliminateIdentityFrom13", node, "the model's opset 12 is outside the rule's range 13..")),
                t.events());
    }
}
