package org.onnx2trt.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rules.RuleLibrary;

/**
 * The rule library of a command, loading on a background thread. Parsing and checking the
 * built-in rules takes a few hundred milliseconds in a fresh JVM; started first, it overlaps with
 * reading and simplifying the model, which need no rules. One load serves every model of a batch.
 */
final class RuleLibraryLoad {
    private final FutureTask<RuleLibrary> task;
    private final Map<List<List<String>>, List<CompiledRule>> selections = new ConcurrentHashMap<>();

    private RuleLibraryLoad(List<Path> ruleFiles) {
        List<Path> files = List.copyOf(ruleFiles);
        task = new FutureTask<>(() -> RuleLibrary.withFiles(files));
    }

    /** Starts loading the built-in rules and {@code ruleFiles} (files or folders of {@code *.rw}). */
    static RuleLibraryLoad start(List<Path> ruleFiles) {
        RuleLibraryLoad load = new RuleLibraryLoad(ruleFiles);
        Thread t = new Thread(load.task, "onnx2trt-rule-loading");
        t.setDaemon(true); // a command that fails early does not wait for it
        t.start();
        return load;
    }

    /**
     * The rules of one stage, compiled (once per selection: the models of a batch share them).
     * Waits for the library; a rule file with errors or an unknown name is {@link RulesUnusable}.
     */
    List<CompiledRule> select(List<String> only, List<String> enable, List<String> disable) {
        RuleLibrary library = get();
        List<List<String>> key = List.of(List.copyOf(only), List.copyOf(enable), List.copyOf(disable));
        List<CompiledRule> chosen = selections.get(key);
        if (chosen == null) {
            try {
                chosen = library.select(only, enable, disable);
            } catch (RuleLibrary.RuleLoadException e) {
                throw new RulesUnusable(e.getMessage());
            }
            selections.put(key, chosen);
        }
        return chosen;
    }

    /** The library, once loaded; a rule file with errors is {@link RulesUnusable}, listing them. */
    private RuleLibrary get() {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the rules", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuleLibrary.RuleLoadException) {
                throw new RulesUnusable(cause.getMessage());
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
