package org.onnx2trt.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated rule files: the parser answers with diagnostics or an AST, never with an
 * exception or a hang. Seeds are fixed, plus one random seed printed in any failure.
 */
class RuleParserFuzzTest {
    private static final String[] TOKENS = {"rule", "match", "where", "compute", "rewrite", "end", "let", "none",
        "native", "outputs", "opset", "benefit", "tags", "and", "or", "not", "->", "??", "::", "...", "..", "==",
        "=", "|", "?", ":", ",", ".", "(", ")", "{", "}", "[", "]", "+", "-", "*", "/", "_", "x", "Conv", "1",
        "2.5e3", "\"msg\"", "///doc\n", "# c\n", "\n", " "};

    @Test
    void mutatedRuleFilesGiveOnlyDiagnostics() {
        long random = System.nanoTime();
        for (long seed : new long[] {1, 2, 3, 4, 5, random}) {
            Random r = new Random(seed);
            for (int i = 0; i < 300; i++) {
                String text = mutate(RuleParserTest.FUSE, r);
                check(text, seed);
            }
        }
    }

    @Test
    void randomTokenSoupGivesOnlyDiagnostics() {
        long random = System.nanoTime();
        for (long seed : new long[] {11, 12, random}) {
            Random r = new Random(seed);
            for (int i = 0; i < 300; i++) {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(80);
                for (int k = 0; k < n; k++) {
                    sb.append(TOKENS[r.nextInt(TOKENS.length)]).append(r.nextBoolean() ? " " : "");
                }
                check(sb.toString(), seed);
            }
        }
    }

    @Test
    void deepNestingIsADiagnosticNotACrash() {
        String deep = "rule R match n = Relu(x) compute v = " + "(".repeat(200000) + "1" + ")".repeat(200000)
                + " rewrite n -> x end";
        check(deep, 0);
    }

    private static void check(String text, long seed) {
        RuleParser.Result[] result = new RuleParser.Result[1];
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> result[0] = RuleParser.parse(text, "fuzz.rw"),
                    "seed " + seed + ": parsing took over 5 s:\n" + text);
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ": the parser threw on:\n" + text, e);
        }
        assertTrue(result[0].ok() || result[0].diagnostics().hasErrors(), "seed " + seed + ": no AST and no error");
    }

    private static String mutate(String text, Random r) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                case 2 -> sb.setCharAt(at, (char) (32 + r.nextInt(95)));
                default -> sb.delete(at, Math.min(sb.length(), at + r.nextInt(20)));
            }
        }
        return sb.toString();
    }
}
