package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.onnx2trt.ir.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The two models {@code verify} and {@code compare} take, A the reference, and where to write the report. */
final class ModelPair {
    @Parameters(index = "0", paramLabel = "A", description = "the reference model")
    Path reference;

    @Parameters(index = "1", paramLabel = "B", description = "the model to check against A")
    Path candidate;

    @Option(names = "--report", paramLabel = "FILE", description = "write the figures as JSON")
    Path report;

    /**
     * Both models, read and validated (bad input is a {@link UserError}); the report checked to overwrite
     * neither of them, their external data, nor the samples given with {@code --inputs} (null when none).
     */
    Model[] load(PrintWriter err, Path inputs) {
        Model[] models = {ModelLoader.loadValid(reference, err), ModelLoader.loadValid(candidate, err)};
        new PathGuard().readsModel("model A", reference, models[0]).readsModel("model B", candidate, models[1])
                .reads("--inputs", inputs).writes("--report", report);
        return models;
    }
}
