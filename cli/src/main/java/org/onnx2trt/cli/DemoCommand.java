package org.onnx2trt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.io.WriteResult;
import org.onnx2trt.ir.Model;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.verify.OnnxRuntime;
import org.onnx2trt.verify.Outputs;
import org.onnx2trt.verify.RandomInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code onnx2trt demo}: the main job on the built-in sample model. For now: write the sample,
 * inspect it, and prove a round trip through external data lossless, both as protobuf and as
 * onnxruntime outputs. Later issues extend it to the full optimize-verify-quantize pipeline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the main job on the built-in sample model.",
                "Writes the sample, inspects it, and checks that a round trip through external data and back",
                "is lossless: protobuf-equal, and bit-identical outputs in onnxruntime on seeded inputs."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "onnx2trt-demo",
            description = "where to write the sample and its copies (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--samples", defaultValue = "3", description = "seeded inputs to compare (default: ${DEFAULT-VALUE})")
    int samples;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(outDir);
        Path sample = outDir.resolve("sample.onnx");
        Path external = outDir.resolve("sample.external.onnx");
        Path back = outDir.resolve("sample.roundtrip.onnx");

        out.println("== 1. built-in sample model");
        ModelWriter.write(SampleModels.classifier(), sample, WriteOptions.inline());
        Model model = ModelLoader.loadValid(sample, spec.commandLine().getErr());
        SummaryTable.print(sample, ModelSummary.of(model), out);

        out.println();
        out.println("== 2. round trip: inline -> external data -> inline");
        WriteResult ext = ModelWriter.write(model, external, WriteOptions.external(0));
        out.printf("wrote %s + %s (%d tensors external)%n", ext.modelFile(), ext.dataFile(), ext.externalTensors());
        WriteResult in = ModelWriter.write(ModelReader.read(external), back, WriteOptions.inline());
        out.printf("wrote %s (%d tensors inline)%n", in.modelFile(), in.inlineTensors());

        out.println();
        out.println("== 3. checks");
        ModelProto original = ModelReader.parse(sample);
        if (!original.equals(ModelReader.parse(back))) {
            throw new CheckFailed(back + " is not protobuf-equal to " + sample);
        }
        out.println("ok  protobuf-equal to the original after the round trip");
        for (int seed = 0; seed < samples; seed++) {
            Map<String, Tensor> inputs = RandomInputs.forModel(model, seed, Map.of("batch", 2L), 1);
            Map<String, Tensor> expected = OnnxRuntime.run(sample, inputs);
            for (Path copy : new Path[] {external, back}) {
                String diff = Outputs.bitDifference(expected, OnnxRuntime.run(copy, inputs));
                if (diff != null) {
                    throw new CheckFailed(copy + " (seed " + seed + "): " + diff);
                }
            }
        }
        out.printf("ok  onnxruntime outputs bit-identical on %d seeded inputs (batch 2), for both copies%n", samples);
        out.flush();
        return ExitCode.OK;
    }
}
