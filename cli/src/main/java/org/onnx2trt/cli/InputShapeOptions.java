package org.onnx2trt.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --input-shape NAME:D0,D1,..} for the commands that read data into a model (calibrate, quantize, evaluate, benchmark). */
final class InputShapeOptions {
    @Option(names = "--input-shape", paramLabel = "NAME:D0,D1,..",
            description = "the shape of an input with symbolic dims (an image input's height and width)")
    List<String> inputShapes = new ArrayList<>();

    /** The shapes given, parsed; a malformed one is the user's mistake. */
    org.onnx2trt.sample.InputShapes inputShapes() {
        try {
            return org.onnx2trt.sample.InputShapes.parse(inputShapes);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
