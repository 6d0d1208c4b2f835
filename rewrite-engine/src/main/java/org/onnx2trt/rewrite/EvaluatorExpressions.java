package org.onnx2trt.rewrite;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.rewrite.eval.Environment;
import org.onnx2trt.rewrite.eval.EvalException;
import org.onnx2trt.rewrite.eval.Evaluator;
import org.onnx2trt.rewrite.eval.NativeFunctions;
import org.onnx2trt.rewrite.match.Match;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.math.NdArray;

/**
 * The rule expressions evaluated by {@link Evaluator}: matched values are IR {@link Value}s, whose
 * elements the evaluator gets when they are constants and whose facts (rank, dtype, readers) come
 * from the graph.
 */
public final class EvaluatorExpressions implements RuleExpressions {
    private final NativeFunctions natives;
    private final RuleFacts facts;

    public EvaluatorExpressions(NativeFunctions natives) {
        this(natives, RuleFacts.NONE);
    }

    /** Expressions that also read {@code facts}: calibration ranges and recipe parameters. */
    public EvaluatorExpressions(NativeFunctions natives, RuleFacts facts) {
        this.natives = natives;
        this.facts = facts;
    }

    /** The builtins only, no native functions, no calibration or parameters. */
    public static EvaluatorExpressions standard() {
        return new EvaluatorExpressions(NativeFunctions.none());
    }

    /** The builtins reading {@code facts}, no native functions. */
    public static EvaluatorExpressions withFacts(RuleFacts facts) {
        return new EvaluatorExpressions(NativeFunctions.none(), facts);
    }

    @Override
    public Scope scope(Model model, Match match, Map<String, Object> computed) {
        Evaluator evaluator = new Evaluator(new MatchEnvironment(model, match, computed, facts), natives);
        return expr -> {
            try {
                return evaluator.evaluate(expr);
            } catch (EvalException e) {
                throw new EvaluationFailure(e.reason());
            }
        };
    }

    @Override
    public Tensor toTensor(Object value, String name) throws EvaluationFailure {
        if (value instanceof NdArray a) {
            return a.toTensor(name);
        }
        if (value instanceof Value v && v.isConstant()) {
            return NdArray.of(v.initializer()).toTensor(name);
        }
        if (value instanceof Long l) {
            return NdArray.ofLongs(DataType.INT64, new long[0], l).toTensor(name);
        }
        if (value instanceof Double d) {
            return NdArray.scalar(DataType.FLOAT, d).toTensor(name);
        }
        if (value instanceof List<?> list && list.stream().allMatch(x -> x instanceof Long)) {
            return NdArray.ofLongs(DataType.INT64, new long[] {list.size()},
                    list.stream().mapToLong(x -> (Long) x).toArray()).toTensor(name);
        }
        throw new EvaluationFailure("a " + (value == null ? "missing value" : value.getClass().getSimpleName())
                + " cannot become a tensor");
    }

    /** Names of one match: captured values and attributes, matched nodes, earlier computes. */
    private static final class MatchEnvironment implements Environment {
        private final Model model;
        private final Match match;
        private final Map<String, Object> computed;
        private final RuleFacts facts;
        private final Map<Value, NdArray> constants = new IdentityHashMap<>();

        MatchEnvironment(Model model, Match match, Map<String, Object> computed, RuleFacts facts) {
            this.model = model;
            this.match = match;
            this.computed = computed;
            this.facts = facts;
        }

        @Override
        public Object lookup(String name) {
            if (computed.containsKey(name)) {
                return computed.get(name);
            }
            if (match.hasValue(name)) {
                return match.value(name);
            }
            if (match.attributeOperand(name) != null) {
                return NdArray.of(match.attributeOperand(name));
            }
            if (match.variadic(name) != null) {
                return match.variadic(name);
            }
            if (match.hasAttribute(name)) {
                Object a = match.attribute(name);
                return a instanceof Tensor t ? NdArray.of(t) : a;
            }
            if (match.node(name) != null) {
                return match.node(name).output(0);
            }
            return UNBOUND;
        }

        @Override
        public Object callPredicate(String name, List<Object> args, Map<String, Object> named) {
            return switch (name) {
                case "constant" -> args.stream().allMatch(v -> value(v).isConstant());
                case "singleUse" -> args.stream().allMatch(v -> value(v).hasSingleUse());
                case "notOutput" -> args.stream().noneMatch(v -> value(v).isGraphOutput());
                case "onlyOutput" -> args.stream().allMatch(v -> value(v).isGraphOutput() && value(v).uses().isEmpty()
                        && value(v).subgraphOutputReaders().isEmpty());
                case "hasType" -> value(args.get(0)).type() != null;
                case "hasCalib" -> facts.calibration(value(args.get(0)).name()) != null;
                case "calib" -> calibration(value(args.get(0)));
                case "producer" -> value(args.get(0)).producer() == null ? "" : value(args.get(0)).producer().opType();
                case "dimIs" -> dimIs(value(args.get(0)), (Long) args.get(1), (Long) args.get(2));
                case "readBy" -> readBy(value(args.get(0)), (String) args.get(1));
                case "param" -> facts.parameter((String) args.get(0));
                case "excluded" -> excluded(value(args.get(0)));
                case "opset" -> model.opsetVersion("");
                case "rank" -> (long) rank(args.get(0));
                case "shape" -> dims(args.get(0));
                case "size" -> dims(args.get(0)).stream().reduce(1L, (a, b) -> a * b);
                case "isScalar" -> dims(args.get(0)).stream().reduce(1L, (a, b) -> a * b) == 1;
                case "dtype" -> DataType.fromCode(Types.elemType(value(args.get(0)).type()))
                        .filter(t -> t != DataType.UNDEFINED)
                        .orElseThrow(() -> new EvalException("the element type of `" + value(args.get(0)).name() + "` is not known"));
                default -> throw new EvalException("`" + name + "` is not answered by the graph");
            };
        }

