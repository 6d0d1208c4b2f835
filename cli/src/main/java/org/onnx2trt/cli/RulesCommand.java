package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onnx2trt.dsl.ast.Check;
import org.onnx2trt.dsl.ast.Metadata;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.diag.Diagnostics;
import org.onnx2trt.dsl.diag.Suggestions;
import org.onnx2trt.rewrite.CompiledRule;
import org.onnx2trt.rules.RuleLibrary;
import org.onnx2trt.verify.property.RuleProperty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt rules list|explain|check}. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"List, explain and check rewrite rules.",
                "The built-in rules, plus your own .rw files given with --rules."},
        subcommands = {RulesCommand.ListRules.class, RulesCommand.Explain.class, RulesCommand.CheckFile.class})
final class RulesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, explain or check");
    }

    static RuleLibrary library(List<Path> files) {
        try {
            return RuleLibrary.withFiles(files);
        } catch (RuleLibrary.RuleLoadException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the rules: name, tags, root ops, source.")
    static final class ListRules implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--rules", paramLabel = "FILE_OR_DIR", description = "rule files or folders to add")
        List<Path> files = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<RuleLibrary.Entry> entries = library(files).entries();
            int width = entries.stream().mapToInt(e -> e.rule().name().length()).max().orElse(4);
            out.printf("%-" + width + "s  %-18s  %-24s  %s%n", "rule", "tags", "starts at", "source");
            for (RuleLibrary.Entry e : entries) {
                RuleDecl r = e.rule();
                String tags = String.join(",", r.metadata().tags()) + (r.metadata().optIn() ? " (opt-in)" : "");
                out.printf("%-" + width + "s  %-18s  %-24s  %s%n", r.name(), tags,
                        String.join("|", CompiledRule.compile(r).rootOps()), e.source());
            }
            out.printf("%d rules; opt-in rules run only when a recipe, --enable or --only names them or a tag of theirs%n",
                    entries.size());
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true, description = "Show a rule: its algebra, when it applies, its checks.")
    static final class Explain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "the rule")
        String name;

        @Option(names = "--rules", paramLabel = "FILE_OR_DIR", description = "rule files or folders to add")
        List<Path> files = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            RuleLibrary lib = library(files);
            RuleLibrary.Entry e = lib.find(name);
            if (e == null) {
                String close = Suggestions.closest(name,
                        lib.entries().stream().map(x -> x.rule().name()).toList());
                throw new UserError("no rule `" + name + "`" + (close == null ? "" : " (did you mean `" + close + "`?)")
                        + "; `onnx2trt rules list` shows them");
            }
            RuleDecl r = e.rule();
            Metadata m = r.metadata();
            out.printf("%s  (%s, %s)%n", r.name(), e.source(), r.span());
            r.doc().forEach(d -> out.println("  " + d));
            out.printf("starts at   %s%n", String.join(" | ", CompiledRule.compile(r).rootOps()));
            out.printf("opsets      %s%n", m.opsetFrom() == 0 && m.opsetTo() == Integer.MAX_VALUE ? "any"
                    : m.opsetFrom() + ".." + (m.opsetTo() == Integer.MAX_VALUE ? "" : m.opsetTo()));
            out.printf("benefit     %d%n", m.benefit());
            out.printf("tags        %s%n", m.tags().isEmpty() ? "(none)" : String.join(", ", m.tags()));
            out.println("declines when");
            for (Check c : r.checks()) {
                out.println("  - " + c.message());
            }
            if (r.checks().isEmpty()) {
                out.println("  (no checks: every structural match is rewritten)");
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Parse and check .rw files (or, with --builtin, the built-in rules); exit code 2 with"
                    + " diagnostics on any error, a rule named like a built-in or like another file's included.",
                    "With --verify, each rule is also run on generated instances of its own pattern "
                            + "(onnxruntime before and after); exit code 1 with a shrunk counterexample when one breaks,"
                            + " 4 when a rule could not be verified (no instance could be built, or none fired)."})
    static final class CheckFile implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "0..*", description = "rule files")
        List<Path> files = new ArrayList<>();

        @Option(names = "--builtin", description = "check the built-in rules (with --verify: verify them too)")
        boolean builtin;

        @Option(names = "--verify", description = "check each rule's equivalence on generated instances")
        boolean verify;

        @Option(names = "--tries", paramLabel = "N", description = "instances per rule (default: ${DEFAULT-VALUE})")
        int tries = 200;

        @Option(names = "--seed", paramLabel = "S",
                description = "seed of the first instance; instance i uses S + i (default: random, printed)")
        Long seed;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (files.isEmpty() && !builtin) {
                throw new UserError("rules check: give rule files, or --builtin to check the built-in rules");
            }
            boolean failed = false;
            for (Path f : files) {
                Diagnostics d;
                try {
                    d = RuleLibrary.check(f);
                } catch (RuleLibrary.RuleLoadException e) {
                    throw new UserError(e.getMessage());
                }
                if (d.hasErrors()) {
                    err.print(d.format());
                    failed = true;
                    continue;
                }
                try {
                    RuleLibrary.withFiles(List.of(f)); // loads beside the built-ins, as --rules will
                } catch (RuleLibrary.RuleLoadException clash) {
                    err.println(clash.getMessage());
                    failed = true;
                    continue;
                }
                out.printf("%s: ok%n", f);
                if (!d.list().isEmpty()) {
                    err.print(d.format());
                }
            }
            if (!failed && files.size() > 1) {
                try {
                    RuleLibrary.withFiles(files); // and beside each other
                } catch (RuleLibrary.RuleLoadException clash) {
                    err.println(clash.getMessage());
                    failed = true;
                }
            }
            if (builtin) {
                out.printf("built-in rules: %d, ok%n", RuleLibrary.builtin().entries().size());
            }
            out.flush();
            err.flush();
            if (failed) {
                return ExitCode.BAD_INPUT;
            }
            if (verify) {
                return verifyRules(out, err);
            }
            return ExitCode.OK;
        }

        private int verifyRules(PrintWriter out, PrintWriter err) {
            if (tries < 1) {
                throw new UserError("--tries " + tries + ": give at least 1");
            }
            long first = seed != null ? seed : Math.floorMod(System.nanoTime(), 1_000_000_000L);
            List<RuleLibrary.Entry> entries;
            try {
                entries = RuleLibrary.withFiles(files).entries().stream()
                        .filter(e -> builtin || !e.source().equals("built-in")).toList();
            } catch (RuleLibrary.RuleLoadException e) {
                throw new UserError(e.getMessage());
            }
            out.printf("verifying %d rule%s on %d generated instances each, seed %d%n", entries.size(),
                    entries.size() == 1 ? "" : "s", tries, first);
            List<String> broken = new ArrayList<>();
            List<String> unverified = new ArrayList<>();
            for (RuleLibrary.Entry e : entries) {
                long t0 = System.nanoTime();
                RuleProperty.Outcome o = RuleProperty.check(CompiledRule.compile(e.rule()),
                        new RuleProperty.Settings(tries, first, 300));
                out.printf("%-5s %s%n", o.status(), o.describe());
                out.printf(java.util.Locale.ROOT, "      %.1f s%n", (System.nanoTime() - t0) / 1e9);
                out.flush();
                if (o.refuted()) {
                    broken.add(e.rule().name());
                } else if (!o.passed()) {
                    unverified.add(e.rule().name());
                }
            }
            if (!broken.isEmpty()) {
                throw new CheckFailed(String.join(", ", broken) + (broken.size() == 1 ? " does" : " do")
                        + " not hold on generated instances; replay with --seed " + first);
            }
            if (!unverified.isEmpty()) {
                err.println("not verified: " + String.join(", ", unverified) + " (no instance " + (unverified.size() == 1
                        ? "of it" : "of them") + " could be built, or none fired; nothing was shown wrong)");
                err.flush();
                return ExitCode.NOT_VERIFIED;
            }
            return ExitCode.OK;
        }
    }
}