package org.onnx2trt.quant.calib;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TensorRT's legacy INT8 calibration cache, for devices still on TensorRT 10 or older (Jetson, DLA),
 * whose implicit quantization reads per-tensor scales instead of QDQ nodes. TensorRT 11 builds
 * strongly typed networks only and reads no cache: the QDQ model is the way there.
 *
 * <p>The text TensorRT's IInt8EntropyCalibrator2 writes:
 * <pre>
 * TRT-100300-EntropyCalibration2
 * input: 3c8b4396
 * /conv1/Relu_output_0: 3d1e5f0a
 * </pre>
 * The header carries TensorRT's version number as its headers form it (NV_TENSORRT_VERSION: major·1000
 * + minor·100 + patch before TensorRT 10, major·10000 + minor·100 + patch from 10 on); each line names a
 * tensor and gives its scale, amax / 127, as the 8 lowercase hex digits of the float32's bits.
 */
public final class CalibrationCache {
    private CalibrationCache() {}

    /** The calibrator named in the header: TensorRT's default (entropy, version 2). */
    public static final String CALIBRATOR = "EntropyCalibration2";

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final Pattern HEADER = Pattern.compile("TRT-(\\d+)-(\\w+)");
    private static final Pattern LINE = Pattern.compile("(.+): ([0-9a-fA-F]{1,8})");

    /** The version number TensorRT {@code version} ("8.6.1", "10.3") writes in a cache's header. */
    public static long versionNumber(String version) {
        Matcher m = VERSION.matcher(version == null ? "" : version.trim());
        if (!m.matches()) {
            throw new CacheException("TensorRT version `" + version + "`: give it as MAJOR.MINOR[.PATCH], e.g. 8.6.1 or 10.3.0");
        }
        long major = Long.parseLong(m.group(1));
        long minor = Long.parseLong(m.group(2));
        long patch = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        if (major >= 11) {
            throw new CacheException("TensorRT " + version + " reads no calibration cache (it builds strongly typed networks"
                    + " from the QDQ model only); a cache is for TensorRT 10 or older: give --cache-trt-version 10.3.0, say");
        }
        if (major < 5 || minor > 99 || patch > 99) {
            throw new CacheException("TensorRT version `" + version + "`: calibration caches exist for TensorRT 5 to 10");
        }
        return major >= 10 ? major * 10000 + minor * 100 + patch : major * 1000 + minor * 100 + patch;
    }

    /** The cache text for {@code table}'s tensors (those with a positive amax), in the table's order. */
    public static String write(CalibrationTable table, String trtVersion) {
        StringBuilder out = new StringBuilder("TRT-" + versionNumber(trtVersion) + "-" + CALIBRATOR + "\n");
        for (Map.Entry<String, CalibrationTable.Range> e : table.tensors().entrySet()) {
            float scale = e.getValue().scale();
            if (scale > 0 && Float.isFinite(scale)) {
                out.append(e.getKey()).append(": ").append(String.format("%08x", Float.floatToRawIntBits(scale))).append('\n');
            }
        }
        return out.toString();
    }

    /** What a cache file holds: the header's version number and calibrator, and the table it stands for. */
    public record Read(long versionNumber, String calibrator, CalibrationTable table) {}

    /**
     * Reads a cache: each scale s becomes a range of amax = s · 127 (an amax that gives s back exactly,
     * {@link CalibrationTable#amaxOfScale}); the table carries no model hash (a cache has none).
     *
     * @throws CacheException naming the file, the line and what is wrong
     */
    public static Read read(Path file) {
        List<String> lines;
        try {
            byte[] bytes = Files.readAllBytes(file);
            lines = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString().lines().toList();
        } catch (CharacterCodingException e) {
            throw new CacheException(file + ": not a text file (a TensorRT calibration cache is text: TRT-<version>-"
                    + CALIBRATOR + ", then `tensor: hex` lines)");
        } catch (IOException e) {
            throw new CacheException(file + ": cannot read: " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new CacheException(file + ":1:1: empty; a calibration cache starts with TRT-<version>-" + CALIBRATOR);
        }
        Matcher header = HEADER.matcher(lines.get(0).strip());
        if (!header.matches()) {
            throw new CacheException(file + ":1:1: not a TensorRT calibration cache header (`" + abbreviate(lines.get(0))
                    + "`); expected TRT-<version>-<calibrator>, e.g. TRT-8601-" + CALIBRATOR);
        }
        Map<String, CalibrationTable.Range> tensors = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new CacheException(file + ":" + (i + 1) + ":1: expected `tensor: hex` (a name and the 8 hex digits of a"
                        + " float32 scale), got `" + abbreviate(line) + "`");
            }
            float scale = Float.intBitsToFloat((int) Long.parseLong(m.group(2), 16));
            if (!(scale > 0) || !Float.isFinite(scale)) {
                throw new CacheException(file + ":" + (i + 1) + ":" + (m.start(2) + 1) + ": the scale of `" + m.group(1) + "` is "
                        + scale + "; a scale must be a positive finite float");
            }
            if (tensors.containsKey(m.group(1))) {
                throw new CacheException(file + ":" + (i + 1) + ":1: `" + m.group(1) + "` is given twice");
            }
            float amax = CalibrationTable.amaxOfScale(scale);
            tensors.put(m.group(1), new CalibrationTable.Range(amax, -amax, amax, 0, 0, 0, "calibration cache"));
        }
        String source = file + " (TRT-" + header.group(1) + "-" + header.group(2) + ")";
        return new Read(Long.parseLong(header.group(1)), header.group(2), new CalibrationTable("", "calibration-cache", 0, source, tensors));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** A cache that cannot be written or read: a user error. */
    public static final class CacheException extends RuntimeException {
        public CacheException(String message) {
            super(message);
        }
    }
}
