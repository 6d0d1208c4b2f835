package org.onnx2trt.quant.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.onnx2trt.tensor.Tensor;

/**
 * Samples already in memory as a {@link DataSet}: the random inputs (or the user's sample files) a
 * stage runs on when the run has no calibration data. Without labels.
 */
public final class SampleList implements DataSet {
    private final List<Sample> samples = new ArrayList<>();
    private final String description;

    public SampleList(List<Map<String, Tensor>> inputs, String description) {
        for (int i = 0; i < inputs.size(); i++) {
            samples.add(new Sample(inputs.get(i), OptionalInt.empty(), description + "[" + i + "]"));
        }
        this.description = description;
    }

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
        return description;
    }

    @Override
    public Iterator<Sample> iterator() {
        return samples.iterator();
    }
}
