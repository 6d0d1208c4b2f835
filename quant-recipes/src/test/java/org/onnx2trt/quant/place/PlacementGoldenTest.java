package org.onnx2trt.quant.place;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.rewrite.EvaluatorExpressions;
import org.onnx2trt.rewrite.Rewriter;
import org.onnx2trt.rewrite.match.SchemaTable;
import org.onnx2trt.testkit.GoldenFile;
import org.onnx2trt.testkit.GoldenRunner;

/**
 * Golden cases for each target's placement rules ({@code golden/qdq_tensorrt.rwtest}, ...): a graph,
 * the calibration ranges and stage parameters it is placed with ({@code --- calib}, {@code --- param}),
 * and the QDQ graph that must come out, or the decline that must be seen. Every rule has a case where
 * it fires and one where it declines.
 */
class PlacementGoldenTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    static final Path ACTUAL = Path.of("target", "golden");

    private static Path golden(QdqPlacement.Target target) {
        return GOLDEN.resolve(target.ruleFile().replace(".rw", ".rwtest"));
    }

    @ParameterizedTest
    @EnumSource(QdqPlacement.Target.class)
    void casesGiveTheExpectedGraphs(QdqPlacement.Target target) throws IOException {
        GoldenRunner.run(golden(target), ACTUAL, "quant-recipes", target.program(), c -> new Rewriter(
                EvaluatorExpressions.withFacts(TableFacts.of(table(c.calib())).withParameters(parameters(c.params()))),
                SchemaTable.builtin()));
    }

    @ParameterizedTest
    @EnumSource(QdqPlacement.Target.class)
    void everyRuleFiresInACaseAndDeclinesInAnother(QdqPlacement.Target target) throws IOException {
        GoldenFile file = GoldenFile.parse(Files.readString(golden(target)));
        Map<String, String> missing = new TreeMap<>();
        for (RuleDecl rule : target.rules()) {
            String name = rule.name();
            boolean fires = file.cases().stream().anyMatch(c -> c.title().startsWith("fire " + name + ":"));
            boolean declines = file.cases().stream().anyMatch(c -> c.declines().stream().anyMatch(d -> d.startsWith(name + ": ")));
            if (!fires || !declines) {
                missing.put(name, (fires ? "" : "no `=== fire " + name + ": ...` case") + (!fires && !declines ? "; " : "")
                        + (declines ? "" : "no `--- declined " + name + ": ...`"));
            }
        }
        assertEquals(Map.of(), missing, golden(target) + " must cover each rule");
    }

    /** The calibration a case gives: each value's range [-amax, amax]. */
    private static CalibrationTable table(Map<String, Double> amax) {
        Map<String, CalibrationTable.Range> ranges = new LinkedHashMap<>();
        amax.forEach((name, a) -> ranges.put(name, new CalibrationTable.Range(a.floatValue(), -a.floatValue(), a.floatValue(),
                0, 1, 0, "minmax")));
        return new CalibrationTable("golden", "minmax", 1, "golden case", ranges);
    }

    /** Stage parameters as the recipe gives them: integers as Long, `exclude` and comma lists as lists. */
    private static Map<String, Object> parameters(Map<String, String> written) {
        Map<String, Object> out = new LinkedHashMap<>();
        written.forEach((k, v) -> {
            if (k.equals("exclude") || v.contains(",")) {
                out.put(k, new ArrayList<>(Arrays.asList(v.split(","))));
            } else if (v.matches("-?\\d+")) {
                out.put(k, Long.parseLong(v));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

}
