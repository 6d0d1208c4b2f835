package org.onnx2trt.cli;

/**
 * The rules a command asked for cannot be had: a rule file with errors, or a rule or tag name that
 * does not exist. Unlike a model's own problem it is the same for every model, so a batch stops at
 * it instead of reporting it once per model.
 */
final class RulesUnusable extends UserError {
    RulesUnusable(String message) {
        super(message);
    }
}
