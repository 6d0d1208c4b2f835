package org.onnx2trt.rewrite;

import java.util.Map;
import org.onnx2trt.dsl.ast.Expr;
import org.onnx2trt.ir.Model;
import org.onnx2trt.rewrite.match.Match;
import org.onnx2trt.tensor.Tensor;

/**
 * How the rewriter evaluates a rule's expressions for one match: its checks, its computed
 * constants and the attribute values of new nodes.
 */
public interface RuleExpressions {

    /**
     * The scope of one match: its variables, and {@code computed}, the constants computed so far
     * (a live map the rewriter adds to). One scope serves every expression of the match, so what
     * it derives from the graph (constant tensors, say) is derived once.
     */
    Scope scope(Model model, Match match, Map<String, Object> computed);

    /** Evaluates expressions of one match. */
    @FunctionalInterface
    interface Scope {
        /**
         * The value of {@code expr}.
         *
         * @throws EvaluationFailure when the expression cannot be evaluated on this match (a shape
         *     that does not broadcast, a dim that is not static): the rule declines with that reason
         */
        Object evaluate(Expr expr) throws EvaluationFailure;
    }

    /** A computed constant as an initializer named {@code name}. */
    Tensor toTensor(Object value, String name) throws EvaluationFailure;

    /** Why an expression has no value on a match. */
    final class EvaluationFailure extends Exception {
        public EvaluationFailure(String message) {
            super(message, null, false, false);
        }
    }
}
