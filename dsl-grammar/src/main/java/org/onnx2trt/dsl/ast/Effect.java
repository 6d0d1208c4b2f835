package org.onnx2trt.dsl.ast;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a rule changes beyond the function of the graph, declared in its header ({@code effect logits})
 * so that the engine, the verifier and the report act on it without knowing the rule by name.
 */
public enum Effect {
    /**
     * A graph output the rule replaces holds the logit of what it held (a Sigmoid head removed). The
     * engine lists such outputs in the model's metadata; verification compares them through a sigmoid,
     * and the report tells the user to convert score thresholds.
     */
    LOGITS("logits");

    private final String spelling;

    Effect(String spelling) {
        this.spelling = spelling;
    }

    /** The name in a rule header. */
    public String spelling() {
        return spelling;
    }

    /** The effect spelled {@code name}, if there is one. */
    public static Optional<Effect> named(String name) {
        return Arrays.stream(values()).filter(e -> e.spelling.equals(name)).findFirst();
    }

    /** Every spelling, for messages. */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(Effect::spelling).toList();
    }
}
