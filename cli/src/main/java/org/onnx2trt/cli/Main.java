package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.List;
import org.onnx2trt.io.ModelFileException;
import org.onnx2trt.pipeline.PipelineInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code onnx2trt} command line. */
@Command(name = "onnx2trt", mixinStandardHelpOptions = true, version = "onnx2trt 0.1.0",
        description = {"Make ONNX models ready for TensorRT: simplify, fuse, quantize, verify, build.", ""},
        footer = {"", "Exit codes: 0 ok, 1 a check failed, 2 bad input or usage, 3 internal error, 4 not verified,"
                + " 5 TensorRT missing."})
public final class Main implements Runnable {
    /** The subcommands, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, InspectCommand.class, ConvertCommand.class,
            OptimizeCommand.class, RunCommand.class, RecipesCommand.class, VerifyCommand.class, CompareCommand.class, CalibrateCommand.class, QuantizeCommand.class, EvaluateCommand.class,
            LintCommand.class, BuildCommand.class, RunEngineCommand.class, BenchmarkCommand.class,
            LogitThresholdCommand.class, RulesCommand.class, BenchCommand.class, CommandLine.HelpCommand.class);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try `onnx2trt demo` or `onnx2trt --help`");
    }

    /** Commands that run rules: for them the built-in rules start loading before the options are even parsed. */
    private static final java.util.Set<String> RULE_COMMANDS = java.util.Set.of("optimize", "run", "demo");

    /**
     * The stack the command runs on: models nest If/Loop bodies hundreds deep, and reading, validating and
     * rewriting them recurse with the nesting (reserved address space; only what is used is committed).
     */
    private static final long STACK_BYTES = 256L << 20;

    private static final java.util.regex.Pattern PLACED_ERROR = java.util.regex.Pattern.compile("\\S+:\\d+:\\d+: error: ");

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && RULE_COMMANDS.contains(args[0])) {
            org.onnx2trt.rules.BuiltinRules.preload();
        }
        int[] code = new int[1];
        Thread t = new Thread(null, () -> code[0] = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)),
                "onnx2trt", STACK_BYTES);
        t.start();
        t.join();
        System.exit(code[0]);
    }

    /** Runs the tool in-process (tests call this): returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        // picocli reads every registered command's annotations up front (tens of ms each in a fresh
        // JVM): register only the one named, or all of them for help, errors and suggestions.
        Class<?> named = args.length == 0 ? null : COMMANDS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(args[0])).findFirst().orElse(null);
        for (Class<?> c : named == null || named == CommandLine.HelpCommand.class ? COMMANDS : List.of(named)) {
            cli.addSubcommand(c);
        }
        cli.setOut(out);
        cli.setErr(err);
        // A mistyped option is one line and where to look, not the whole usage after it (that is --help's).
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            err.println("error: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
                err.println("(see ./onnx2trt " + cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^onnx2trt ?", "")
                        + (cmd.getCommandSpec().qualifiedName().equals("onnx2trt") ? "" : " ") + "--help)");
            }
            err.flush();
            return ExitCode.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof ModelFileException || e instanceof UserError || e instanceof PipelineInputException) {
                // a rule file's or recipe's message is already `FILE:LINE:COL: error: ...`
                err.println(PLACED_ERROR.matcher(e.getMessage()).lookingAt() ? e.getMessage() : "error: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            if (e instanceof CheckFailed) {
                err.println("check failed: " + e.getMessage());
                return ExitCode.CHECK_FAILED;
            }
            err.println("internal error: " + e + " (this is a bug in onnx2trt; please report it with this trace)");
            e.printStackTrace(err);
            return ExitCode.INTERNAL_ERROR;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) { // not "not equivalent" (exit 1): the JVM ran out, say so and how to give it more
            err.println("error: out of memory (the JVM's heap is " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB): "
                    + "give it more with JAVA_OPTS=-Xmx8g, or smaller inputs");
            code = ExitCode.INTERNAL_ERROR;
        }
        out.flush();
        err.flush();
        return code;
    }
}