        /** Whether dim {@code k} of {@code v} is static and {@code n}; false when symbolic or the rank is unknown. */
        private static boolean dimIs(Value v, long k, long n) {
            List<Types.Dim> shape;
            try {
                shape = declaredShape(v, "dimIs");
            } catch (EvalException unknownRank) {
                return false;
            }
            long at = k < 0 ? shape.size() + k : k;
            return at >= 0 && at < shape.size() && shape.get((int) at).isKnown() && shape.get((int) at).value() == n;
        }

        /** Whether {@code v} has readers and every one is an {@code opType} node (a subgraph reader is none). */
        private static boolean readBy(Value v, String opType) {
            return !v.uses().isEmpty() && v.subgraphOutputReaders().isEmpty()
                    && v.uses().stream().allMatch(u -> u.user().opType().equals(opType));
        }

        /** Whether the node making {@code v} is named by the `exclude` parameter: a name glob or its op type. */
        private boolean excluded(Value v) {
            org.onnx2trt.ir.Node n = v.producer();
            if (n == null || !(facts.parameter("exclude") instanceof List<?> patterns)) {
                return false;
            }
            String label = org.onnx2trt.rewrite.Rewriter.label(n); // an unnamed node goes by its first output
            for (Object p : patterns) {
                String pattern = String.valueOf(p);
                if (pattern.equals(n.opType()) || globMatches(pattern, n.name()) || globMatches(pattern, label)) {
                    return true;
                }
            }
            return false;
        }

        /** {@code *} any run of characters, {@code ?} one; everything else literal. */
        static boolean globMatches(String glob, String text) {
            StringBuilder re = new StringBuilder();
            for (char c : glob.toCharArray()) {
                re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
            }
            return text != null && text.matches(re.toString());
        }

        private Map<String, Object> calibration(Value v) {
            RuleFacts.Range r = facts.calibration(v.name());
            if (r == null) {
                throw new EvalException("no calibration range for `" + v.name() + "` (check hasCalib first)");
            }
            Map<String, Object> fields = new java.util.HashMap<>(Map.of("amax", r.amax(), "scale", r.amax() / 127, "min", r.min(),
                    "max", r.max()));
            if (r.channelMean() != null) {
                double[] mean = new double[r.channelMean().length];
                for (int i = 0; i < mean.length; i++) {
                    mean[i] = r.channelMean()[i];
                }
                fields.put("mean", NdArray.ofDoubles(org.onnx2trt.tensor.DataType.FLOAT, new long[] {mean.length}, mean));
            }
            return fields;
        }

        @Override
        public NdArray constantValue(Object graphValue) {
            Value v = value(graphValue);
            return v.isConstant() ? constants.computeIfAbsent(v, k -> NdArray.of(k.initializer())) : null;
        }

        private static Value value(Object o) {
            if (o instanceof Value v) {
                return v;
            }
            throw new EvalException("expected a value of the graph, found " + o);
        }

        /** One dim ({@code shape(x)[k]}, negative counting from the end): static while others may be symbolic. */
        @Override
        public Object dim(Object o, long k) {
            Value v = value(o);
            List<Types.Dim> shape = declaredShape(v, "shape");
            Types.Dim d = shape.get(Evaluator.indexIn(k, shape.size(), "the " + shape.size() + " dims of `" + v.name() + "`"));
            if (!d.isKnown()) {
                throw new EvalException("dim " + k + " of `" + v.name() + "` is `" + d + "`, not static");
            }
            return d.value();
        }

        /** The number of dims, which is known even when some dims are symbolic. */
        private static int rank(Object o) {
            return declaredShape(value(o), "rank").size();
        }

        /** The static shape, from the value's type or its initializer. */
        private static List<Long> dims(Object o) {
            Value v = value(o);
            return declaredShape(v, "shape").stream().map(d -> {
                if (!d.isKnown()) {
                    throw new EvalException("dim `" + d + "` of `" + v.name() + "` is not static");
                }
                return d.value();
            }).toList();
        }

        /** The dims, from the value's initializer or its declared type; fails, naming {@code what}, without a rank. */
        private static List<Types.Dim> declaredShape(Value v, String what) {
            if (v.isInitializer()) {
                return java.util.Arrays.stream(v.initializer().dims()).mapToObj(Types.Dim::of).toList();
            }
            List<Types.Dim> shape = Types.shape(v.type());
            if (shape == null) {
                throw new EvalException("the " + what + " of `" + v.name() + "` is not known");
            }
            return shape;
        }
    }
}
