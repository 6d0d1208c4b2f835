package org.onnx2trt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.onnx2trt.ir.Model;
import org.onnx2trt.trt.lint.TrtLint;
import org.onnx2trt.trt.lint.TrtVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt lint MODEL [--trt-version 11.2] [--json]}. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"What TensorRT's ONNX parser would reject or run slowly, without a GPU.",
                "Unsupported ops, domains, opsets and types; the restrictions of its op checkers; QDQ as",
                "TensorRT reads it (symmetric int8, constant positive scales, per-channel axes); inputs",
                "that need an optimization profile; data-dependent shapes. Each finding names the node,",
                "the rule and a fix. Exit 0 without errors, 1 with one or more, 2 for bad input."})
final class LintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the .onnx file")
    Path model;

    @Option(names = "--trt-version", paramLabel = "X.Y", description = "the TensorRT version to lint for (default: 11.2)")
    String trtVersion = TrtVersion.DEFAULT.toString();

    @Option(names = "--json", description = "print the findings as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TrtVersion version;
        try {
            version = TrtVersion.parse(trtVersion);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Model m = ModelLoader.loadValid(model, spec.commandLine().getErr());
        TrtLint.Result r = TrtLint.lint(m, version);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", model.toString());
            doc.put("trt_version", version.toString());
            doc.put("errors", r.errors());
            doc.put("warnings", r.warnings());
            doc.put("findings", r.findings());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            LintReport.print(model.toString(), r, out);
        }
        out.flush();
        return r.errors() > 0 ? ExitCode.CHECK_FAILED : ExitCode.OK;
    }
}
