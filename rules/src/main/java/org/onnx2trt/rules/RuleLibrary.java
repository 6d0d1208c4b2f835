package org.onnx2trt.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.onnx2trt.dsl.RuleFrontEnd;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.diag.Diagnostics;
import org.onnx2trt.dsl.diag.Suggestions;
import org.onnx2trt.rewrite.CompiledRule;

/**
 * The rules a run can use: the built-in ones and those of users' {@code .rw} files, loaded at run
 * time (no rebuild), each with the file it came from.
 */
public final class RuleLibrary {
    /** A rule and where it was written. */
    public record Entry(RuleDecl rule, String source) {}

    private final Map<String, Entry> byName = new LinkedHashMap<>();

    private RuleLibrary() {}

    /** The built-in rules only. */
    public static RuleLibrary builtin() {
        RuleLibrary lib = new RuleLibrary();
        for (RuleDecl r : BuiltinRules.rules()) {
            lib.byName.put(r.name(), new Entry(r, "built-in"));
        }
        return lib;
    }

    /**
     * The built-in rules plus those of {@code paths} (files, or folders whose {@code *.rw} files are
     * read in name order). Names are unique: a user rule may not take the name of a built-in rule or
     * of another user rule (a silent replacement would run something else than the name says).
     *
     * @throws RuleLoadException with every diagnostic when a file has errors
     */
    public static RuleLibrary withFiles(List<Path> paths) throws RuleLoadException {
        RuleLibrary lib = builtin();
        StringBuilder errors = new StringBuilder();
        for (Path file : expand(paths)) {
            String text;
            try {
                text = org.onnx2trt.io.TextFiles.read(file, "a rule file");
            } catch (org.onnx2trt.io.TextFiles.TextFileException e) {
                throw new RuleLoadException(e.getMessage());
            } catch (IOException e) {
                throw new RuleLoadException(file + ": cannot read: " + e.getMessage());
            }
            RuleFrontEnd.Result r = RuleFrontEnd.load(text, file.toString());
            if (!r.ok()) {
                errors.append(r.diagnostics().format());
                continue;
            }
            for (RuleDecl rule : r.file().rules()) {
                Entry taken = lib.byName.get(rule.name());
                if (taken != null) {
                    boolean builtIn = taken.source().equals("built-in");
                    errors.append(rule.span()).append(": error: rule `").append(rule.name()).append("` has the name of ")
                            .append(builtIn ? "a built-in rule" : "a rule of " + taken.source())
                            .append("; give it a name of its own")
                            .append(builtIn ? " (to run yours instead of the built-in, also disable that one: --disable "
                                    + rule.name() + " or `disable:` in the recipe)" : "").append('\n');
                    continue;
                }
                lib.byName.put(rule.name(), new Entry(rule, file.toString()));
            }
        }
        if (errors.length() > 0) {
            throw new RuleLoadException(errors.toString().stripTrailing());
        }
        return lib;
    }

    /** Parses and checks one file without loading it: its diagnostics. */
    public static Diagnostics check(Path file) throws RuleLoadException {
        try {
            return RuleFrontEnd.load(org.onnx2trt.io.TextFiles.read(file, "a rule file"), file.toString()).diagnostics();
        } catch (org.onnx2trt.io.TextFiles.TextFileException e) {
            throw new RuleLoadException(e.getMessage());
        } catch (IOException e) {
            throw new RuleLoadException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static List<Path> expand(List<Path> paths) throws RuleLoadException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".rw")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new RuleLoadException(p + ": cannot list: " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new RuleLoadException(p + ": no such rule file or folder");
            }
        }
        return out;
    }

    /** Every rule name and tag: what recipes and --only/--enable/--disable may name. */
    public Set<String> namesAndTags() {
        Set<String> out = new java.util.TreeSet<>(byName.keySet());
        byName.values().forEach(e -> out.addAll(e.rule().metadata().tags()));
        return out;
    }

    public List<Entry> entries() {
        return List.copyOf(byName.values());
    }

    public Entry find(String name) {
        return byName.get(name);
    }

    /**
     * The rules to run: {@code only} (names or tags; empty: every rule that is not opt-in) minus
     * {@code disable} (names or tags).
     *
     * @throws RuleLoadException naming an unknown rule or tag
     */
    public List<CompiledRule> select(List<String> only, List<String> disable) throws RuleLoadException {
        return select(only, List.of(), disable);
    }

    /**
     * As {@link #select(List, List)}, with {@code enable}: opt-in rules (names or tags) added to the
     * default set.
     */
    public List<CompiledRule> select(List<String> only, List<String> enable, List<String> disable) throws RuleLoadException {
        checkKnown(only);
        checkKnown(enable);
        checkKnown(disable);
        List<CompiledRule> out = new ArrayList<>();
        for (Entry e : byName.values()) {
            RuleDecl r = e.rule();
            boolean wanted = only.isEmpty()
                    ? !r.metadata().optIn() || selects(enable, r)
                    : selects(only, r);
            if (wanted && !selects(disable, r)) {
                out.add(CompiledRule.compile(r));
            }
        }
        return out;
    }

    private static boolean selects(List<String> names, RuleDecl r) {
        return names.contains(r.name()) || r.metadata().tags().stream().anyMatch(names::contains);
    }

    private void checkKnown(List<String> names) throws RuleLoadException {
        for (String n : names) {
            boolean known = byName.containsKey(n)
                    || byName.values().stream().anyMatch(e -> e.rule().metadata().tags().contains(n));
            if (!known) {
                String close = Suggestions.closest(n, byName.keySet());
                throw new RuleLoadException("no rule or tag `" + n + "`" + (close == null ? "" : " (did you mean `" + close + "`?)")
                        + "; `onnx2trt rules list` shows them");
            }
        }
    }

    /** A rule file or selection that cannot be used: the message lists the diagnostics. */
    public static final class RuleLoadException extends Exception {
        public RuleLoadException(String message) {
            super(message, null, false, false);
        }
    }
}
