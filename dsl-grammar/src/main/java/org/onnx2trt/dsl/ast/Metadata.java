package org.onnx2trt.dsl.ast;

import java.util.List;
import java.util.Set;

/**
 * A rule's metadata.
 *
 * @param opsetFrom the lowest default-domain opset the rule applies to (0: any)
 * @param opsetTo the highest (Integer.MAX_VALUE: no upper bound)
 * @param benefit higher runs first among rules on the same root op (default 1)
 * @param tags free labels to select rules by ({@code fusion}, {@code quant}, ...)
 * @param optIn whether the rule runs only when a recipe or {@code --enable} names it or one of its
 *     tags ({@code opt-in}): rules that change what an output means, or that trade accuracy
 * @param effects what the rule changes beyond the graph's function ({@code effect logits})
 * @param approxSnrDb for an approximate rule ({@code approx snr 30}), the output SNR in dB it promises
 *     to keep; null for an exact rule
 * @param span where the metadata starts, or the rule's span when there is none
 */
public record Metadata(int opsetFrom, int opsetTo, int benefit, List<String> tags, boolean optIn, Set<Effect> effects,
                       Double approxSnrDb, Span span) {
    public static final int DEFAULT_BENEFIT = 1;

    public Metadata {
        tags = List.copyOf(tags);
        effects = Set.copyOf(effects);
    }

    /** Whether the rule changes numbers on purpose (quantization) and states a bound instead of equality. */
    public boolean isApproximate() {
        return approxSnrDb != null;
    }

    public boolean appliesToOpset(long opset) {
        return opset >= opsetFrom && opset <= opsetTo;
    }
}
