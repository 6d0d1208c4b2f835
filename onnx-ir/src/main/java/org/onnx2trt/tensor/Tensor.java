package org.onnx2trt.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.onnx2trt.proto.Onnx.TensorProto;

/**
 * A named, typed, shaped tensor: an initializer, or the value of a tensor attribute.
 *
 * <p>A tensor read from a model keeps its original {@code TensorProto}, and a writer reuses it as
 * long as the data has not changed, so fields this class does not model survive. Element bytes are
 * reached lazily through {@link TensorStorage}: for {@code raw_data} and external data without a copy.
 * {@link #mutableView()} copies on first write.
 */
public final class Tensor {
    private final TensorProto original;
    private String name;
    private final int dataTypeCode;
    private final long[] dims;
    private TensorStorage storage;
    private boolean dataChanged;

    private Tensor(TensorProto original, String name, int dataTypeCode, long[] dims, TensorStorage storage) {
        this.original = original;
        this.name = Objects.requireNonNull(name, "name");
        this.dataTypeCode = dataTypeCode;
        this.dims = dims;
        this.storage = storage;
    }

    /**
     * A tensor as read from a model. {@code storage} is where external data lives, or null when the
     * data is in the proto: {@code raw_data} (viewed without a copy) or typed fields (decoded on
     * first use).
     */
    public static Tensor fromProto(TensorProto proto, TensorStorage storage) {
        long[] dims = new long[proto.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = proto.getDims(i);
        }
        return new Tensor(proto, proto.getName(), proto.getDataType(), dims, storage);
    }

    /** A tensor whose data is inside its proto (raw or typed fields). */
    public static Tensor fromProto(TensorProto proto) {
        return fromProto(proto, null);
    }

    /** A new tensor over {@code data} (little-endian element bytes; not copied). */
    public static Tensor of(String name, DataType type, long[] dims, ByteBuffer data) {
        long expected = type.byteSize(elementCount(dims));
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor `" + name + "` of " + type + Arrays.toString(dims)
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        Tensor t = new Tensor(null, name, type.code(), dims.clone(), new TensorStorage.InMemory(data));
        t.dataChanged = true;
        return t;
    }

    /** A new tensor of zeros. */
    public static Tensor zeros(String name, DataType type, long... dims) {
        long bytes = type.byteSize(elementCount(dims));
        return of(name, type, dims, ByteBuffer.allocate(Math.toIntExact(bytes)));
    }

    /** A new float32 tensor holding {@code values} in row-major order. */
    public static Tensor ofFloats(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return of(name, DataType.FLOAT, dims, b);
    }

    /** A new int64 tensor holding {@code values} in row-major order. */
    public static Tensor ofLongs(String name, long[] dims, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return of(name, DataType.INT64, dims, b);
    }

