package org.onnx2trt.pipeline;

import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.tensor.Tensor;

/** Where a verify stage's samples come from: files the user gave, or random ones of the stage's count and seed. */
@FunctionalInterface
public interface SampleSource {
    /** Samples for {@code model}'s inputs; {@code count} and {@code seed} are the stage's, for random ones. */
    List<Map<String, Tensor>> samples(Model model, int count, long seed);
}
