package org.onnx2trt.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Types.Dim;
import org.onnx2trt.rewrite.Canonicalize;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.ModelRunner;
import org.onnx2trt.verify.RandomInputs;

/**
 * Inference against what onnxruntime computes, on every real export in the repository: each symbol
 * of the inputs gets its own size (2, 3, 5, ...), the model runs with every value as an output, and
 * every dim inference claims must be the dim onnxruntime produced (a number exactly, a symbol as
 * the size given to it). The exporters' own value_info is removed first so that only our inference
 * answers. Coverage (values with every dim claimed) must stay high, so a rule that gives up silently
 * shows here too.
 */
class ShapeInferenceOnnxRuntimeTest {
    static Stream<Path> exports() throws IOException {
        return Stream.concat(Files.list(Path.of("..", "testdata", "exports")), Files.list(Path.of("..", "testdata", "corpus")))
                .filter(p -> p.toString().endsWith(".onnx")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exports")
    void everyClaimedDimIsTheDimOnnxRuntimeComputes(Path file) throws Exception {
        Model model = ModelReader.read(file);
        Canonicalize.forRewriting(model, true);
        model.graph().clearValueInfos();
        Map<String, Long> sizes = new HashMap<>();
        long[] primes = {2, 3, 5, 7, 11, 13};
        for (Port p : model.graph().inputs()) {
            List<Dim> dims = Types.shape(p.value().type());
            for (Dim d : dims == null ? List.<Dim>of() : dims) {
                if (d.symbol() != null && !sizes.containsKey(d.symbol())) {
                    sizes.put(d.symbol(), primes[sizes.size() % primes.length]);
                }
            }
        }
        ShapeInference.Result inferred = ShapeInference.infer(model);
        assertTrue(inferred.conflicts().isEmpty(), inferred.conflicts().toString());
        assertTrue(inferred.unknownOps().isEmpty(), "ops without an inference rule: " + inferred.unknownOps());

        List<String> names = ModelRunner.intermediateValues(model);
        Map<String, Tensor> actual;
        try (ModelRunner r = ModelRunner.open(model, names)) {
            actual = r.run(RandomInputs.forModel(model, 3, sizes, 1));
        }
        int values = 0;
        int complete = 0;
        List<String> wrong = new ArrayList<>();
        Map<String, Long> symbolSizes = new LinkedHashMap<>(sizes);
        for (String name : names) {
            Tensor t = actual.get(name);
            if (t == null) {
                continue;
            }
            values++;
            TensorFacts f = inferred.of(model.graph().lookup(name));
            if (!f.hasRank()) {
                continue;
            }
            long[] dims = t.dims();
            if (f.rank() != dims.length) {
                wrong.add(name + ": inferred " + f + ", onnxruntime gave " + java.util.Arrays.toString(dims));
                continue;
            }
            boolean all = true;
            for (int i = 0; i < dims.length; i++) {
                Dim d = f.dim(i);
                Long expected = d.isKnown() ? d.value() : d.symbol() != null ? symbolSizes.get(d.symbol()) : null;
                if (d.symbol() != null && expected == null) {
                    expected = dims[i]; // a symbol inference made up: it must be the same size everywhere
                    symbolSizes.put(d.symbol(), expected);
                }
                if (expected == null) {
                    all = false;
                } else if (expected != dims[i]) {
                    wrong.add(name + ": inferred " + f + ", onnxruntime gave " + java.util.Arrays.toString(dims));
                    break;
                }
            }
            if (f.dtype() != null && f.dtype() != t.dataType()) {
                wrong.add(name + ": inferred " + f.dtype() + ", onnxruntime gave " + t.dataType());
            }
            if (f.contents() != null && f.hasKnownContents()) {
                long[] got = t.view().toLongArray();
                long[] claimed = f.contents().stream().mapToLong(Dim::value).toArray();
                if (!java.util.Arrays.equals(got, claimed)) {
                    wrong.add(name + ": inferred contents " + f.contents() + ", onnxruntime gave " + java.util.Arrays.toString(got));
                }
            }
            complete += all ? 1 : 0;
        }
        assertEquals(List.of(), wrong);
        System.out.printf("%s: %d of %d values with every dim inferred%n", file.getFileName(), complete, values);
        assertTrue(complete >= values * 0.9, complete + " of " + values + " values fully inferred");
    }
}
