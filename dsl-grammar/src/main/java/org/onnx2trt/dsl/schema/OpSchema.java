package org.onnx2trt.dsl.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.onnx2trt.dsl.diag.Suggestions;

/**
 * One revision of an operator's signature: what a node of type {@code name} in {@code domain}
 * looks like in every opset from {@code sinceVersion} up to the next revision.
 *
 * <p>Inputs and outputs are in positional order; attributes are in the order the schema file
 * lists them (by name). The default domain is stored as {@code ""}; {@code "ai.onnx"} is
 * accepted wherever a domain is looked up.
 *
 * @param domain       the operator set domain, {@code ""} for the default ONNX domain
 * @param name         the op type, e.g. {@code "Conv"}
 * @param sinceVersion the opset version that introduced this revision
 * @param inputs       formal inputs, in order
 * @param outputs      formal outputs, in order
 * @param attributes   attributes, sorted by name
 * @param deprecated   whether the spec marks this revision deprecated (Upsample-10, Scatter-11)
 */
public record OpSchema(
        String domain,
        String name,
        int sinceVersion,
        List<ParamSpec> inputs,
        List<ParamSpec> outputs,
        List<AttributeSpec> attributes,
        boolean deprecated) {

    public OpSchema {
        domain = OpSchemas.normalizeDomain(domain);
        Objects.requireNonNull(name, "name");
        if (sinceVersion < 1) {
            throw new IllegalArgumentException("since-version must be positive, got " + sinceVersion);
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
        checkVariadicLast(name, "input", inputs);
        checkVariadicLast(name, "output", outputs);
    }

    /** A revision that is not deprecated. */
    public OpSchema(String domain, String name, int sinceVersion, List<ParamSpec> inputs,
                    List<ParamSpec> outputs, List<AttributeSpec> attributes) {
        this(domain, name, sinceVersion, inputs, outputs, attributes, false);
    }

    private static void checkVariadicLast(String op, String what, List<ParamSpec> params) {
        for (int i = 0; i < params.size() - 1; i++) {
            if (params.get(i).variadic()) {
                throw new IllegalArgumentException("`" + op + "`: only the last " + what
                        + " may be variadic, not `" + params.get(i).name() + "`");
            }
        }
    }

    /** Whether this operator belongs to the default ONNX domain. */
    public boolean isDefaultDomain() {
        return domain.isEmpty();
    }

    /** The formal input called {@code name} (exact, case-sensitive), if there is one. */
    public Optional<ParamSpec> input(String name) {
        return find(inputs, name);
    }

    /** The position of the formal input called {@code name}, or -1 if there is none. */
    public int inputIndex(String name) {
        return indexOf(inputs, name);
    }

    /** The formal output called {@code name}, if there is one. */
    public Optional<ParamSpec> output(String name) {
        return find(outputs, name);
    }

    /** The position of the formal output called {@code name}, or -1 if there is none. */
    public int outputIndex(String name) {
        return indexOf(outputs, name);
    }

    /** The attribute called {@code name}, if this revision has one. */
    public Optional<AttributeSpec> attribute(String name) {
        for (int i = 0; i < attributes.size(); i++) { // a matcher asks this per node and attribute: no stream
            if (attributes.get(i).name().equals(name)) {
                return Optional.of(attributes.get(i));
            }
        }
        return Optional.empty();
    }

    /** Input names close to {@code misspelled}, best first, for "did you mean" messages. */
    public List<String> suggestInput(String misspelled) {
        return Suggestions.ranked(misspelled, inputs.stream().map(ParamSpec::name).toList());
    }

    /** Output names close to {@code misspelled}, best first. */
    public List<String> suggestOutput(String misspelled) {
        return Suggestions.ranked(misspelled, outputs.stream().map(ParamSpec::name).toList());
    }

    /** Attribute names close to {@code misspelled}, best first. */
    public List<String> suggestAttribute(String misspelled) {
        return Suggestions.ranked(misspelled, attributes.stream().map(AttributeSpec::name).toList());
    }

    /**
     * The fewest inputs a node may list, counted as ONNX counts them: optional inputs before
     * the last required one still take a position (Loop needs at least 2 since opset 11).
     */
    public int minInputs() {
        return minArity(inputs);
    }

    /** The most inputs a node may list; {@link Integer#MAX_VALUE} when the last is variadic. */
    public int maxInputs() {
        return maxArity(inputs);
    }

    /** The fewest outputs a node may list. */
    public int minOutputs() {
        return minArity(outputs);
    }

    /** The most outputs a node may list; {@link Integer#MAX_VALUE} when the last is variadic. */
    public int maxOutputs() {
        return maxArity(outputs);
    }

    private static Optional<ParamSpec> find(List<ParamSpec> params, String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static int indexOf(List<ParamSpec> params, String name) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    // Same rule as OpSchema::Finalize in onnx/defs/schema.cc.
    private static int minArity(List<ParamSpec> params) {
        int min = 0;
        int seen = 0;
        for (ParamSpec p : params) {
            if (p.variadic()) {
                min = seen + p.minArity();
            } else {
                seen++;
                if (!p.optional()) {
                    min = seen;
                }
            }
        }
        return min;
    }

    private static int maxArity(List<ParamSpec> params) {
        boolean variadic = !params.isEmpty() && params.get(params.size() - 1).variadic();
        return variadic ? Integer.MAX_VALUE : params.size();
    }

    /** {@code Conv-11}, or {@code com.example.MyOp-1} outside the default domain. */
    @Override
    public String toString() {
        return (domain.isEmpty() ? "" : domain + ".") + name + "-" + sinceVersion;
    }
}
