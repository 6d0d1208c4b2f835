package org.onnx2trt.cli.faults;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a model's protobuf bytes, the damage a file meets on disk and on the wire:
 * truncation, flipped bits, and a length field made wrong (off by a little, or huge), which sends a
 * parser reading past its message or asking for gigabytes.
 */
final class ProtobufMutants {
    /** A mutated file and what was done to it. */
    record Mutant(String description, byte[] bytes) {}

    private ProtobufMutants() {}

    /** The mutant of {@code model} for {@code seed}: each seed one of the three kinds. */
    static Mutant of(byte[] model, long seed) {
        Random r = new Random(seed);
        return switch (r.nextInt(3)) {
            case 0 -> {
                int at = 1 + r.nextInt(model.length - 1);
                yield new Mutant("truncated at byte " + at + " of " + model.length, Arrays.copyOf(model, at));
            }
            case 1 -> {
                byte[] b = model.clone();
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int bit = r.nextInt(b.length * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                yield new Mutant(flips + " bit" + (flips == 1 ? "" : "s") + " flipped", b);
            }
            default -> {
                List<int[]> fields = new ArrayList<>();
                lengthFields(model, 0, model.length, fields, 0);
                int[] f = fields.get(r.nextInt(fields.size()));
                long value = r.nextBoolean() ? (1L << 31) - 1 - r.nextInt(1000) : Math.max(0, f[2] + r.nextInt(33) - 16);
                yield new Mutant("the length field at byte " + f[0] + " set from " + f[2] + " to " + value,
                        replace(model, f[0], f[1], varint(value)));
            }
        };
    }

    /**
     * The length fields of the length-delimited fields in {@code b[from, to)}, and of the messages
     * nested in them (each {offset, size in bytes, value}); whether the range parsed as fields.
     */
    private static boolean lengthFields(byte[] b, int from, int to, List<int[]> out, int depth) {
        int p = from;
        while (p < to) {
            long[] tag = readVarint(b, p, to);
            if (tag == null || tag[0] >>> 3 == 0) {
                return false;
            }
            p = (int) tag[1];
            switch ((int) (tag[0] & 7)) {
                case 0 -> {
                    long[] v = readVarint(b, p, to);
                    if (v == null) {
                        return false;
                    }
                    p = (int) v[1];
                }
                case 1 -> p += 8;
                case 5 -> p += 4;
                case 2 -> {
                    long[] len = readVarint(b, p, to);
                    if (len == null || len[0] > to - len[1]) {
                        return false;
                    }
                    int start = (int) len[1];
                    int end = start + (int) len[0];
                    out.add(new int[] {p, start - p, (int) len[0]});
                    List<int[]> nested = new ArrayList<>();
                    if (depth < 8 && end > start && lengthFields(b, start, end, nested, depth + 1)) {
                        out.addAll(nested);
                    }
                    p = end;
                }
                default -> {
                    return false;
                }
            }
        }
        return p == to;
    }

    /** {value, position after it}, or null when no varint ends before {@code to}. */
    private static long[] readVarint(byte[] b, int p, int to) {
        long v = 0;
        for (int shift = 0; shift < 64 && p < to; shift += 7) {
            byte x = b[p++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return new long[] {v, p};
            }
        }
        return null;
    }

    private static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] replace(byte[] b, int at, int length, byte[] with) {
        byte[] out = new byte[b.length - length + with.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(b, at + length, out, at + with.length, b.length - at - length);
        return out;
    }
}
