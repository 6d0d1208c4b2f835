package org.onnx2trt.verify.property;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The property checker's power, on rules in {@code src/test/resources/.../property}: each planted
 * rule (one mistake a rule author makes: a missing ε, an unscaled bias, a wrong axis, swapped γ and β,
 * a [C] vector taken for per-channel, a wrong constant, an unchecked keepdims or bound) is caught with a
 * shrunk counterexample; each correct rule (a BN fold, LayerNorm, Gelu, HardSwish) passes with most
 * of its instances firing. Prints tries, firing ratio and time per rule.
 */
class PlantedRulesTest {
    private static final Path DIR = Path.of("src", "test", "resources", "org", "onnx2trt", "verify", "property");
    private static final RuleProperty.Settings SETTINGS = new RuleProperty.Settings(200, 1000, 300);

    static Stream<String> planted() throws IOException {
        return files("planted");
    }

    static Stream<String> correct() throws IOException {
        return files("correct");
    }

    private static Stream<String> files(String folder) throws IOException {
        try (Stream<Path> s = Files.list(DIR.resolve(folder))) {
            return s.map(p -> folder + "/" + p.getFileName()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("planted")
    void aPlantedMistakeIsCaughtWithAShrunkCounterexample(String file) throws IOException {
        long t0 = System.nanoTime();
        RuleProperty.Outcome o = RuleProperty.check(MutationTest.compile(Files.readString(DIR.resolve(file))), SETTINGS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertNotNull(o.counterexample(), file + " was not caught: " + o.describe());
        assertTrue(o.describe().contains("shrunk in "), o.describe());
        assertTrue(seconds < 30, file + " took " + seconds + " s");
        System.out.printf(Locale.ROOT, "[planted] %-40s caught after %d tries in %.2f s%n", file, o.tries(), seconds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("correct")
    void aCorrectRulePassesWithMostInstancesFiring(String file) throws IOException {
        long t0 = System.nanoTime();
        RuleProperty.Outcome o = RuleProperty.check(MutationTest.compile(Files.readString(DIR.resolve(file))), SETTINGS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(o.passed(), o.describe());
        double firing = (double) o.fired() / o.tries();
        assertTrue(firing > 0.5, file + " fired on " + o.fired() + " of " + o.tries() + ": " + o.describe());
        System.out.printf(Locale.ROOT, "[correct] %-40s %d tries, fired %.0f%%, %.2f s%n", file, o.tries(), 100 * firing, seconds);
    }
}
