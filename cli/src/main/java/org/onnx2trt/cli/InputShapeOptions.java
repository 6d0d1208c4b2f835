package org.onnx2trt.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --input-shape NAME:D0,D1,..} for the commands that read data into a model (calibrate, quantize, evaluate). */
final class InputShapeOptions {
    @Option(names = "--input-shape", paramLabel = "NAME:D0,D1,..",
            description = "the shape of an input with symbolic dims (an image input's height and width)")
    List<String> inputShapes = new ArrayList<>();
}
