package org.onnx2trt.pipeline;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rules.RuleLibrary;

/**
 * The rule library of a run, loaded when first needed and then shared by every model of a batch,
 * with each rule selection compiled once. (The built-in rules, the slow part in a fresh JVM, may
 * already be parsing on a background thread: the command line starts them before its options.)
 */
public final class RuleSets {
    private final List<Path> ruleFiles;
    private final Map<List<List<String>>, List<CompiledRule>> selections = new HashMap<>();
    private RuleLibrary library;

    private RuleSets(List<Path> ruleFiles) {
        this.ruleFiles = List.copyOf(ruleFiles);
    }

    /** The built-in rules and those of {@code ruleFiles} (files or folders of {@code *.rw}), not loaded yet. */
    public static RuleSets of(List<Path> ruleFiles) {
        return new RuleSets(ruleFiles);
    }

    /** The built-in rules only. */
    public static RuleSets builtin() {
        return of(List.of());
    }

    /**
     * The rules of one stage, compiled (once per selection: the models of a batch share them). A
     * rule file with errors or an unknown rule name is {@link RulesUnusableException}.
     */
    public synchronized List<CompiledRule> select(List<String> only, List<String> enable, List<String> disable) {
        List<List<String>> key = List.of(List.copyOf(only), List.copyOf(enable), List.copyOf(disable));
        List<CompiledRule> chosen = selections.get(key);
        if (chosen == null) {
            try {
                if (library == null) {
                    library = RuleLibrary.withFiles(ruleFiles);
                }
                chosen = library.select(only, enable, disable);
            } catch (RuleLibrary.RuleLoadException e) {
                throw new RulesUnusableException(e.getMessage());
            }
            selections.put(key, chosen);
        }
        return chosen;
    }
}
