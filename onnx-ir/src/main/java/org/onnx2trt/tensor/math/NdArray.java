package org.onnx2trt.tensor.math;

import java.util.Arrays;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * An immutable n-dimensional array of numbers: what rules compute constants with.
 *
 * <p>Elements are held row-major as doubles, which is exact for every supported type but int64 and
 * uint64; int64 arrays also keep the exact longs (so {@code 2^53 + 1} survives a round trip), and
 * uint64 values must lie in [0, 2^53] (see {@link DTypes}). Every value is already rounded into the
 * dtype: a float32 array holds only float32 values, an int8 array only [-128, 127].
 *
 * <p>The operations live in {@link ArrayMath} (elementwise, broadcasting), {@link ShapeOps} and
 * {@link Reductions}; {@link DTypes} has the promotion and rounding rules. Failures throw
 * {@link ArrayException} without a source position.
 */
public final class NdArray {
    private final DataType dtype;
    private final long[] shape;
    private final double[] values;
    private final long[] longs; // the exact values of an int64 array; null for other types

    private NdArray(DataType dtype, long[] shape, double[] values, long[] longs) {
        this.dtype = dtype;
        this.shape = shape;
        this.values = values;
        this.longs = longs;
    }

    /**
     * An array from values already in {@code dtype} and arrays nobody else holds: no copy, no check.
     * {@code longs} is used only for int64 and may be null there when {@code values} is exact.
     */
    static NdArray trusted(DataType dtype, long[] shape, double[] values, long[] longs) {
        if (dtype == DataType.INT64 && longs == null) {
            longs = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                longs[i] = (long) values[i];
            }
        }
        return new NdArray(dtype, shape, values, dtype == DataType.INT64 ? longs : null);
    }

    /**
     * An array of a float type, each value rounded into it; or of an integer or bool type, each value
     * an integer in the type's range. Fails when the count does not fit the shape.
     */
    public static NdArray ofDoubles(DataType dtype, long[] shape, double... values) {
        DTypes.requireSupported(dtype);
        checkCount(shape, values.length);
        if (DTypes.isFloat(dtype)) {
            double[] v = new double[values.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = DTypes.roundToFloat(dtype, values[i]);
            }
            return new NdArray(dtype, shape.clone(), v, null);
        }
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            if (values[i] != Math.rint(values[i]) || Double.isInfinite(values[i])) {
                throw new ArrayException("value " + values[i] + " is not an integer; use cast() to round it to " + dtype);
            }
            l[i] = (long) values[i];
        }
        return ofLongs(dtype, shape, l);
    }

    /** An array of integers: of an integer or bool type, each in range; of a float type, rounded into it. */
    public static NdArray ofLongs(DataType dtype, long[] shape, long... values) {
        DTypes.requireSupported(dtype);
        checkCount(shape, values.length);
        double[] v = new double[values.length];
        if (DTypes.isFloat(dtype)) {
            for (int i = 0; i < v.length; i++) {
                v[i] = dtype == DataType.FLOAT ? (float) values[i] : DTypes.roundToFloat(dtype, values[i]);
            }
            return new NdArray(dtype, shape.clone(), v, null);
        }
        for (int i = 0; i < v.length; i++) {
            long x = values[i];
            if (dtype == DataType.UINT64) {
                DTypes.checkUint64(x);
            } else if (x < DTypes.min(dtype) || x > DTypes.max(dtype)) {
                throw new ArrayException("value " + x + " does not fit " + dtype);
            }
            v[i] = x;
        }
        return new NdArray(dtype, shape.clone(), v, dtype == DataType.INT64 ? values.clone() : null);
    }

    /** A float32 array, like {@link Tensor#ofFloats}. */
    public static NdArray ofFloats(long[] shape, float... values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return ofDoubles(DataType.FLOAT, shape, v);
    }

    /** A 0-d array. */
    public static NdArray scalar(DataType dtype, double value) {
        return ofDoubles(dtype, new long[0], value);
    }

    /** The elements of a tensor. Fails for types rules do not compute with (strings, float8, int4, ...). */
    public static NdArray of(Tensor t) {
        DataType type = t.dataType();
        if (!DTypes.isSupported(type)) {
            throw new ArrayException("cannot compute with `" + t.name() + "`: " + type + " tensors are not supported");
        }
        String problem = t.dataProblem();
        if (problem != null) {
            throw new ArrayException("cannot compute with `" + t.name() + "`: it " + problem);
        }
        long[] dims = t.dims();
        int n = elementCount(dims);
        TensorView view = t.view();
        if (type == DataType.INT64) {
            return ofLongs(type, dims, view.toLongArray());
        }
        double[] v = view.toDoubleArray();
        if (type == DataType.UINT64) {
            for (int i = 0; i < n; i++) {
                if (v[i] > DTypes.EXACT_LIMIT) {
                    throw new ArrayException("cannot compute with `" + t.name() + "`: uint64 value at index " + i
                            + " is above 2^53, beyond what rules hold exactly");
                }
            }
        }
        return new NdArray(type, dims, v, null);
    }

    /** A new tensor of this array's dtype, shape and values. */
    public Tensor toTensor(String name) {
        if (dtype == DataType.FLOAT) { // the common case, as one bulk copy
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Tensor.ofFloats(name, shape, f);
        }
        Tensor t = Tensor.zeros(name, dtype, shape.clone());
        TensorView w = t.mutableView();
        for (int i = 0; i < values.length; i++) {
            if (DTypes.isExactType(dtype)) {
                w.setLong(i, getLong(i));
            } else {
                w.setDouble(i, values[i]);
            }
        }
        return t;
    }

    public DataType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The values array itself, for code in this package that promises not to write it. */
    double[] valuesRef() {
        return values;
    }

    /** The shape array itself, for code in this package that promises not to write it. */
    public long[] shapeRef() {
        return shape;
    }

    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return values.length;
    }

    /** Element {@code i} (flat, row-major). int64 values beyond 2^53 come back rounded; see {@link #getLong}. */
    public double getDouble(int i) {
        return values[i];
    }

    /** Element {@code i} as a long: exact for integer types, truncated toward zero for floats. */
    public long getLong(int i) {
        return longs != null ? longs[i] : (long) values[i];
    }

    /** All elements as doubles (a copy). */
    public double[] toDoubleArray() {
        return values.clone();
    }

    /** All elements as longs (a copy), as {@link #getLong} gives them. */
    public long[] toLongArray() {
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** The same elements under another shape with the same element count (checked by the caller). */
    public NdArray withShape(long[] newShape) {
        return new NdArray(dtype, newShape, values, longs);
    }

    /** A new array of {@code newShape} whose element {@code i} is this array's element {@code map[i]}. */
    public NdArray gather(long[] newShape, int[] map) {
        double[] v = new double[map.length];
        long[] l = longs == null ? null : new long[map.length];
        for (int i = 0; i < map.length; i++) {
            v[i] = values[map[i]];
            if (l != null) {
                l[i] = longs[map[i]];
            }
        }
        return new NdArray(dtype, newShape, v, l);
    }

    /** The product of {@code shape}; fails beyond what one Java array can hold. */
    public static int elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new ArrayException("negative dim in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new ArrayException("shape " + Arrays.toString(shape) + " has too many elements to compute with");
            }
        }
        return (int) n;
    }

    private static void checkCount(long[] shape, int count) {
        int n = elementCount(shape);
        if (n != count) {
            throw new ArrayException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + count);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && dtype == a.dtype && Arrays.equals(shape, a.shape)
                && Arrays.equals(values, a.values) && Arrays.equals(longs, a.longs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    /** {@code float32[2, 2] [1.0, 2.0, 3.0, 4.0]}, the first 32 values. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(dtype).append(Arrays.toString(shape)).append(" [");
        for (int i = 0; i < Math.min(values.length, 32); i++) {
            sb.append(i > 0 ? ", " : "");
            if (DTypes.isExactType(dtype)) {
                sb.append(getLong(i));
            } else {
                sb.append(values[i]);
            }
        }
        return sb.append(values.length > 32 ? ", ...]" : "]").toString();
    }
}
