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
        // a model of hundreds of thousands of nodes takes seconds to read: a bar on a terminal, by phase
        ProgressBar progress = new ProgressBar(err);
        progress.begin("reading " + file.getFileName(), 3, "phases (parse, build, validate)");
        org.onnx2trt.proto.Onnx.ModelProto proto = ModelReader.parse(file);
        progress.advance(1);
        Model model = ModelReader.fromProto(proto, file);
        progress.advance(2);
        List<Problem> problems = new java.util.ArrayList<>(GraphValidator.validate(model));
        problems.addAll(OpSchemaValidation.problems(model));
        progress.advance(3);
        progress.end();
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
            // one line, as every bad input is: the first few problems, and how many more
            int shown = Math.min(3, errors.size());
            throw new UserError(file + ": the model is not a valid ONNX graph: " + errors.subList(0, shown).stream()
                    .map(p -> p.toString().replaceFirst("^error: ", "")).collect(Collectors.joining("; "))
                    + (errors.size() > shown ? " (and " + (errors.size() - shown) + " more)" : ""));
        }
        problems.stream().filter(p -> !p.isError()).forEach(p -> err.println(file + ": " + p));
        err.flush();
        return model;
    }
}