    /**
     * The product of {@code dims} when every dim is 0 or more and the product is at most {@code limit};
     * else -1. For sizes read from files and options, which may claim any numbers (no overflow, no throw).
     */
    public static long elementCountWithin(long[] dims, long limit) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                return -1;
            }
            if (n != 0 && (Math.multiplyHigh(n, d) != 0 || n * d < 0 || n * d > limit)) {
                n = -1;
                for (long rest : dims) { // a 0 dim anywhere still makes the product 0
                    if (rest == 0) {
                        return 0;
                    }
                }
                return -1;
            }
            n *= d;
        }
        return n <= limit ? n : -1;
    }

    /** The product of {@code dims}; 1 for a scalar. */
    public static long elementCount(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public String name() {
        return name;
    }

    /** Renames the tensor; the IR calls this when the value it initializes is renamed. */
    public void rename(String newName) {
        this.name = Objects.requireNonNull(newName);
    }

    /** The element type, or {@link DataType#UNDEFINED} for a code this version does not know. */
    public DataType dataType() {
        return DataType.fromCode(dataTypeCode).orElse(DataType.UNDEFINED);
    }

    public int dataTypeCode() {
        return dataTypeCode;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long elementCount() {
        return elementCount(dims);
    }

    /** The bytes the elements need by type and shape; -1 where that is not fixed (strings). */
    public long expectedByteLength() {
        DataType t = dataType();
        return t.isFixedSize() ? t.byteSize(elementCount()) : -1;
    }

    /** The proto this tensor was read from; null for a tensor made in memory. */
    public TensorProto original() {
        return original;
    }

    /** Whether the data was replaced or written since the tensor was read (or it was made in memory). */
    public boolean isDataChanged() {
        return dataChanged;
    }

    /** Whether the data lives in a side file (and has not been changed since). */
    public boolean isExternal() {
        return storage instanceof TensorStorage.External;
    }

    /** The side-file location, or null when the data is not external. */
    public ExternalLocation externalLocation() {
        return storage instanceof TensorStorage.External e ? e.location() : null;
    }

    /** The number of bytes the data actually holds (for string tensors, the sum of string lengths). */
    public long storedByteLength() {
        if (storage != null) {
            return storage.byteLength();
        }
        if (original == null) {
            return 0;
        }
        if (original.hasRawData()) {
            return original.getRawData().size();
        }
        if (dataType() == DataType.STRING) {
            return original.getStringDataList().stream().mapToLong(s -> s.size()).sum();
        }
        return dataType().isFixedSize() ? TypedFields.byteLength(original, dataType()) : 0;
    }

    /** Why the stored data cannot be this tensor's data, or null when it fits type and shape. */
    public String dataProblem() {
        long expected = expectedByteLength();
        if (expected < 0) {
            if (dataType() == DataType.STRING && original != null
                    && original.getStringDataCount() != elementCount()) {
                return "holds " + original.getStringDataCount() + " strings, its shape needs " + elementCount();
            }
            return null;
        }
        long stored = storedByteLength();
        if (stored == expected) {
            return null;
        }
        if (stored == 0) {
            return "has no data: " + dataType() + Arrays.toString(dims) + " needs " + expected + " bytes";
        }
        return "holds " + stored + " bytes, but " + dataType() + Arrays.toString(dims) + " needs " + expected;
    }

    /** The element bytes, read-only, little-endian; decodes typed fields on first use. */
    public ByteBuffer bytes() {
        if (storage == null && original != null && original.hasRawData()) {
            // slice(): the view of a parsed proto starts at the field's offset in the file's bytes.
            return original.getRawData().asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        if (storage == null) {
            DataType t = dataType();
            if (!t.isFixedSize()) {
                throw new UnsupportedOperationException("tensor `" + name + "` of " + t + " has no byte view");
            }
            storage = new TensorStorage.InMemory(original == null
                    ? ByteBuffer.allocate(0) : TypedFields.decode(original, t));
        }
        return storage.bytes();
    }

    /** A read-only typed view of the elements. */
    public TensorView view() {
        return new TensorView(dataType(), bytes(), false);
    }

    /**
     * A writable typed view. The first call copies the data to the heap (the original may be a
     * read-only mapped file); after it the tensor counts as changed.
     */
    public TensorView mutableView() {
        ByteBuffer source = bytes();
        if (!(storage instanceof TensorStorage.Owned)) {
            ByteBuffer copy = ByteBuffer.allocate(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            copy.put(source).flip();
            storage = new TensorStorage.Owned(copy);
        }
        dataChanged = true;
        return new TensorView(dataType(), ((TensorStorage.Owned) storage).writable(), true);
    }

    /** Replaces the data (little-endian element bytes, size checked against type and shape). */
    public void setData(ByteBuffer data) {
        long expected = expectedByteLength();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor `" + name + "` needs " + expected + " bytes, got " + data.remaining());
        }
        storage = new TensorStorage.InMemory(data);
        dataChanged = true;
    }

    /** The storage in use, or null when the data sits in typed fields not yet decoded. */
    public TensorStorage storage() {
        return storage;
    }

    @Override
    public String toString() {
        return name + ": " + DataType.nameOf(dataTypeCode) + Arrays.toString(dims);
    }
}
