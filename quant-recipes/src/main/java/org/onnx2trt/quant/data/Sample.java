package org.onnx2trt.quant.data;

import java.util.Map;
import java.util.OptionalInt;
import org.onnx2trt.tensor.Tensor;

/**
 * One sample of a calibration or evaluation set: the model's inputs by name, shaped as the model
 * takes them (batch dim 1 where the model has one), and its class label when the set has labels.
 *
 * @param inputs the input tensors by input name
 * @param label  the class index, or empty
 * @param origin where the sample came from, for messages: {@code images/cat/001.png},
 *               {@code calib.npz[17]}
 */
public record Sample(Map<String, Tensor> inputs, OptionalInt label, String origin) {
    public Sample {
        inputs = Map.copyOf(inputs);
    }
}
