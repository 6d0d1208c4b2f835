package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.GraphValidator;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Problem;

/** Loads a model for a command and refuses an invalid one, naming the file and each problem. */
final class ModelLoader {
    private ModelLoader() {}

    /**
     * Reads and validates {@code file}; warnings go to {@code err}.
     *
     * @throws UserError listing every validation error
     */
    static Model loadValid(Path file, PrintWriter err) {
        Model model = ModelReader.read(file);
        List<Problem> problems = new java.util.ArrayList<>(GraphValidator.validate(model));
        problems.addAll(OpSchemaValidation.problems(model));
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
            throw new UserError(file + ": the model is not a valid ONNX graph:\n" + errors.stream()
                    .map(p -> "  " + p).collect(Collectors.joining("\n")));
        }
        problems.stream().filter(p -> !p.isError()).forEach(p -> err.println(file + ": " + p));
        err.flush();
        return model;
    }
}
