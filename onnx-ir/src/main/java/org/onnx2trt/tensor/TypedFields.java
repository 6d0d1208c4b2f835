package org.onnx2trt.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.onnx2trt.proto.Onnx.TensorProto;

/**
 * Reads the typed data fields of a {@code TensorProto} ({@code float_data}, {@code int32_data}, ...)
 * into the little-endian byte layout that {@code raw_data} would have held.
 *
 * <p>The field for each type follows the ONNX specification: 16-bit and smaller types are stored
 * one element per {@code int32_data} entry (float16/bfloat16 as their bit patterns; packed 4-bit and
 * 2-bit types as one packed byte per entry), unsigned 32/64-bit types in {@code uint64_data}.
 */
final class TypedFields {
    private TypedFields() {}

    /** Whether the proto holds any element in a typed field. */
    static boolean present(TensorProto p) {
        return p.getFloatDataCount() > 0 || p.getInt32DataCount() > 0 || p.getInt64DataCount() > 0
                || p.getDoubleDataCount() > 0 || p.getUint64DataCount() > 0;
    }

    /** The number of bytes the typed fields decode to, for a fixed-size type. */
    static long byteLength(TensorProto p, DataType type) {
        return switch (type) {
            case FLOAT, COMPLEX64 -> 4L * p.getFloatDataCount();
            case DOUBLE, COMPLEX128 -> 8L * p.getDoubleDataCount();
            case INT64 -> 8L * p.getInt64DataCount();
            case UINT32 -> 4L * p.getUint64DataCount();
            case UINT64 -> 8L * p.getUint64DataCount();
            case INT32 -> 4L * p.getInt32DataCount();
            case INT16, UINT16, FLOAT16, BFLOAT16 -> 2L * p.getInt32DataCount();
            default -> p.getInt32DataCount(); // one byte per entry: 8-bit and packed sub-byte types
        };
    }

    /** Decodes the typed fields to little-endian bytes. */
    static ByteBuffer decode(TensorProto p, DataType type) {
        long length = byteLength(p, type);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor `" + p.getName() + "` is over 2 GiB in typed fields");
        }
        ByteBuffer out = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT, COMPLEX64 -> p.getFloatDataList().forEach(out::putFloat);
            case DOUBLE, COMPLEX128 -> p.getDoubleDataList().forEach(out::putDouble);
            case INT64 -> p.getInt64DataList().forEach(out::putLong);
            case UINT32 -> p.getUint64DataList().forEach(v -> out.putInt((int) (long) v));
            case UINT64 -> p.getUint64DataList().forEach(out::putLong);
            case INT32 -> p.getInt32DataList().forEach(out::putInt);
            case INT16, UINT16, FLOAT16, BFLOAT16 -> p.getInt32DataList().forEach(v -> out.putShort((short) (int) v));
            default -> p.getInt32DataList().forEach(v -> out.put((byte) (int) v));
        }
        return out.flip();
    }
}
