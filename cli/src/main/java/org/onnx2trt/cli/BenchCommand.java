package org.onnx2trt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onnx2trt.bench.BenchSuites;
import org.onnx2trt.bench.CalibrationBenchmark;
import org.onnx2trt.bench.GateBenchmark;
import org.onnx2trt.bench.Int8CpuBenchmark;
import org.onnx2trt.bench.OptimizeVsOrtBenchmark;
import org.onnx2trt.bench.VerifyBenchmark;
import org.onnx2trt.rules.RuleLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code onnx2trt bench io}: load + save timings of generated models, in-process, after warm-up.
 * Figures: milliseconds per load+save of many-node models, and MB/s with peak heap for a model of
 * large weights, inline and as external data, beside a plain file copy of the same bytes.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the tool's speed on generated models.",
                "`bench io`: load + save of a many-node model, and of large weights inline and as",
                "external data, beside a plain file copy of the same bytes.",
                "`bench rewrite`: the default rules on Conv-BN-Relu(+Add) chains of growing size.",
                "`bench verify`: optimize's check on a ResNet-18-shaped model against plain inference.",
                "`bench optimize FILE...`: node counts and time of the default recipe (no verify) beside "
                        + "onnxruntime's BASIC offline optimization.",
                "`bench gate [FILE...]`: the verify gate's false alarms on correct rewrites (the files, and deep",
                "ResNet-50, RegNetX-400MF, EfficientNet-B0 shapes) and its detections of planted wrong rules,",
                "with the noise floor and with atol/rtol alone.",
                "`bench calibrate`: calibration (minmax, entropy) against plain inference of the same samples on a",
                "ResNet-18-shaped model, and its peak heap on a set ten times larger.",
                "`bench int8 [FILE...]`: int8 (placed for ort-cpu) against float latency in onnxruntime on this CPU,",
                "batch 1, with the int8 kernels it runs and the output SNR (a ResNet-18 shape without FILE).",
                "`bench faults`: the fault suite: bad model files and structures, protobuf mutants, rule files, recipes,",
                "sample files, paths and options through every command; exit 1 when any is answered wrongly."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SUITE",
            description = "the benchmark to run: io, rewrite, verify, optimize, gate, calibrate, int8, faults")
    String suite;

    @Parameters(index = "1..*", paramLabel = "FILE", description = "optimize, gate, int8: the models to compare on")
    List<Path> files = new ArrayList<>();

    @Option(names = "--sizes", split = ",", defaultValue = "10000,40000,160000",
            description = "rewrite: node counts of the Conv→BN→Relu+Add chains (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--nodes", defaultValue = "100000", description = "nodes of the large-graph model; a quarter-size one runs first to show growth (default: ${DEFAULT-VALUE}; 0 skips)")
    int nodes;

    @Option(names = "--weights-mib", defaultValue = "1024", description = "MiB of weights of the large-weights model (default: ${DEFAULT-VALUE}; 0 skips)")
    long weightsMib;

    @Option(names = "--repeat", defaultValue = "5", description = "timed repetitions after warm-up (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--width-divisor", defaultValue = "2",
            description = "gate: the deep models' channel widths divided by this (default: ${DEFAULT-VALUE}; 1 is full width)")
    int widthDivisor;

    @Option(names = "--image-size", defaultValue = "96",
            description = "gate: the deep models' input height and width (default: ${DEFAULT-VALUE})")
    int imageSize;

    @Option(names = "--calib-samples", defaultValue = "16",
            description = "calibrate: samples of the timed set; the memory check also runs ten times as many (default: ${DEFAULT-VALUE})")
    int calibSamples;

    @Option(names = "--mutants", defaultValue = "300",
            description = "faults: seeded protobuf mutants of the sample model, each read by inspect and convert (default: ${DEFAULT-VALUE})")
    int mutants;

    @Option(names = "--dir", paramLabel = "DIR", description = "scratch folder (default: a new temporary folder, deleted after)")
    Path dir;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        BenchSuites suites = new BenchSuites(out, repeat);
        if (suite.equals("rewrite")) {
            suites.rewrite(sizes);
            return ExitCode.OK;
        }
        if (suite.equals("optimize")) {
            if (files.isEmpty()) {
                throw new UserError("bench optimize needs model files, e.g. testdata/exports/*.onnx");
            }
            try {
                new OptimizeVsOrtBenchmark(out, repeat).run(files);
            } catch (RuleLibrary.RuleLoadException e) {
                throw new IllegalStateException(e);
            }
            return ExitCode.OK;
        }
        if (suite.equals("verify")) {
            new VerifyBenchmark(out, repeat).run();
            return ExitCode.OK;
        }
        if (suite.equals("gate")) {
            if (widthDivisor < 1 || imageSize < 32) {
                throw new UserError("bench gate: --width-divisor must be 1 or more and --image-size 32 or more");
            }
            new GateBenchmark(out).run(files, widthDivisor, imageSize);
            return ExitCode.OK;
        }
        if (suite.equals("calibrate")) {
            Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("onnx2trt-bench");
            try {
                new CalibrationBenchmark(out, repeat).run(scratch, calibSamples);
            } finally {
                if (dir == null) {
                    BenchSuites.deleteTree(scratch);
                }
            }
            return ExitCode.OK;
        }
        if (suite.equals("int8")) {
            Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("onnx2trt-bench");
            try {
                new Int8CpuBenchmark(out, repeat).run(files, scratch);
            } finally {
                if (dir == null) {
                    BenchSuites.deleteTree(scratch);
                }
            }
            return ExitCode.OK;
        }
        if (suite.equals("faults")) {
            Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("onnx2trt-faults");
            try {
                var verdicts = org.onnx2trt.cli.faults.FaultSuite.run(org.onnx2trt.cli.faults.FaultCases.full(mutants), scratch, out);
                return verdicts.stream().allMatch(org.onnx2trt.cli.faults.FaultVerdict::passed) ? ExitCode.OK : ExitCode.CHECK_FAILED;
            } finally {
                if (dir == null) {
                    BenchSuites.deleteTree(scratch);
                }
            }
        }
        if (!suite.equals("io")) {
            throw new UserError("unknown benchmark `" + suite + "`; the suites are: io, rewrite, verify, optimize, gate,"
                    + " calibrate, int8, faults");
        }
        Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("onnx2trt-bench");
        try {
            if (nodes > 0) {
                suites.nodes(scratch, nodes / 4);
                suites.nodes(scratch, nodes);
            }
            if (weightsMib > 0) {
                suites.weights(scratch, weightsMib);
            }
        } finally {
            if (dir == null) {
                BenchSuites.deleteTree(scratch);
            }
        }
        return ExitCode.OK;
    }
}
