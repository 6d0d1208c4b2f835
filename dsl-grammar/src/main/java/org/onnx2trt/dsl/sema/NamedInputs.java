package org.onnx2trt.dsl.sema;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.onnx2trt.dsl.ast.Binding;
import org.onnx2trt.dsl.ast.OpRef;
import org.onnx2trt.dsl.ast.PatternArg;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.ast.RuleFile;
import org.onnx2trt.dsl.diag.Diagnostics;
import org.onnx2trt.dsl.schema.OpSchema;
import org.onnx2trt.dsl.schema.OpSchemas;

/**
 * Lowers named pattern inputs ({@code Conv(x, w, B: b?)}) to positions, from the op schema. Open
 * positions between named inputs become {@link PatternArg.Kind#ANY}. After this pass every pattern
 * argument is positional, which is all the matcher knows.
 */
public final class NamedInputs {
    private NamedInputs() {}

    /** The file with named inputs placed by position; reports problems into {@code diagnostics}. */
    public static RuleFile lower(RuleFile file, OpSchemas schemas, Diagnostics diagnostics) {
        List<RuleDecl> rules = new ArrayList<>();
        for (RuleDecl r : file.rules()) {
            List<List<Binding>> forms = new ArrayList<>();
            for (List<Binding> form : r.forms()) {
                List<Binding> bindings = new ArrayList<>();
                for (Binding b : form) {
                    bindings.add(lower(b, schemas, diagnostics));
                }
                forms.add(bindings);
            }
            rules.add(new RuleDecl(r.name(), r.doc(), r.metadata(), forms.get(0), r.checks(), r.computes(), r.rewrites(),
                    r.span(), forms));
        }
        return new RuleFile(file.source(), rules);
    }

    private static Binding lower(Binding b, OpSchemas schemas, Diagnostics diagnostics) {
        if (b.args().stream().allMatch(a -> a.input() == null)) {
            return b;
        }
        List<PatternArg> positional = new ArrayList<>();
        TreeMap<Integer, PatternArg> named = new TreeMap<>();
        for (PatternArg a : b.args()) {
            if (a.input() == null) {
                if (!named.isEmpty()) {
                    diagnostics.error(a.span(), "a positional input after a named one; write named inputs last");
                    return b;
                }
                positional.add(a);
                continue;
            }
            if (a.kind() == PatternArg.Kind.VARIADIC) {
                diagnostics.error(a.span(), "variadic inputs are written by position, not by name");
                return b;
            }
            Integer index = indexOf(b, a, schemas, diagnostics);
            if (index == null) {
                return b;
            }
            if (index < positional.size() || named.containsKey(index)) {
                diagnostics.error(a.span(), "input `" + a.input() + "` is given twice");
                return b;
            }
            named.put(index, a);
        }
        List<PatternArg> args = new ArrayList<>(positional);
        for (int i = positional.size(); i <= named.lastKey(); i++) {
            PatternArg a = named.get(i);
            args.add(a != null ? new PatternArg(a.kind(), a.name(), null, a.span())
                    : new PatternArg(PatternArg.Kind.ANY, null, null, b.span()));
        }
        return new Binding(b.name(), b.ops(), args, b.attrs(), b.span());
    }

    /** The position of a named input, the same for every op alternative; null after reporting. */
    private static Integer indexOf(Binding b, PatternArg a, OpSchemas schemas, Diagnostics diagnostics) {
        Integer found = null;
        for (OpRef op : b.ops()) {
            List<OpSchema> revisions = schemas.all(OpSchemas.normalizeDomain(op.domain()), op.op());
            if (revisions.isEmpty()) {
                diagnostics.error(a.span(), "`" + op.qualified() + "` has no schema here, so its inputs have no names;"
                        + " write `" + a.input() + "` by position");
                return null;
            }
            OpSchema latest = revisions.get(revisions.size() - 1);
            int index = latest.inputIndex(a.input());
            if (index < 0) {
                List<String> close = latest.suggestInput(a.input());
                diagnostics.error(a.span(), "unknown input `" + a.input() + "` of `" + op.qualified() + "`"
                        + (close.isEmpty() ? "" : " (did you mean `" + close.get(0) + "`?)"));
                return null;
            }
            if (found != null && found != index) {
                diagnostics.error(a.span(), "input `" + a.input() + "` is not at the same position in every op of `"
                        + b.name() + "`; write it by position");
                return null;
            }
            found = index;
        }
        return found;
    }
}
