package org.onnx2trt.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import org.onnx2trt.ir.Model;
import org.onnx2trt.quant.data.DataSet;
import org.onnx2trt.quant.data.Sample;
import org.onnx2trt.sample.InputShapes;
import org.onnx2trt.sample.RandomInputs;

/** Seeded standard-normal samples as a data set: calibration for timing, when no data is given. */
final class RandomData {
    private RandomData() {}

    static DataSet of(Model model, int count, InputShapes shapes) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(new Sample(RandomInputs.forModel(model, 100 + i, shapes), OptionalInt.empty(), "random " + i));
        }
        return new DataSet() {
            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public boolean hasLabels() {
                return false;
            }

            @Override
            public String describe() {
                return count + " seeded standard-normal samples";
            }

            @Override
            public Iterator<Sample> iterator() {
                return samples.iterator();
            }
        };
    }
}
