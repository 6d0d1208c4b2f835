package org.onnx2trt.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.ast.RuleFile;

/**
 * The rule files shipped with the tool, loaded from this module's resources and checked by the
 * same front end as users' files.
 */
public final class BuiltinRules {
    /** The shipped files, in the order their rules are offered. */
    public static final List<String> FILES = List.of("cleanup.rw", "transpose.rw", "batchnorm.rw", "normalize.rw", "repvgg.rw",
            "optimizer.rw", "eliminate.rw", "consecutive.rw", "gemm.rw", "pad.rw", "argmax.rw", "heads.rw", "quantize.rw");

    private BuiltinRules() {}

    /** Every shipped file, parsed and checked. */
    public static List<RuleFile> files() {
        List<RuleFile> out = new ArrayList<>();
        for (String name : FILES) {
            RuleFrontEnd.Result r = RuleFrontEnd.load(read(name), name);
            if (!r.ok()) { // a bug in a shipped file: the tests catch it first
                throw new IllegalStateException("built-in rule file " + name + " is invalid:\n" + r.diagnostics().format());
            }
            out.add(r.file());
        }
        return out;
    }

    /** Every shipped rule, in file order. */
    public static List<RuleDecl> rules() {
        return files().stream().flatMap(f -> f.rules().stream()).toList();
    }

    /** The text of a shipped file. */
    public static String read(String name) {
        try (InputStream in = BuiltinRules.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in rule file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
