package org.onnx2trt.dsl;

import org.onnx2trt.dsl.ast.RuleFile;
import org.onnx2trt.dsl.diag.Diagnostics;
import org.onnx2trt.dsl.parse.RuleParser;
import org.onnx2trt.dsl.schema.OpSchemas;
import org.onnx2trt.dsl.sema.NamedInputs;
import org.onnx2trt.dsl.sema.RuleChecker;
import org.onnx2trt.dsl.sema.SchemaChecker;

/** Parsing and semantic checking of a rule file, the two front-end stages in order. */
public final class RuleFrontEnd {
    private RuleFrontEnd() {}

    /** The checked AST (null on any error) and every diagnostic. */
    public record Result(RuleFile file, Diagnostics diagnostics) {
        public boolean ok() {
            return file != null;
        }
    }

    /** Parses and checks {@code text}; {@code source} names the file in diagnostics. */
    public static Result load(String text, String source) {
        RuleParser.Result parsed = RuleParser.parse(text, source);
        if (!parsed.ok()) {
            return new Result(null, parsed.diagnostics());
        }
        RuleChecker.check(parsed.file(), parsed.diagnostics());
        SchemaChecker.check(parsed.file(), OpSchemas.builtin(), parsed.diagnostics());
        if (parsed.diagnostics().hasErrors()) {
            return new Result(null, parsed.diagnostics());
        }
        RuleFile lowered = NamedInputs.lower(parsed.file(), OpSchemas.builtin(), parsed.diagnostics());
        return new Result(parsed.diagnostics().hasErrors() ? null : lowered, parsed.diagnostics());
    }
}
