package org.onnx2trt.sample.npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * numpy's {@code .npy} format (versions 1.0, 2.0 and 3.0): the magic {@code \x93NUMPY}, a version,
 * a header length, a Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape':
 * (2, 3), }} padded with spaces to a multiple of 64 bytes, then the raw elements.
 *
 * <p>Read: bool, int8–64, uint8–64, float16/32/64, either byte order, C or Fortran order (reordered
 * to C order). Written: little-endian, C order, version 1.0 (2.0 when the header needs it), as
 * {@code numpy.save} does. Object, string, complex and structured arrays are refused with a reason.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private static final Map<String, DataType> TYPES = Map.ofEntries(
            Map.entry("b1", DataType.BOOL), Map.entry("i1", DataType.INT8), Map.entry("u1", DataType.UINT8),
            Map.entry("i2", DataType.INT16), Map.entry("u2", DataType.UINT16), Map.entry("i4", DataType.INT32),
            Map.entry("u4", DataType.UINT32), Map.entry("i8", DataType.INT64), Map.entry("u8", DataType.UINT64),
            Map.entry("f2", DataType.FLOAT16), Map.entry("f4", DataType.FLOAT), Map.entry("f8", DataType.DOUBLE));

    private Npy() {}

    /**
     * The most bytes one array read whole may hold: 1 GiB (and a quarter of the JVM's heap at most), so
     * that a damaged or huge file is refused before its data is read, not after memory runs out. A data
     * set larger than that is a folder of smaller files, read one at a time.
     */
    public static long maxArrayBytes() {
        return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
    }

    private static void checkSize(long bytes, long[] dims, String descr, String source) throws NpyException {
        if (bytes > maxArrayBytes()) {
            throw new NpyException(source + ": the array is " + shapeText(dims) + " of " + descr + ", " + bytes + " bytes,"
                    + " more than the " + maxArrayBytes() + " one array may hold here; split it into several files (a folder"
                    + " of .npz files is read one at a time), or give the JVM more memory (JAVA_OPTS=-Xmx...)");
        }
    }

    /** Reads the .npy file {@code file} (its size checked before it is read). */
    public static Tensor read(java.nio.file.Path file, String name) throws NpyException, java.io.IOException {
        long size = java.nio.file.Files.size(file);
        if (size > maxArrayBytes() + (1 << 20)) {
            throw new NpyException(file + ": " + size + " bytes, more than the " + maxArrayBytes() + " one array may hold"
                    + " here; split it into several files (a folder of .npz files is read one at a time)");
        }
        return read(java.nio.file.Files.readAllBytes(file), file.toString(), name);
    }

    /**
     * The bytes of one .npy file from {@code in} (an .npz entry being inflated): the header first, and
     * the data only when the size it declares is within {@link #maxArrayBytes}, so an archive that would
     * inflate past it is refused after reading its header alone.
     */
    static byte[] readBounded(java.io.InputStream in, String source) throws NpyException, java.io.IOException {
        byte[] prefix = in.readNBytes(12);
        if (prefix.length < 10 || !ByteBuffer.wrap(prefix, 0, 6).equals(ByteBuffer.wrap(MAGIC))) {
            byte[] rest = in.readNBytes(1 << 16);
            byte[] all = java.util.Arrays.copyOf(prefix, prefix.length + rest.length);
            System.arraycopy(rest, 0, all, prefix.length, rest.length);
            return all; // not a .npy: read() says so
        }
        int major = prefix[6];
        int headerLength = major == 1 ? Short.toUnsignedInt(ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getShort(8))
                : ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
        int fixed = major == 1 ? 10 : 12;
        if (headerLength < 0 || headerLength > (1 << 20)) {
            throw new NpyException(source + ": a header of " + headerLength + " bytes: the file is damaged");
        }
        byte[] head = new byte[fixed + headerLength];
        System.arraycopy(prefix, 0, head, 0, Math.min(prefix.length, head.length));
        int have = Math.min(prefix.length, head.length);
        byte[] more = in.readNBytes(head.length - have);
        System.arraycopy(more, 0, head, have, more.length);
        if (have + more.length < head.length) {
            throw truncated(source);
        }
        Header h = parseHeader(new String(head, fixed, headerLength, major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1), source);
        long bytes = Tensor.elementCount(h.dims()) * h.type().byteSize(1);
        checkSize(bytes, h.dims(), h.descr(), source);
        byte[] data = in.readNBytes((int) bytes);
        byte[] all = java.util.Arrays.copyOf(head, head.length + data.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        return all;
    }

    /**
     * Parses one array.
     *
     * @param source the file (and entry, for .npz) named in errors
     * @param name the tensor's name
     */
    public static Tensor read(byte[] file, String source, String name) throws NpyException {
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 10 || !ByteBuffer.wrap(file, 0, 6).equals(ByteBuffer.wrap(MAGIC))) {
            throw new NpyException(source + ": not a .npy file (it does not start with \\x93NUMPY); save arrays with"
                    + " numpy.save, or tensor.numpy() first for PyTorch tensors");
        }
        int major = file[6];
        int headerLength;
        int dataStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buf.getShort(8));
            dataStart = 10 + headerLength;
        } else if (major == 2 || major == 3) {
            if (file.length < 12) {
                throw truncated(source);
            }
            headerLength = buf.getInt(8);
            dataStart = 12 + headerLength;
        } else {
            throw new NpyException(source + ": .npy format version " + major + "." + file[7]
                    + " is not known here (1.0, 2.0 and 3.0 are)");
        }
        if (headerLength < 0 || dataStart > file.length) {
            throw truncated(source);
        }
        String headerText = new String(file, dataStart - headerLength, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(headerText, source);
        DataType type = h.type();
        boolean fortran = h.fortran();
        long[] dims = h.dims();
        ByteOrder order = h.order();
        String descr = h.descr();
        int width = (int) type.byteSize(1);
        long count = Tensor.elementCount(dims);
        long bytes = count * width;
        checkSize(bytes, dims, descr, source);
        if (file.length - dataStart < bytes) {
            throw new NpyException(source + ": the header says " + shapeText(dims) + " of " + descr + " (" + bytes
                    + " bytes) but only " + (file.length - dataStart) + " bytes follow: the file is truncated");
        }
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer src = ByteBuffer.wrap(file, dataStart, (int) bytes).slice().order(order);
        int[] cIndex = fortran ? fortranToC(dims) : null;
        for (int i = 0; i < count; i++) {
            int at = (cIndex == null ? i : cIndex[i]) * width;
            switch (width) {
                case 1 -> data.put(at, src.get(i));
                case 2 -> data.putShort(at, src.getShort(i * 2));
                case 4 -> data.putInt(at, src.getInt(i * 4));
                default -> data.putLong(at, src.getLong(i * 8));
            }
        }
        return Tensor.of(name, type, dims, data);
    }

    /**
     * What a {@code .npy} header says: element type, dims, element order and byte order.
     *
     * @param descr the numpy dtype string as written ({@code <f4})
     */
    public record Header(DataType type, long[] dims, boolean fortran, ByteOrder order, String descr) {
        /** Elements in one entry along the first axis (the product of the other dims). */
        public long rowElements() {
            long n = 1;
            for (int i = 1; i < dims.length; i++) {
                n *= dims[i];
            }
            return n;
        }
    }

    /**
     * Reads the magic, version and header of a {@code .npy} stream and leaves {@code in} at the first
     * element: what a caller that reads the elements a row at a time ({@link #readRows}) needs, so
     * that an array larger than memory can be streamed.
     */
    public static Header readHeader(InputStream in, String source) throws NpyException, IOException {
        byte[] start = in.readNBytes(8);
        if (start.length < 8 || !ByteBuffer.wrap(start, 0, 6).equals(ByteBuffer.wrap(MAGIC))) {
            throw new NpyException(source + ": not a .npy file (it does not start with \\x93NUMPY); save arrays with"
                    + " numpy.save, or tensor.numpy() first for PyTorch tensors");
        }
        int major = start[6];
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        if (major < 1 || major > 3) {
            throw new NpyException(source + ": .npy format version " + major + "." + start[7]
                    + " is not known here (1.0, 2.0 and 3.0 are)");
        }
        if (len.length < (major == 1 ? 2 : 4)) {
            throw truncated(source);
        }
        ByteBuffer lb = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = major == 1 ? Short.toUnsignedInt(lb.getShort()) : lb.getInt();
        if (headerLength < 0 || headerLength > 1 << 20) {
            throw truncated(source);
        }
        byte[] header = in.readNBytes(headerLength);
        if (header.length < headerLength) {
            throw truncated(source);
        }
        return parseHeader(new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), source);
    }

    /**
     * The next {@code rows} entries along the first axis of a C-order array whose header {@code h}
     * was read from {@code in}, as one little-endian tensor of {@code dims} (whose element count must
     * be {@code rows · h.rowElements()}).
     */
    public static Tensor readRows(InputStream in, Header h, long rows, String name, long[] dims, String source)
            throws NpyException, IOException {
        if (h.fortran()) {
            throw new NpyException(source + ": the array is in Fortran order, which cannot be read a sample at a time;"
                    + " save numpy.ascontiguousarray(arr)");
        }
        int width = (int) h.type().byteSize(1);
        long count = rows * h.rowElements();
        if (count != Tensor.elementCount(dims)) {
            throw new IllegalArgumentException(rows + " rows of " + h.rowElements() + " elements do not fill "
                    + shapeText(dims));
        }
        byte[] raw = in.readNBytes(Math.toIntExact(count * width));
        if (raw.length < count * width) {
            throw new NpyException(source + ": the header says " + shapeText(h.dims()) + " of " + h.descr()
                    + " but the data ends early: the file is truncated");
        }
        ByteBuffer data = ByteBuffer.wrap(raw);
        if (h.order() == ByteOrder.BIG_ENDIAN && width > 1) {
            ByteBuffer src = ByteBuffer.wrap(raw.clone()).order(ByteOrder.BIG_ENDIAN);
            data.order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                switch (width) {
                    case 2 -> data.putShort(i * 2, src.getShort(i * 2));
                    case 4 -> data.putInt(i * 4, src.getInt(i * 4));
                    default -> data.putLong(i * 8, src.getLong(i * 8));
                }
            }
        }
        return Tensor.of(name, h.type(), dims, data.order(ByteOrder.LITTLE_ENDIAN));
    }

    private static Header parseHeader(String header, String source) throws NpyException {
        String descr = group(DESCR, header, source, "descr");
        boolean fortran = group(FORTRAN, header, source, "fortran_order").equals("True");
        long[] dims = shape(group(SHAPE, header, source, "shape"), source);
        if (java.util.Arrays.stream(dims).anyMatch(d -> d < 0)) {
            throw new NpyException(source + ": the header's shape " + shapeText(dims) + " has a negative dim");
        }
        if (Tensor.elementCountWithin(dims, Long.MAX_VALUE / 16) < 0) { // a byte count of any element type must fit
            throw new NpyException(source + ": the header's shape " + shapeText(dims) + " holds more elements than a"
                    + " 64-bit count: the file is damaged");
        }
        ByteOrder order = switch (descr.isEmpty() ? ' ' : descr.charAt(0)) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> null;
        };
        DataType type = order == null ? null : TYPES.get(descr.substring(1));
        if (type == null) {
            throw new NpyException(source + ": numpy dtype '" + descr + "' is not supported (" + dtypeHint(descr)
                    + "); convert with arr.astype(numpy.float32) or another numeric type before saving");
        }
        return new Header(type, dims, fortran, order, descr);
    }

    /** The file bytes of {@code t} as numpy.save writes them. */
    public static byte[] write(Tensor t) {
        String descr = TYPES.entrySet().stream().filter(e -> e.getValue() == t.dataType()).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "numpy has no dtype for " + t.dataType() + " (tensor `" + t.name() + "`)"));
        String dict = "{'descr': '" + (descr.equals("b1") || descr.endsWith("1") ? "|" : "<") + descr
                + "', 'fortran_order': False, 'shape': " + shapeText(t.dims()) + ", }";
        boolean v2 = dict.length() + 11 > 65535;
        int prefix = v2 ? 12 : 10;
        int total = ((prefix + dict.length() + 1 + 63) / 64) * 64;
        StringBuilder header = new StringBuilder(dict);
        while (prefix + header.length() + 1 < total) {
            header.append(' ');
        }
        header.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(total + (int) t.expectedByteLength());
        out.writeBytes(MAGIC);
        out.write(v2 ? 2 : 1);
        out.write(0);
        ByteBuffer len = ByteBuffer.allocate(v2 ? 4 : 2).order(ByteOrder.LITTLE_ENDIAN);
        if (v2) {
            len.putInt(header.length());
        } else {
            len.putShort((short) header.length());
        }
        out.writeBytes(len.array());
        out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer data = t.bytes();
        byte[] raw = new byte[data.remaining()];
        data.duplicate().get(raw);
        out.writeBytes(raw);
        return out.toByteArray();
    }

    static String shapeText(long[] dims) {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(')').toString();
    }

    private static long[] shape(String text, String source) throws NpyException {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1); // Python 2 longs
            }
            if (!p.isEmpty()) {
                try {
                    dims.add(Long.parseLong(p));
                } catch (NumberFormatException e) {
                    throw new NpyException(source + ": the header's shape (" + text + ") is not a tuple of integers");
                }
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** For each element in Fortran (column-major) order, its index in C (row-major) order. */
    private static int[] fortranToC(long[] dims) {
        int count = (int) Tensor.elementCount(dims);
        int[] out = new int[count];
        int[] index = new int[dims.length];
        for (int f = 0; f < count; f++) {
            int c = 0;
            for (int d = 0; d < dims.length; d++) {
                c = c * (int) dims[d] + index[d];
            }
            out[f] = c;
            for (int d = 0; d < dims.length; d++) { // the first axis varies fastest
                if (++index[d] < dims[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    private static String group(Pattern p, String header, String source, String key) throws NpyException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new NpyException(source + ": the .npy header has no '" + key + "': " + header.strip());
        }
        return m.group(1);
    }

    private static String dtypeHint(String descr) {
        if (descr.contains("O")) {
            return "an object array, which numpy pickles";
        }
        if (descr.contains("U") || descr.contains("S")) {
            return "a string array";
        }
        if (descr.contains("c")) {
            return "complex numbers";
        }
        return "bool, int8–64, uint8–64 and float16/32/64 are";
    }

    private static NpyException truncated(String source) {
        return new NpyException(source + ": the .npy header is truncated");
    }
}
