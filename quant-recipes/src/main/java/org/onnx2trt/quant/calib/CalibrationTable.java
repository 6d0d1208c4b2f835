package org.onnx2trt.quant.calib;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.onnx2trt.ir.Model;

/**
 * What calibration measured on a model: per activation tensor, by name, its range and the
 * clipping threshold {@code amax} the method chose; int8 scale = amax / 127 (symmetric, zero point
 * 0, as TensorRT quantizes). Stamped with the SHA-256 of the model it was measured on, so that a
 * table is never applied to another model.
 *
 * <p>As JSON ({@code format: "onnx2trt-calibration/1"}):
 * <pre>{@code
 * { "format": "onnx2trt-calibration/1", "model_sha256": "…", "method": "entropy", "samples": 512,
 *   "data": "calib.npz (512 samples …)",
 *   "tensors": { "input": { "amax": 2.64, "scale": 0.0208, "min": -2.1, "max": 2.64,
 *                           "clipped_fraction": 0.0001, "count": 77070336, "nan": 0 }, … } }
 * }</pre>
 */
public final class CalibrationTable {
    public static final String FORMAT = "onnx2trt-calibration/1";

    /**
     * One tensor's measurement.
     *
     * @param amax            the clipping threshold on |x| the method chose
     * @param min             the smallest value seen
     * @param max             the largest value seen
     * @param clippedFraction the fraction of values with |x| above amax
     * @param count           values seen (NaN excluded)
     * @param nanCount        NaN values seen
     * @param choice          how amax was chosen: the method, or what it fell back to and why
     * @param channelMean     the mean per channel (axis 1), what bias correction reads as E[x]; null when not
     *                        measured (rank below 2, a table from a cache or a QDQ model)
     */
    public record Range(float amax, float min, float max, double clippedFraction, long count, long nanCount,
                        String choice, float[] channelMean) {
        public Range(float amax, float min, float max, double clippedFraction, long count, long nanCount, String choice) {
            this(amax, min, max, clippedFraction, count, nanCount, choice, null);
        }

        @Override
        public boolean equals(Object o) { // the means by value, not by array identity
            return o instanceof Range r && Float.compare(amax, r.amax) == 0 && Float.compare(min, r.min) == 0
                    && Float.compare(max, r.max) == 0 && Double.compare(clippedFraction, r.clippedFraction) == 0
                    && count == r.count && nanCount == r.nanCount && java.util.Objects.equals(choice, r.choice)
                    && java.util.Arrays.equals(channelMean, r.channelMean);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(amax, min, max, clippedFraction, count, nanCount, choice)
                    + 31 * java.util.Arrays.hashCode(channelMean);
        }

        /** The int8 scale TensorRT uses: amax / 127 (0 for a tensor that was always 0). */
        public float scale() {
            return amax / 127f;
        }
    }

    /**
     * An amax whose scale ({@code amax / 127} in float32) is exactly {@code scale}, when one exists (the
     * float nearest {@code scale · 127}, or a neighbour of it); else that nearest float. A table read
     * back from scales (a calibration cache, a QDQ model) then writes the same scales again.
     */
    public static float amaxOfScale(float scale) {
        float a = scale * 127f;
        for (float candidate : new float[] {a, Math.nextUp(a), Math.nextDown(a), Math.nextUp(Math.nextUp(a)),
                Math.nextDown(Math.nextDown(a))}) {
            if (candidate / 127f == scale) {
                return candidate;
            }
        }
        return a;
    }

    private final String modelSha256;
    private final String method;
    private final int samples;
    private final String data;
    private final Map<String, Range> tensors;

    public CalibrationTable(String modelSha256, String method, int samples, String data, Map<String, Range> tensors) {
        this.modelSha256 = modelSha256;
        this.method = method;
        this.samples = samples;
        this.data = data;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public String modelSha256() {
        return modelSha256;
    }

    public String method() {
        return method;
    }

    public int samples() {
        return samples;
    }

    public String data() {
        return data;
    }

    /** Every tensor measured, in graph order. */
    public Map<String, Range> tensors() {
        return tensors;
    }

    public Optional<Range> range(String tensor) {
        return Optional.ofNullable(tensors.get(tensor));
    }

    /** The SHA-256 of the model's serialized form: what a table is stamped with. */
    public static String hash(Model model) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model.toProto().toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Refuses a table measured on another model than {@code model}.
     *
     * @param source the table's file, named in the error
     * @throws TableException saying so, and that the table must be measured again
     */
    public void checkMeasuredOn(Model model, String source) {
        String h = hash(model);
        if (!h.equals(modelSha256)) {
            throw new TableException(source + ": the table was measured on another model (sha256 "
                    + modelSha256.substring(0, Math.min(12, modelSha256.length())) + "…, this one is " + h.substring(0, 12)
                    + "…); calibrate this model again: onnx2trt calibrate MODEL --calib DATA -o TABLE");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The table as JSON text. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("model_sha256", modelSha256);
        root.put("method", method);
        root.put("samples", samples);
        root.put("data", data);
        ObjectNode ts = root.putObject("tensors");
        tensors.forEach((name, r) -> {
            ObjectNode t = ts.putObject(name);
            t.put("amax", r.amax());
            t.put("scale", r.scale());
            t.put("min", r.min());
            t.put("max", r.max());
            t.put("clipped_fraction", r.clippedFraction());
            t.put("count", r.count());
            t.put("nan", r.nanCount());
            t.put("choice", r.choice());
            if (r.channelMean() != null) {
                var mean = t.putArray("channel_mean");
                for (float m : r.channelMean()) {
                    mean.add(m);
                }
            }
        });
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a table written by {@link #toJson}.
     *
     * @throws TableException naming the file and what is wrong
     */
    public static CalibrationTable read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new TableException(file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr()
                    + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TableException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new TableException(file + ": not a calibration table (no \"format\": \"" + FORMAT + "\"); make one with"
                    + " onnx2trt calibrate MODEL --calib DATA -o TABLE");
        }
        Map<String, Range> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("tensors").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode t = e.getValue();
            if (!t.path("amax").isNumber() || t.path("amax").floatValue() < 0) {
                throw new TableException(file + ": tensor `" + e.getKey() + "` has no non-negative number \"amax\"");
            }
            tensors.put(e.getKey(), new Range(t.path("amax").floatValue(), t.path("min").floatValue(),
                    t.path("max").floatValue(), t.path("clipped_fraction").asDouble(), t.path("count").asLong(),
                    t.path("nan").asLong(), t.path("choice").asText(root.path("method").asText()), channelMean(t)));
        }
        return new CalibrationTable(root.path("model_sha256").asText(), root.path("method").asText(),
                root.path("samples").asInt(), root.path("data").asText(), tensors);
    }

    private static float[] channelMean(JsonNode t) {
        if (!t.path("channel_mean").isArray()) {
            return null;
        }
        float[] m = new float[t.path("channel_mean").size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = t.path("channel_mean").get(i).floatValue();
        }
        return m;
    }

    /** A calibration table that cannot be used: a user error naming the file. */
    public static final class TableException extends RuntimeException {
        public TableException(String message) {
            super(message);
        }
    }
}
