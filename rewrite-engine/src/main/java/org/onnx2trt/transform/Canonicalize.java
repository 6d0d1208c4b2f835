package org.onnx2trt.transform;

import org.onnx2trt.ir.Model;

/**
 * Puts a model's constants where rules look for them before any rule runs: Constant nodes become
 * initializers and, unless asked to keep them, initializers listed as graph inputs stop being inputs.
 * Neither step changes what the model computes for the inputs a caller must feed.
 */
public final class Canonicalize {

    /** What {@link #forRewriting} changed. */
    public record Changes(int initializerInputsDemoted, int constantNodesConverted) {}

    private Canonicalize() {}

    public static Changes forRewriting(Model model, boolean keepInitializerInputs) {
        int demoted = keepInitializerInputs ? 0 : model.graph().demoteInitializerInputs();
        int converted = ConstantNodes.toInitializers(model.graph());
        return new Changes(demoted, converted);
    }
}
