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
    public static final List<String> FILES = List.of("transpose.rw", "batchnorm.rw", "input_normalization.rw",
            "repvgg.rw", "conv_mul_add.rw", "eliminate.rw", "consecutive.rw", "gemm.rw", "pad.rw", "argmax.rw", "heads.rw", "quantize.rw",
            "equalize.rw", "qdq_flow.rw");

    /** The parsed files, once per process (their syntax trees are immutable); null until first asked. */
    private static List<RuleFile> parsed;

    private BuiltinRules() {}

    /**
     * Every shipped file, parsed and checked: the first call parses them (a few hundred ms in a
     * fresh JVM), later calls (from any thread) share that result. A caller can start this early on
     * another thread; a second caller waits for it rather than parsing again.
     */
    public static synchronized List<RuleFile> files() {
        if (parsed == null) {
            parsed = parse();
        }
        return parsed;
    }

    /**
     * Starts parsing the shipped files on a background thread and returns at once: a command that
     * will need rules calls this first, so the parsing overlaps with its own start (option parsing,
     * reading the model). {@link #files()} then waits for that parse instead of starting another.
     */
    public static void preload() {
        Thread t = new Thread(() -> {
            try {
                files();
            } catch (RuntimeException e) {
                // nothing cached: the caller's own files() parses again and reports the problem
            }
        }, "onnx2trt-builtin-rules");
        t.setDaemon(true);
        t.start();
    }

    private static List<RuleFile> parse() {
        List<RuleFile> out = new ArrayList<>();
        for (String name : FILES) {
            RuleFrontEnd.Result r = RuleFrontEnd.load(read(name), name);
            if (!r.ok()) { // a bug in a shipped file: the tests catch it first
                throw new IllegalStateException("built-in rule file " + name + " is invalid:\n" + r.diagnostics().format());
            }
            out.add(r.file());
        }
        return List.copyOf(out);
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
