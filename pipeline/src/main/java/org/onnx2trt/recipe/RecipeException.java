package org.onnx2trt.recipe;

/** A recipe that cannot be used: the message reads {@code file:line:col: error: what (fix)}. */
public final class RecipeException extends Exception {
    public RecipeException(String message) {
        super(message);
    }
}
