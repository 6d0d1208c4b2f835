package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;

/** `optimize` and `rules` as a user meets them. */
class OptimizeCommandTest {
    @TempDir
    Path dir;

    private Path sample() {
        Path p = dir.resolve("sample.onnx");
        ModelWriter.write(SampleModels.classifier(), p, WriteOptions.inline());
        return p;
    }

    @Test
    void optimizeFusesBatchNormsAndPrintsTheTable() {
        Path out = dir.resolve("out.onnx");
        CliTest.Run r = CliTest.run("optimize", sample().toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("BatchNormalization        2        0       -2"), r.out());
        assertTrue(r.out().contains("FuseConvBatchNorm                fired 2×"), r.out());
        assertEquals(9, ModelReader.read(out).graph().nodeCount());
    }

    @Test
    void explainSaysWhyARuleDidNotFire() {
        CliTest.Run r = CliTest.run("optimize", sample().toString(), "-o", dir.resolve("o.onnx").toString(),
                "--only", "QuantizeConvWeightPerChannel", "--disable", "bn", "--explain", "Conv_0",
                "--atol", "1e-2", "--rtol", "1e-2"); // int8 weights: approximate by design
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("at `Conv_0`:\n  QuantizeConvWeightPerChannel fired"), r.out());

        CliTest.Run byOutput = CliTest.run("optimize", sample().toString(), "-o", dir.resolve("o.onnx").toString(),
                "--explain", "scores", "--no-verify");
        assertEquals(0, byOutput.code(), byOutput.err());
        assertTrue(byOutput.out().contains("(the node that makes `scores`):\n  "), "a value's name finds the node that"
                + " makes it: " + byOutput.out());
    }

    @Test
    void usersRuleFilesLoadAtRunTime() throws IOException {
        Path rules = Files.writeString(dir.resolve("mine.rw"), """
                /// Relu(Relu(x)) -> Relu(x)
                rule RemoveDoubleRelu
                match
                  a = Relu(x)
                  b = Relu(a)
                rewrite
                  b -> a
                end
                """);
        CliTest.Run list = CliTest.run("rules", "list", "--rules", rules.toString());
        assertTrue(list.out().contains("RemoveDoubleRelu"), list.out());
        CliTest.Run check = CliTest.run("rules", "check", rules.toString());
        assertEquals(0, check.code(), check.err());
        CliTest.Run explain = CliTest.run("rules", "explain", "RemoveDoubleRelu", "--rules", rules.toString());
        assertTrue(explain.out().contains("Relu(Relu(x)) -> Relu(x)"), explain.out());
    }

    @Test
    void badRuleFilesAndUnknownRulesAreExitCodeTwo() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.rw"), "rule R match c = Covn(x) rewrite c -> x end\n");
        CliTest.Run check = CliTest.run("rules", "check", bad.toString());
        assertEquals(2, check.code());
        assertEquals(bad + ":1:18: error: unknown op `Covn` (did you mean `Conv`?)\n", check.err());
        Path out = dir.resolve("o.onnx");
        CliTest.Run opt = CliTest.run("optimize", sample().toString(), "-o", out.toString(), "--rules", bad.toString());
        assertEquals(2, opt.code());
        assertFalse(Files.exists(out));
        CliTest.Run unknown = CliTest.run("optimize", sample().toString(), "-o", out.toString(), "--only", "FuseConvBatchNrom");
        assertEquals(2, unknown.code());
        assertEquals("error: no rule or tag `FuseConvBatchNrom` (did you mean `FuseConvBatchNorm`?);"
                + " `onnx2trt rules list` shows them\n", unknown.err());
    }

    @Test
    void ruleCheckRefusesWhatRulesWouldRefuseAndChecksTheBuiltins() throws IOException {
        Path clash = Files.writeString(dir.resolve("clash.rw"), """
                /// Identity(x) -> x
                rule EliminateIdentity
                match
                  i = Identity(x)
                rewrite
                  i -> x
                end
                """);
        CliTest.Run check = CliTest.run("rules", "check", clash.toString());
        assertEquals(2, check.code(), check.out());
        assertFalse(check.out().contains("ok"), check.out());
        assertTrue(check.err().startsWith(clash + ":2:6: error: rule `EliminateIdentity` has the name of a built-in rule"),
                check.err());
        CliTest.Run nothing = CliTest.run("rules", "check");
        assertEquals(2, nothing.code());
        assertEquals("error: rules check: give rule files, or --builtin to check the built-in rules\n", nothing.err());
        CliTest.Run builtins = CliTest.run("rules", "check", "--builtin");
        assertEquals(0, builtins.code(), builtins.err());
        assertTrue(builtins.out().matches("built-in rules: \\d+, ok\n"), builtins.out());
    }

    /** A BN fold with a sign error in the bias: b' = (μ − b)·s + β instead of (b − μ)·s + β. */
    private static final String SIGN_ERROR = """
            /// Conv ∘ BN with the bias sign flipped (wrong on purpose)
            rule FoldBnSignError
              benefit 9
            match
              conv = Conv(x, w, b?)
              bn   = BatchNormalization(conv, gamma, beta, mean, var) { epsilon: eps }
            where
              constant(w, b, gamma, beta, mean, var) : "constants"
            compute
              s  = gamma / sqrt(var + eps)
              w2 = w * unsqueezeTo(s, axis: 0, rank: rank(w))
              b2 = (mean - (b ?? zerosLike(mean))) * s + beta
            rewrite
              bn -> Conv(x, w2, b2) { ...conv }
            end
            """;

    @Test
    void theGateBisectsToTheBrokenRewriteAndWritesNothing() throws IOException {
        Path rules = Files.writeString(dir.resolve("wrong.rw"), SIGN_ERROR);
        Path out = dir.resolve("out.onnx");
        CliTest.Run r = CliTest.run("optimize", sample().toString(), "-o", out.toString(), "--rules", rules.toString(),
                "--disable", "bn");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("bisecting 2 applications"), r.out());
        assertTrue(r.err().contains("check failed: rule FoldBnSignError at node `"), r.err());
        assertTrue(r.err().contains("(application 1 of 2, matched ["), r.err());
        assertTrue(r.err().contains("broke output `"), r.err());
        assertTrue(r.err().contains("nothing was written"), r.err());
        assertFalse(Files.exists(out));

        CliTest.Run forced = CliTest.run("optimize", sample().toString(), "-o", out.toString(), "--rules",
                rules.toString(), "--disable", "bn", "--force");
        assertEquals(1, forced.code());
        assertTrue(Files.exists(out), "--force writes the result and still exits 1");

        Path unchecked = dir.resolve("unchecked.onnx");
        CliTest.Run skipped = CliTest.run("optimize", sample().toString(), "-o", unchecked.toString(), "--rules",
                rules.toString(), "--disable", "bn", "--no-verify");
        assertEquals(0, skipped.code(), skipped.err());
        assertFalse(skipped.out().contains("verify:"), skipped.out());
    }

    @Test
    void theDefaultRulesPassTheGate() {
        Path out = dir.resolve("ok.onnx");
        CliTest.Run r = CliTest.run("optimize", sample().toString(), "-o", out.toString(), "--samples", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("verify: 2 samples, and one more with the symbolic dims at {batch = 2} against"),
                r.out());
        assertTrue(Files.exists(out));
    }

    @Test
    void rulesCheckVerifyPrintsACounterexampleForAWrongRule() throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong.rw"), SIGN_ERROR);
        CliTest.Run r = CliTest.run("rules", "check", wrong.toString(), "--verify", "--tries", "50", "--seed", "5");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("verifying 1 rule on 50 generated instances each, seed 5"), r.out());
        assertTrue(r.out().contains("FAIL  FoldBnSignError") && r.out().contains("counterexample (seed "), r.out());
        assertTrue(r.out().contains("after FoldBnSignError:"), r.out());
        assertTrue(r.err().contains("FoldBnSignError does not hold on generated instances; replay with --seed 5"), r.err());

        Path right = Files.writeString(dir.resolve("right.rw"), SIGN_ERROR.replace("FoldBnSignError", "FoldBn")
                .replace("(mean - (b ?? zerosLike(mean)))", "((b ?? zerosLike(mean)) - mean)"));
        CliTest.Run ok = CliTest.run("rules", "check", right.toString(), "--verify", "--tries", "40", "--seed", "5");
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("ok    FoldBn: 40 instances, fired "), ok.out());
    }

    /** Right at batch 1 only: Flatten(x) is Reshape(x, [1, -1]) when the batch is 1. */
    private static final String BATCH_ONE = """
            /// Flatten(x) -> Reshape(x, [1, -1])   (wrong: true only for a batch of 1)
            rule FlattenAsBatchOne
            match
              f = Flatten(x)
            compute
              shape = tensor([1, -1], int64)
            rewrite
              f -> Reshape(x, shape)
            end
            """;

    @Test
    void theGateChecksSymbolicDimsAtSizesOtherThanOne() throws IOException {
        org.onnx2trt.builder.GraphBuilder b = new org.onnx2trt.builder.GraphBuilder("g", 1);
        var x = b.input("x", org.onnx2trt.tensor.DataType.FLOAT, "batch", 3, 4);
        b.output(b.op("Flatten", b.op("Relu", x).out()).outputNames("y").out(), org.onnx2trt.tensor.DataType.FLOAT,
                "batch", 12);
        Path model = dir.resolve("flat.onnx");
        ModelWriter.write(b.build(), model, WriteOptions.inline());
        Path rules = Files.writeString(dir.resolve("batch1.rw"), BATCH_ONE);
        CliTest.Run r = CliTest.run("optimize", model.toString(), "-o", dir.resolve("o.onnx").toString(), "--rules",
                rules.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("verify: 4 samples, and one more with the symbolic dims at {batch = 2}"), r.out());
        assertTrue(r.err().contains("rule FlattenAsBatchOne"), r.err());

        CliTest.Run pinned = CliTest.run("optimize", model.toString(), "-o", dir.resolve("p.onnx").toString(), "--rules",
                rules.toString(), "--input-shape", "x:1,3,4");
        assertEquals(0, pinned.code(), "pinned to batch 1 the rewrite is right: " + pinned.out() + pinned.err());
        assertTrue(pinned.out().contains("verify: 4 samples"), pinned.out());
    }
    @Test
    void severalModelsGoIntoOneFolderAndAFailureDoesNotStopTheOthers() throws IOException {
        Path a = sample();
        Path sub = Files.createDirectories(dir.resolve("more"));
        Path b = sub.resolve("second.onnx");
        Files.copy(a, b);
        Path broken = Files.writeString(dir.resolve("broken.onnx"), "not a model");
        Path folder = dir.resolve("results");
        CliTest.Run r = CliTest.run("optimize", a.toString(), broken.toString(), b.toString(), "-o", folder.toString(),
                "--samples", "1");
        assertEquals(2, r.code(), "the worst exit code of the batch: " + r.out() + r.err());
        assertTrue(r.out().contains("[1/3] " + a + " -> " + folder.resolve("sample.onnx")), r.out());
        assertTrue(r.err().contains("error: " + broken + ": "), r.err());
        assertTrue(r.out().contains("optimized 2 of 3 models into " + folder + "; failed: " + broken + " (bad input)"),
                r.out());
        assertEquals(9, ModelReader.read(folder.resolve("sample.onnx")).graph().nodeCount());
        assertEquals(9, ModelReader.read(folder.resolve("second.onnx")).graph().nodeCount());
        assertFalse(Files.exists(folder.resolve("broken.onnx")));
    }

    @Test
    void aBatchWhoseChecksFailExitsOneAndWritesNothingForThem() throws IOException {
        Path rules = Files.writeString(dir.resolve("wrong.rw"), SIGN_ERROR);
        Path a = sample();
        Path b = Files.copy(a, dir.resolve("b.onnx"));
        Path folder = dir.resolve("results");
        CliTest.Run r = CliTest.run("optimize", a.toString(), b.toString(), "-o", folder.toString(), "--rules",
                rules.toString(), "--disable", "bn", "--samples", "1");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("check failed: " + a + ": rule FoldBnSignError") && r.err().contains("check failed: " + b + ": rule FoldBnSignError"), r.err());
        assertTrue(r.out().contains("optimized 0 of 2 models into " + folder + "; failed: " + a + " (check failed), " + b
                + " (check failed)"), r.out());
        assertFalse(Files.exists(folder.resolve("sample.onnx")));
        assertFalse(Files.exists(folder.resolve("b.onnx")));
    }

    @Test
    void aBatchPinsEveryModelWithTheNamedInputAndFailsTheOthers() throws IOException {
        Path a = sample(); // input `image`
        Path b = Files.copy(a, dir.resolve("b.onnx"));
        org.onnx2trt.builder.GraphBuilder g = new org.onnx2trt.builder.GraphBuilder("g", 1);
        var x = g.input("x", org.onnx2trt.tensor.DataType.FLOAT, "batch", 3);
        g.output(g.op("Relu", x).outputNames("y").out(), org.onnx2trt.tensor.DataType.FLOAT, "batch", 3);
        Path other = dir.resolve("other.onnx");
        ModelWriter.write(g.build(), other, WriteOptions.inline());
        Path folder = dir.resolve("results");
        CliTest.Run r = CliTest.run("optimize", a.toString(), other.toString(), b.toString(), "-o", folder.toString(),
                "--input-shape", "image:2,3,32,32", "--samples", "1");
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(2, r.out().split("simplify: inputs \\[image\\] pinned", -1).length - 1, r.out());
        assertTrue(r.err().contains("error: " + other + ": --input-shape image:...: the model has no input `image`"), r.err());
        assertTrue(r.out().contains("optimized 2 of 3 models into " + folder + "; failed: " + other + " (bad input)"), r.out());
    }

    @Test
    void aBatchRefusesCollidingNamesAFileAsFolderAndOneModelOptions() throws IOException {
        Path a = sample();
        Path same = Files.createDirectories(dir.resolve("other")).resolve("sample.onnx");
        Files.copy(a, same);
        Path folder = dir.resolve("results");
        CliTest.Run collide = CliTest.run("optimize", a.toString(), same.toString(), "-o", folder.toString());
        assertEquals(2, collide.code());
        assertTrue(collide.err().contains("have the same file name"), collide.err());
        assertFalse(Files.exists(folder), "nothing is made before the batch is known to be valid");

        Path b = Files.copy(a, dir.resolve("b.onnx"));
        CliTest.Run fileAsFolder = CliTest.run("optimize", a.toString(), b.toString(), "-o", b.toString());
        assertEquals(2, fileAsFolder.code());
        assertTrue(fileAsFolder.err().contains(b + ": is a file; with several models (or an -o ending in /), -o names a folder"),
                fileAsFolder.err());

        CliTest.Run explain = CliTest.run("optimize", a.toString(), b.toString(), "-o", folder.toString(), "--explain", "Conv_0");
        assertEquals(2, explain.code());
        assertEquals("error: --explain applies to one model, and 2 were given: run the model it is for on its own\n",
                explain.err());

        CliTest.Run intoInputs = CliTest.run("optimize", a.toString(), b.toString(), "-o", dir.toString());
        assertEquals(2, intoInputs.code());
        assertTrue(intoInputs.err().contains("the result would overwrite the input model"), intoInputs.err());
    }

    @Test
    void anUnknownRuleNameStopsTheBatchOnceBeforeAnyModelIsSimplified() throws IOException {
        Path a = sample();
        Path b = Files.copy(a, dir.resolve("b.onnx"));
        CliTest.Run r = CliTest.run("optimize", a.toString(), b.toString(), "-o", dir.resolve("results").toString(),
                "--only", "FuseConvBatchNrom");
        assertEquals(2, r.code());
        assertEquals("error: no rule or tag `FuseConvBatchNrom` (did you mean `FuseConvBatchNorm`?); `onnx2trt rules list`"
                + " shows them\n", r.err());
        assertFalse(r.out().contains("simplify:"), r.out());
        assertFalse(r.out().contains("[2/2]"), r.out());
    }

    @Test
    void oneModelAndAnOutputEndingInASlashWritesIntoThatFolder() {
        Path a = sample();
        Path folder = dir.resolve("made");
        CliTest.Run r = CliTest.run("optimize", a.toString(), "-o", folder + "/", "--no-verify");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(folder.resolve("sample.onnx")), r.out());
        CliTest.Run again = CliTest.run("optimize", a.toString(), "-o", folder.toString(), "--no-verify");
        assertEquals(0, again.code(), "an existing folder is a folder, slash or not: " + again.err());
        assertTrue(again.out().contains("optimized 1 of 1 models into " + folder), again.out());
    }

    @Test
    void explainFindsUnnamedNodesByTheirOutputAndSkipsOmittedOutputs() {
        org.onnx2trt.builder.GraphBuilder g = new org.onnx2trt.builder.GraphBuilder("g", 13);
        var x = g.input("x", org.onnx2trt.tensor.DataType.FLOAT, 1, 4);
        var relu = g.op("Relu", x).outputNames("r").out();
        var neg = g.op("Neg", relu).outputNames("y").out();
        g.output(neg, org.onnx2trt.tensor.DataType.FLOAT, 1, 4);
        List<org.onnx2trt.ir.Value> dropout = g.op("Dropout", relu).outputNames("", "mask").outs(2); // first omitted
        org.junit.jupiter.api.Assertions.assertNull(dropout.get(0), "an omitted output is no value");
        g.output(dropout.get(1), org.onnx2trt.tensor.DataType.BOOL, 1, 4);
        org.onnx2trt.ir.Model m = g.build();
        m.graph().nodeList().forEach(n -> n.setName(""));
        Path model = dir.resolve("unnamed.onnx");
        ModelWriter.write(m, model, WriteOptions.inline());
        CliTest.Run r = CliTest.run("optimize", model.toString(), "-o", dir.resolve("o.onnx").toString(), "--explain", "r",
                "--no-verify");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("at `r`:\n  "), "an unnamed node is traced under its first output: " + r.out());
        CliTest.Run typo = CliTest.run("optimize", model.toString(), "-o", dir.resolve("o.onnx").toString(), "--explain",
                "nothing_by_this_name", "--no-verify");
        assertEquals(0, typo.code(), typo.err());
        assertTrue(typo.out().contains("no node has this name"), typo.out());
    }

    @Test
    void aBadRuleFileStopsTheBatchOnce() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.rw"), "rule R match c = Covn(x) rewrite c -> x end\n");
        Path a = sample();
        Path b = Files.copy(a, dir.resolve("b.onnx"));
        CliTest.Run r = CliTest.run("optimize", a.toString(), b.toString(), "-o", dir.resolve("results").toString(),
                "--rules", bad.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().split("unknown op `Covn`", -1).length - 1, "reported once, not per model: " + r.err());
        assertFalse(r.out().contains("[2/2]"), r.out());
    }
}
