package org.onnx2trt.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users' rule files join the built-in library under names of their own. */
class RuleLibraryTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aUserRuleMayNotTakeABuiltInName() throws Exception {
        Path file = write("mine.rw", """
                rule FuseConvBatchNorm
                match
                  r = Relu(x)
                rewrite
                  r -> x
                end
                """);
        RuleLibrary.RuleLoadException e = assertThrows(RuleLibrary.RuleLoadException.class, () -> RuleLibrary.withFiles(List.of(file)));
        assertEquals(file + ":1:6: error: rule `FuseConvBatchNorm` has the name of a built-in rule; give it a name of its"
                + " own (to run yours instead of the built-in, also disable that one: --disable FuseConvBatchNorm or"
                + " `disable:` in the recipe)", e.getMessage());
    }

    @Test
    void norTheNameOfARuleInAnotherFile() throws Exception {
        String rule = """
                rule MyNoRelu
                match
                  r = Relu(x)
                rewrite
                  r -> x
                end
                """;
        Path a = write("a.rw", rule);
        Path b = write("b.rw", rule);
        RuleLibrary.RuleLoadException e = assertThrows(RuleLibrary.RuleLoadException.class, () -> RuleLibrary.withFiles(List.of(a, b)));
        assertEquals(b + ":1:6: error: rule `MyNoRelu` has the name of a rule of " + a + "; give it a name of its own",
                e.getMessage());
    }
}
