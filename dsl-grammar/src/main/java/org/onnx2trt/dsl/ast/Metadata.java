package org.onnx2trt.dsl.ast;

import java.util.List;

/**
 * A rule's metadata.
 *
 * @param opsetFrom the lowest default-domain opset the rule applies to (0: any)
 * @param opsetTo the highest (Integer.MAX_VALUE: no upper bound)
 * @param benefit higher runs first among rules on the same root op (default 1)
 * @param tags free labels to select rules by ({@code fusion}, {@code quant}, ...)
 * @param span where the metadata starts, or the rule's span when there is none
 */
public record Metadata(int opsetFrom, int opsetTo, int benefit, List<String> tags, Span span) {
    public static final int DEFAULT_BENEFIT = 1;

    public Metadata {
        tags = List.copyOf(tags);
    }

    public boolean appliesToOpset(long opset) {
        return opset >= opsetFrom && opset <= opsetTo;
    }
}
