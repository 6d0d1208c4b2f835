package org.onnx2trt.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.onnx2trt.pipeline.RunReport;
import org.onnx2trt.pipeline.StageReport;
import org.onnx2trt.quant.calib.CalibrationCache;
import org.onnx2trt.quant.calib.CalibrationTable;
import picocli.CommandLine.Option;

/**
 * {@code --calibration-cache FILE [--cache-trt-version V]}: a legacy TensorRT INT8 calibration cache
 * written beside the model, for devices on TensorRT 10 or older (Jetson, DLA) whose implicit
 * quantization reads scales instead of QDQ nodes; the scales are those of the QDQ model.
 */
final class CacheOptions {
    /** What Jetson's JetPack 6 ships, the newest TensorRT that still reads a cache. */
    static final String DEFAULT_VERSION = "10.3.0";

    @Option(names = "--calibration-cache", paramLabel = "FILE",
            description = "also write TensorRT's legacy INT8 calibration cache (TRT-<version>-EntropyCalibration2, one"
                    + " `tensor: hex of the float32 scale amax/127` line per activation) for TensorRT 10 or older")
    Path file;

    @Option(names = "--cache-trt-version", paramLabel = "V",
            description = "the TensorRT version the cache is for, in its header (default: " + DEFAULT_VERSION
                    + "; 8.6.1 writes TRT-8601)")
    String version;

    /** Checks the options before any work: a version TensorRT wrote caches for (where the file goes is {@link PathGuard}'s). */
    void check() {
        if (file == null) {
            if (version != null) {
                throw new UserError("--cache-trt-version goes with --calibration-cache FILE");
            }
            return;
        }
        try {
            CalibrationCache.versionNumber(trtVersion());
        } catch (CalibrationCache.CacheException e) {
            throw new UserError("--cache-trt-version: " + e.getMessage());
        }
    }

    String trtVersion() {
        return version != null ? version : DEFAULT_VERSION;
    }

    /** The run's table: the last calibrate or import_qdq stage's; null when the run had none. */
    static CalibrationTable table(RunReport report) {
        CalibrationTable table = null;
        for (StageReport s : report.stages()) {
            if (s instanceof StageReport.Calibrated c) {
                table = c.table();
            } else if (s instanceof StageReport.QdqImported q) {
                table = q.ranges();
            }
        }
        return table;
    }

    /** Writes the cache of {@code table} (atomically) and says so. */
    void write(CalibrationTable table, java.io.PrintWriter out) {
        String text = CalibrationCache.write(table, trtVersion());
        Files2.writeReport(file, text.getBytes(StandardCharsets.US_ASCII));
        long lines = text.lines().count() - 1;
        out.printf("wrote %s (%s, %d tensor scale%s)%n", file, text.lines().findFirst().orElse(""), lines, lines == 1 ? "" : "s");
    }
}
