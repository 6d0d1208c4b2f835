package org.onnx2trt.trt.lint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator table of TensorRT's ONNX parser ({@code onnx_parser_ops.tsv}, from onnx-tensorrt's
 * {@code docs/operators.md}): whether an op is imported at all, and the restriction its docs state.
 */
public final class ParserOps {
    /** One row: the op, whether the parser imports it, its documented types and restriction. */
    public record Entry(String op, boolean supported, String types, String restriction) {}

    private static final Map<String, Entry> TABLE = load();

    private ParserOps() {}

    public static Optional<Entry> find(String op) {
        return Optional.ofNullable(TABLE.get(op));
    }

    public static int size() {
        return TABLE.size();
    }

    private static Map<String, Entry> load() {
        Map<String, Entry> out = new HashMap<>();
        try (InputStream in = ParserOps.class.getResourceAsStream("onnx_parser_ops.tsv")) {
            if (in == null) {
                throw new IllegalStateException("missing onnx_parser_ops.tsv");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.put(f[0], new Entry(f[0], f[1].equals("Y"), f.length > 2 ? f[2] : "", f.length > 3 ? f[3] : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
