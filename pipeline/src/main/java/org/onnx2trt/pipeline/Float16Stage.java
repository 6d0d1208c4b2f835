package org.onnx2trt.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Types;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.transform.Float16Conversion;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.HalfFloat;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.OutputComparison;
import org.onnx2trt.verify.Tolerance;

/**
 * The fp16 stage: {@link Float16Conversion}, then the float16 model against the float32 one in
 * onnxruntime. Float16 is approximate by nature, so the bound is an SNR per output (default 40 dB:
 * float16's 11-bit mantissa keeps about 60 dB through a plain CNN, and a model that falls far below
 * 40 has a value out of float16's range or an op that should stay float32).
 */
final class Float16Stage {
    private Float16Stage() {}

    /** Converts {@code model} in place; the failure (an output below the bound), or null. */
    static String run(Model model, Recipe.Float16 f, RunOptions options, RunListener listener, List<StageReport> reports) {
        Model reference = Model.fromProto(model.toProto());
        Float16Conversion.Result result;
        try {
            result = Float16Conversion.convert(model, new HashSet<>(f.keepFloat32()), f.keepIoTypes());
        } catch (Float16Conversion.Unsupported e) {
            throw new PipelineInputException("fp16 (" + f.where() + "): " + e.getMessage());
        }
        List<OutputComparison> outputs = compare(reference, model, options.samples().samples(reference, f.samples(), 1));
        StageReport r = new StageReport.Float16(result, outputs, f.minSnrDb());
        listener.stageDone(r);
        reports.add(r);
        List<String> below = new ArrayList<>();
        for (OutputComparison o : outputs) {
            if (!(o.snrDb() >= f.minSnrDb())) {
                below.add(String.format(Locale.ROOT, "`%s` keeps %s dB", o.name(), OutputComparison.snrText(o.snrDb())));
            }
        }
        return below.isEmpty() ? null : "fp16 (" + f.where() + "): " + String.join(", ", below) + ", below the "
                + f.minSnrDb() + " dB the recipe asks; keep more ops in float32 (keep_float32, --fp32-ops) or lower min_snr_db";
    }

    /**
     * Each output of {@code candidate} against {@code reference} over the samples, the worst of each
     * figure; float16 inputs get the samples rounded to float16, float16 outputs are widened. The SNR is
     * the question, not equality within float32's rounding: the tolerance only names a reference.
     */
    private static List<OutputComparison> compare(Model reference, Model candidate, List<Map<String, Tensor>> samples) {
        Map<String, OutputComparison> worst = new LinkedHashMap<>();
        Tolerance tolerance = new Tolerance(1e-2, 1e-2);
        try (ModelRunner ref = ModelRunner.open(reference); ModelRunner cand = ModelRunner.open(candidate)) {
            for (Map<String, Tensor> sample : samples) {
                Map<String, Tensor> expected = ref.run(sample);
                Map<String, Tensor> actual = cand.run(asDeclared(candidate, sample));
                for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                    Tensor a = HalfFloat.widened(actual.get(e.getKey()));
                    OutputComparison c = OutputComparison.of(e.getKey(), HalfFloat.widened(e.getValue()), a, tolerance);
                    worst.merge(e.getKey(), c, OutputComparison::merge);
                }
            }
        }
        return new ArrayList<>(worst.values());
    }

    /** The sample with each float32 tensor rounded to float16 where the model declares that input float16. */
    private static Map<String, Tensor> asDeclared(Model model, Map<String, Tensor> sample) {
        Map<String, Tensor> out = new LinkedHashMap<>(sample);
        for (org.onnx2trt.ir.Port p : model.graph().inputs()) {
            Tensor t = sample.get(p.name());
            if (t != null && t.dataType() == DataType.FLOAT && p.declaration().hasType()
                    && Types.elemType(p.declaration().getType()) == DataType.FLOAT16.code()) {
                out.put(p.name(), HalfFloat.toFloat16(t, t.name()));
            }
        }
        return out;
    }
}
