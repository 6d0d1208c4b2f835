package org.onnx2trt.testkit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Model;
import org.onnx2trt.text.GraphText;
import org.onnx2trt.text.GraphTextException;

/**
 * Mutated texts (a character or a token deleted, inserted or replaced) give a model or a
 * {@link GraphTextException}, never another exception or a hang. A mutant that parses must also
 * print and parse back to the same model.
 */
class GraphTextFuzzTest {
    private static final String[] TOKENS = {"<", ">", "(", ")", "[", "]", "{", "}", ",", ":", "=", "=>", "-", "?", "#",
        "\"", "\\", ".", "ir_version", "opset_import", "random", "zeros", "ones", "true", "nan", "inf", "seq", "float",
        "int64", "bool", "If", "Relu", "x", "y", "then_branch", "0", "7", "1.5", "1e-3", "99999999999999999999",
        "\"com.acme\"", "\n", " ", "ü"};
    private static final String[] SOURCES = {GraphTextRoundTripTest.EVERY_FORM, GraphTextRoundTripTest.IF_AND_CUSTOM_DOMAIN,
        GraphTextRoundTripTest.CONV_BN};
    private static final int MUTANTS = 500;

    @Test
    void mutated_texts_give_a_model_or_a_graph_text_exception() {
        Random random = new Random(20240611);
        int parsed = 0;
        for (int i = 0; i < MUTANTS; i++) {
            String text = mutate(SOURCES[i % SOURCES.length], random);
            if (check(text, i)) {
                parsed++;
            }
        }
        assertTrue(parsed > 10 && parsed < MUTANTS - 100, parsed + " of " + MUTANTS + " mutants parse: the mutations"
                + " should break most texts but not all");
    }

    /** Whether the text parsed; fails the test on any other outcome than a model or a GraphTextException. */
    private static boolean check(String text, int mutant) {
        String context = "mutant " + mutant + ":\n" + text;
        boolean[] ok = new boolean[1];
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            Model m;
            try {
                m = GraphText.parse(text, "fuzz.txt", 1);
            } catch (GraphTextException e) {
                assertTrue(e.getMessage().matches("(?s)fuzz\\.txt:\\d+:\\d+: error: \\S.*"), e.getMessage());
                return;
            } catch (RuntimeException | Error e) {
                fail("the parser threw " + e + " on " + context, e);
                return;
            }
            String printed;
            Model again;
            try {
                printed = GraphText.print(m);
                again = GraphText.parse(printed, "printed", 1);
            } catch (RuntimeException e) {
                fail("print or parse back failed on " + context, e);
                return;
            }
            assertNull(StructuralDiff.compare(m, again, StructuralDiff.Options.DEFAULT.withAllData(0)),
                    context + "\nprinted:\n" + printed);
            ok[0] = true;
        }, () -> "parsing took over 2 s: " + context);
        return ok[0];
    }

    private static String mutate(String text, Random r) {
        StringBuilder sb = new StringBuilder(text);
        int at = r.nextInt(sb.length());
        switch (r.nextInt(5)) {
            case 0 -> sb.deleteCharAt(at);
            case 1 -> sb.insert(at, (char) (32 + r.nextInt(95)));
            case 2 -> sb.setCharAt(at, (char) (32 + r.nextInt(95)));
            case 3 -> sb.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
            default -> { // replace the token (a run of letters and digits, or one other character) at `at`
                int end = at;
                while (end < sb.length() && Character.isLetterOrDigit(sb.charAt(end))) {
                    end++;
                }
                sb.replace(at, Math.max(end, at + 1), TOKENS[r.nextInt(TOKENS.length)]);
            }
        }
        return sb.toString();
    }
}
