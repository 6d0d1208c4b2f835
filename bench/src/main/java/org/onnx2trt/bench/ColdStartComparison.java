package org.onnx2trt.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.verify.OrtBasicOffline;
import org.onnx2trt.verify.OrtLatency;

/**
 * The whole corpus in one command from a cold start, as a user runs it: the wall time of a new
 * process running {@code onnx2trt optimize --no-verify -o DIR FILE...} (through the launcher, with
 * its Java and JIT settings, when bench was started by it), beside a new JVM running onnxruntime's
 * BASIC offline optimization over the same files ({@link OrtBasicOffline}). Both pay their start:
 * ours the JVM's warm-up and loading the rules, onnxruntime the JVM and its native library.
 */
public final class ColdStartComparison {
    /** Median wall times in ms over {@code rounds} alternating runs: ours, then onnxruntime's. */
    record Times(double ours, double onnxruntime, String oursCommand) {}

    private ColdStartComparison() {}

    /** The times, or null when two files share a name (one command cannot write both results into one folder). */
    static Times measure(List<Path> files, Path scratch, int rounds) throws IOException, InterruptedException {
        if (files.stream().map(Path::getFileName).distinct().count() < files.size()) {
            return null;
        }
        List<String> names = files.stream().map(Path::toString).toList();
        List<String> ours = new ArrayList<>(oursCommand());
        ours.addAll(List.of("optimize", "--no-verify", "-o", scratch.resolve("cold-ours").toString()));
        ours.addAll(names);
        List<String> ort = new ArrayList<>(List.of(javaCommand(), "-cp", classPath(), OrtBasicOffline.class.getName(),
                scratch.resolve("cold-ort").toString()));
        ort.addAll(names);
        double[] o = new double[rounds];
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            o[i] = wallMs(ours, scratch);
            r[i] = wallMs(ort, scratch);
        }
        String shown = ours.size() > 8 ? String.join(" ", ours.subList(0, ours.size() - names.size())) + " FILE..." : String.join(" ", ours);
        return new Times(OrtLatency.median(o), OrtLatency.median(r), shown);
    }

    /** The launcher when bench runs under it (its Java, JIT and cache settings), else this JVM on this jar. */
    private static List<String> oursCommand() {
        String launcher = System.getenv("ONNX2TRT_LAUNCHER");
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            return List.of(launcher);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(javaCommand());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", classPath(), "org.onnx2trt.cli.Main")); // by name: the cli module sits above this one
        return cmd;
    }

    /** The java the launcher chose, else this process's. */
    private static String javaCommand() {
        String chosen = System.getenv("ONNX2TRT_JAVA_USED");
        if (chosen != null && !chosen.isEmpty()) {
            return chosen;
        }
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    private static double wallMs(List<String> command, Path scratch) throws IOException, InterruptedException {
        Path log = scratch.resolve("cold.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = p.waitFor();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (code != 0) {
            throw new IllegalStateException("`" + String.join(" ", command) + "` exited with " + code + ":\n"
                    + Files.readString(log));
        }
        return ms;
    }
}
