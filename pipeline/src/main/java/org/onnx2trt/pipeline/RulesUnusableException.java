package org.onnx2trt.pipeline;

/**
 * The rules a run asked for cannot be had: a rule file with errors, or a rule or tag name that does
 * not exist. Unlike a model's own problem it is the same for every model, so a batch stops at it
 * instead of reporting it once per model.
 */
public final class RulesUnusableException extends PipelineInputException {
    public RulesUnusableException(String message) {
        super(message);
    }
}
