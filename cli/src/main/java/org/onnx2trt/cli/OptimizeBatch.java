package org.onnx2trt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.io.ModelFileException;
import org.onnx2trt.pipeline.PipelineInputException;
import org.onnx2trt.pipeline.RulesUnusableException;

/**
 * Several models through one recipe in one process, so the JVM starts and the rules load once for
 * all of them. Each result goes into one folder under its input's file name. A model that fails (an
 * unreadable file, a check that does not pass) is reported and the others still run; the exit code
 * is the worst of theirs, and the last line lists the failures.
 */
final class OptimizeBatch {
    /** One model: reads {@code in}, writes {@code out}, returns the exit code or throws a user-facing failure. */
    interface OneModel {
        int run(Path in, Path out) throws IOException;
    }

    private final List<Path> inputs;
    private final Path folder;
    private final PrintWriter out;
    private final PrintWriter err;

    OptimizeBatch(List<Path> inputs, Path folder, PrintWriter out, PrintWriter err) {
        this.inputs = List.copyOf(inputs);
        this.folder = folder;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs {@code job} on every input. {@code singleModelOptions} maps the options that only make
     * sense for one model to whether the user gave them. {@link RulesUnusableException} stops the batch:
     * every model would fail the same way.
     */
    int run(Map<String, Boolean> singleModelOptions, OneModel job) throws IOException {
        singleModelOptions.forEach((option, given) -> {
            if (given) {
                throw new UserError(option + " applies to one model, and " + inputs.size()
                        + " were given: run the model it is for on its own");
            }
        });
        List<Path> targets = targets();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UserError(folder + ": cannot make the output folder: " + e.getMessage());
        }
        int worst = ExitCode.OK;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Path in = inputs.get(i);
            out.printf("%n[%d/%d] %s -> %s%n", i + 1, inputs.size(), in, targets.get(i));
            out.flush();
            int code;
            try {
                code = job.run(in, targets.get(i));
            } catch (RulesUnusableException e) {
                throw e; // the same for every model: stop here, once
            } catch (UserError | ModelFileException | PipelineInputException e) {
                err.println("error: " + naming(in, e.getMessage()));
                code = ExitCode.BAD_INPUT;
            } catch (CheckFailed e) {
                err.println("check failed: " + naming(in, e.getMessage()));
                code = ExitCode.CHECK_FAILED;
            }
            err.flush();
            if (code != ExitCode.OK) {
                failures.add(in + (code == ExitCode.CHECK_FAILED ? " (check failed)" : " (bad input)"));
            }
            worst = Math.max(worst, code);
        }
        out.printf("%noptimized %d of %d models into %s%s%n", inputs.size() - failures.size(), inputs.size(), folder,
                failures.isEmpty() ? "" : "; failed: " + String.join(", ", failures));
        out.flush();
        return worst;
    }

    /** {@code message}, led by the model's path unless it names it already: stderr has no per-model header. */
    private static String naming(Path in, String message) {
        return message.contains(in.toString()) ? message : in + ": " + message;
    }

    /** Each input's output file; refuses a file as the folder, two inputs of one name, and overwriting an input. */
    private List<Path> targets() {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new UserError(folder + ": is a file; with several models (or an -o ending in /), -o names a folder"
                    + " for the results");
        }
        Map<Path, Path> byName = new HashMap<>();
        List<Path> targets = new ArrayList<>();
        for (Path in : inputs) {
            Path name = in.getFileName();
            Path other = byName.putIfAbsent(name, in);
            if (other != null) {
                throw new UserError(in + " and " + other + " have the same file name, so their results would overwrite"
                        + " each other in " + folder + ": run them in separate calls");
            }
            Path target = folder.resolve(name);
            if (!Files2.differ(in, target)) {
                throw new UserError(target + ": the result would overwrite the input model; choose another -o folder");
            }
            targets.add(target);
        }
        return targets;
    }
}
