package org.onnx2trt.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.onnx2trt.rules.RuleLibrary;

/**
 * The rule library of a command, loading on a background thread. Parsing and checking the
 * built-in rules takes a few hundred milliseconds in a fresh JVM; started first, it overlaps with
 * reading and simplifying the model, which need no rules. One load serves every model of a batch.
 */
final class RuleLibraryLoad {
    private final FutureTask<RuleLibrary> task;

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

    /** The library, once loaded; a rule file with errors is a {@link UserError} listing them. */
    RuleLibrary get() {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the rules", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuleLibrary.RuleLoadException) {
                throw new UserError(cause.getMessage());
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

    /** Whether loading has finished and failed: then every model of a batch would fail the same way. */
    boolean failed() {
        if (!task.isDone()) {
            return false;
        }
        try {
            task.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
