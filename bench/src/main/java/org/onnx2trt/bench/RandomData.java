package org.onnx2trt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.SampleList;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.RandomInputs;
import org.onnx2trt.tensor.Tensor;

/** Seeded standard-normal samples as a data set: calibration for timing, when no data is given. */
final class RandomData {
    private RandomData() {}

    static DataSet of(Model model, int count, InputShapes shapes) {
        List<Map<String, Tensor>> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(RandomInputs.forModel(model, 100 + i, shapes));
        }
        return new SampleList(samples, count + " seeded standard-normal samples");
    }
}
