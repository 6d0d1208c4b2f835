package org.onnx2trt.dsl.sema;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.onnx2trt.dsl.ast.AttrPattern;
import org.onnx2trt.dsl.ast.AttrSet;
import org.onnx2trt.dsl.ast.Binding;
import org.onnx2trt.dsl.ast.Construct;
import org.onnx2trt.dsl.ast.OpRef;
import org.onnx2trt.dsl.ast.PatternArg;
import org.onnx2trt.dsl.ast.RewriteStatement;
import org.onnx2trt.dsl.ast.RuleDecl;
import org.onnx2trt.dsl.ast.RuleFile;
import org.onnx2trt.dsl.ast.Span;
import org.onnx2trt.dsl.diag.Diagnostics;
import org.onnx2trt.dsl.schema.AttributeSpec;
import org.onnx2trt.dsl.schema.OpSchema;
import org.onnx2trt.dsl.schema.OpSchemas;

/**
 * Checks a rule's ops against the op schema table: the op exists, the pattern or the new node gives
 * no more inputs than any revision takes, and every attribute named exists. Ops of domains the
 * table does not know (users' custom ops) are not checked.
 */
public final class SchemaChecker {
    private final OpSchemas schemas;
    private final Diagnostics diagnostics;

    private SchemaChecker(OpSchemas schemas, Diagnostics diagnostics) {
        this.schemas = schemas;
        this.diagnostics = diagnostics;
    }

    public static void check(RuleFile file, OpSchemas schemas, Diagnostics diagnostics) {
        SchemaChecker checker = new SchemaChecker(schemas, diagnostics);
        for (RuleDecl rule : file.rules()) {
            checker.checkRule(rule);
        }
    }

    private void checkRule(RuleDecl rule) {
        for (Binding b : rule.forms().stream().flatMap(List::stream).distinct().toList()) {
            boolean variadic = b.args().stream().anyMatch(a -> a.kind() == PatternArg.Kind.VARIADIC);
            for (OpRef op : b.ops()) {
                List<OpSchema> revisions = revisions(op);
                if (revisions == null) {
                    continue;
                }
                int since = revisions.get(0).sinceVersion();
                if (rule.metadata().opsetTo() < since) {
                    diagnostics.error(op.span(), "`" + op.qualified() + "` exists from opset " + since + ", and the rule's"
                            + " range " + range(rule) + " ends before it: the rule can never match; start the range at "
                            + since + " or later");
                }
                int max = revisions.stream().mapToInt(OpSchema::maxInputs).max().orElse(0);
                int given = variadic ? b.args().size() - 1 : b.args().size();
                boolean named = b.args().stream().anyMatch(a -> a.input() != null); // placed by NamedInputs
                if (!named && given > max) {
                    diagnostics.error(op.span(), "`" + op.qualified() + "` takes at most " + max + " input"
                            + (max == 1 ? "" : "s") + "; the pattern gives " + given);
                }
                for (AttrPattern ap : b.attrs()) {
                    checkAttribute(op, revisions, ap.attr(), ap.span());
                }
            }
        }
        for (RewriteStatement s : rule.rewrites()) {
            Construct c = s instanceof RewriteStatement.Let l ? l.value() : ((RewriteStatement.Replace) s).value();
            checkConstruct(rule, c);
        }
    }

    private static String range(RuleDecl rule) {
        int from = rule.metadata().opsetFrom();
        int to = rule.metadata().opsetTo();
        return from == 0 && to == Integer.MAX_VALUE ? "(every opset)" : from + ".." + (to == Integer.MAX_VALUE ? "" : to);
    }

    private void checkConstruct(RuleDecl rule, Construct c) {
        if (!(c instanceof Construct.Op op)) {
            return;
        }
        op.args().stream().filter(a -> a != null).forEach(a -> checkConstruct(rule, a));
        if (!OpSchemas.normalizeDomain(op.op().domain()).isEmpty()) {
            // A pattern may match another domain's op; a rewrite may not make one: TensorRT's ONNX parser reads
            // the default domain only, and the pipeline refuses a model the rules bring such an op into.
            diagnostics.error(op.span(), "the rewrite makes `" + op.op().qualified() + "`, an op outside the ONNX default"
                    + " domain: TensorRT's parser cannot read it and optimize refuses a model it would bring it into;"
                    + " write the replacement with default-domain ops");
            return;
        }
        List<OpSchema> revisions = revisions(op.op());
        if (revisions == null) {
            return;
        }
        int since = revisions.get(0).sinceVersion();
        if (Math.max(1, rule.metadata().opsetFrom()) < since) {
            diagnostics.error(op.span(), "the rewrite makes `" + op.op().qualified() + "`, which exists from opset " + since
                    + ", and the rule's range " + range(rule) + " starts before it: the new node would be invalid there;"
                    + " write `opset " + since + "..`" + (rule.metadata().opsetTo() == Integer.MAX_VALUE ? ""
                    : " (up to " + rule.metadata().opsetTo() + ")"));
        }
        int max = revisions.stream().mapToInt(OpSchema::maxInputs).max().orElse(0);
        if (op.args().size() > max) {
            diagnostics.error(op.span(), "`" + op.op().qualified() + "` takes at most " + max + " input"
                    + (max == 1 ? "" : "s") + "; the new node gives " + op.args().size());
        }
        for (AttrSet a : op.attrs()) {
            if (a instanceof AttrSet.Set set) {
                checkAttribute(op.op(), revisions, set.attr(), set.span());
            } else if (a instanceof AttrSet.Drop drop) {
                checkAttribute(op.op(), revisions, drop.attr(), drop.span());
            }
        }
    }

    /** All revisions of the op, or null (after reporting) when the table has no such op. */
    private List<OpSchema> revisions(OpRef op) {
        String domain = OpSchemas.normalizeDomain(op.domain());
        if (!schemas.domains().contains(domain)) {
            return null; // a domain we have no table for: the user's own ops
        }
        List<OpSchema> all = schemas.all(domain, op.op());
        if (all.isEmpty()) {
            List<String> close = schemas.suggest(domain, op.op());
            diagnostics.error(op.span(), "unknown op `" + op.qualified() + "`"
                    + (close.isEmpty() ? "" : " (did you mean `" + close.get(0) + "`?)"));
            return null;
        }
        return all;
    }

    private void checkAttribute(OpRef op, List<OpSchema> revisions, String attr, Span span) {
        Set<String> known = new LinkedHashSet<>();
        for (OpSchema s : revisions) {
            s.attributes().stream().map(AttributeSpec::name).forEach(known::add);
        }
        if (!known.contains(attr)) {
            List<String> close = revisions.get(revisions.size() - 1).suggestAttribute(attr);
            diagnostics.error(span, "`" + op.qualified() + "` has no attribute `" + attr + "`"
                    + (close.isEmpty() ? "" : " (did you mean `" + close.get(0) + "`?)"));
        }
    }
}
