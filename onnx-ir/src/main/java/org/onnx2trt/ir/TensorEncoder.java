package org.onnx2trt.ir;

import com.google.protobuf.UnsafeByteOperations;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.Tensor;

/**
 * Turns an initializer back into a {@code TensorProto} when a graph is written. The model writer
 * supplies one that moves data into a side file; {@link #INLINE} puts every tensor in the proto.
 */
@FunctionalInterface
public interface TensorEncoder {

    TensorProto encode(Tensor tensor);

    /**
     * Every tensor inline: the original proto for unchanged inline tensors (lossless), raw_data
     * for changed ones and for those read from a side file.
     */
    TensorEncoder INLINE = tensor -> tensor.original() != null && !tensor.isDataChanged() && !tensor.isExternal()
            ? renamed(tensor.original(), tensor.name())
            : inlineRaw(tensor);

    /** The tensor's metadata from its original proto (if any) with the data inline as {@code raw_data}. */
    static TensorProto inlineRaw(Tensor tensor) {
        TensorProto.Builder b = tensor.original() != null ? tensor.original().toBuilder() : TensorProto.newBuilder();
        clearData(b);
        b.setName(tensor.name()).setDataType(tensor.dataTypeCode());
        b.clearDims();
        for (long d : tensor.dims()) {
            b.addDims(d);
        }
        if (tensor.dataType().isFixedSize()) {
            b.setRawData(UnsafeByteOperations.unsafeWrap(tensor.bytes()));
        } else if (tensor.original() != null) {
            b.addAllStringData(tensor.original().getStringDataList());
        }
        return b.build();
    }

    /** Removes every data field: raw, typed, string and external. */
    static void clearData(TensorProto.Builder b) {
        b.clearRawData().clearFloatData().clearInt32Data().clearInt64Data().clearDoubleData()
                .clearUint64Data().clearStringData().clearExternalData().clearDataLocation();
    }

    /** {@code proto} with its name set to {@code name}, untouched when it already has it. */
    static TensorProto renamed(TensorProto proto, String name) {
        return proto.getName().equals(name) ? proto : proto.toBuilder().setName(name).build();
    }
}
