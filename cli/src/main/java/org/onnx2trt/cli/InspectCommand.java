package org.onnx2trt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.inspect.ModelSummary;
import org.onnx2trt.ir.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code onnx2trt inspect MODEL [--json]}. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what a model holds.",
                "IR version, producer, opsets, inputs and outputs (symbolic dims by name), node count,",
                "op histogram, initializers, parameters and weight bytes.",
                "The model is validated first; an invalid graph is an error (exit code 2)."})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the .onnx file")
    Path model;

    @Option(names = "--json", description = "print a JSON object instead of the table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Model m = ModelLoader.loadValid(model, spec.commandLine().getErr());
        ModelSummary s = ModelSummary.of(m);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", model.toString());
            doc.put("summary", s);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            SummaryTable.print(model, s, out);
        }
        out.flush();
        return ExitCode.OK;
    }
}
