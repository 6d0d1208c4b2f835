package org.onnx2trt.tensor;

import java.util.Optional;

/**
 * The element types of ONNX tensors ({@code TensorProto.DataType}), with their storage size.
 *
 * <p>Sub-byte types (int4, uint4, float4, float6, int2, uint2) pack several elements in a byte; their
 * {@link #bits()} is below 8. {@code STRING} has no fixed size ({@link #bits()} is 0).
 */
public enum DataType {
    UNDEFINED(0, 0, "undefined"),
    FLOAT(1, 32, "float32"),
    UINT8(2, 8, "uint8"),
    INT8(3, 8, "int8"),
    UINT16(4, 16, "uint16"),
    INT16(5, 16, "int16"),
    INT32(6, 32, "int32"),
    INT64(7, 64, "int64"),
    STRING(8, 0, "string"),
    BOOL(9, 8, "bool"),
    FLOAT16(10, 16, "float16"),
    DOUBLE(11, 64, "float64"),
    UINT32(12, 32, "uint32"),
    UINT64(13, 64, "uint64"),
    COMPLEX64(14, 64, "complex64"),
    COMPLEX128(15, 128, "complex128"),
    BFLOAT16(16, 16, "bfloat16"),
    FLOAT8E4M3FN(17, 8, "float8e4m3fn"),
    FLOAT8E4M3FNUZ(18, 8, "float8e4m3fnuz"),
    FLOAT8E5M2(19, 8, "float8e5m2"),
    FLOAT8E5M2FNUZ(20, 8, "float8e5m2fnuz"),
    UINT4(21, 4, "uint4"),
    INT4(22, 4, "int4"),
    FLOAT4E2M1(23, 4, "float4e2m1"),
    FLOAT8E8M0(24, 8, "float8e8m0"),
    UINT2(25, 2, "uint2"),
    INT2(26, 2, "int2"),
    FLOAT6E2M3(27, 6, "float6e2m3"),
    FLOAT6E3M2(28, 6, "float6e3m2");

    private static final DataType[] BY_CODE = new DataType[29];

    static {
        for (DataType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int bits;
    private final String displayName;

    DataType(int code, int bits, String displayName) {
        this.code = code;
        this.bits = bits;
        this.displayName = displayName;
    }

    /** The {@code TensorProto.DataType} number. */
    public int code() {
        return code;
    }

    /** Bits per element; 0 for {@code STRING} and {@code UNDEFINED}. */
    public int bits() {
        return bits;
    }

    /** The numpy-like name users know, e.g. {@code float32}. */
    public String displayName() {
        return displayName;
    }

    /** Whether elements have a fixed size, so that data lives in raw bytes. */
    public boolean isFixedSize() {
        return bits > 0;
    }

    /** Bytes that {@code count} elements take in {@code raw_data} (sub-byte types round up). */
    public long byteSize(long count) {
        return (count * bits + 7) / 8;
    }

    /** The type for an ONNX code, or empty for a code this version does not know. */
    public static Optional<DataType> fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
    }

    /** A display name for any code, also one this version does not know. */
    public static String nameOf(int code) {
        return fromCode(code).map(DataType::displayName).orElse("dtype(" + code + ")");
    }

    @Override
    public String toString() {
        return displayName;
    }
}
