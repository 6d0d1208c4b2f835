package org.onnx2trt.text;

import org.onnx2trt.dsl.graphtext.GraphTextParser.ModelContext;
import org.onnx2trt.ir.Attribute;
import org.onnx2trt.ir.Model;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * Small models as readable text, for golden tests and for graphs in messages. The syntax follows
 * ONNX's own ({@code onnx.parser}, {@code onnx.printer}):
 *
 * <pre>
 * &lt;ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]&gt;   # optional; without it: ir 8, opset 17
 * conv_bn (float[N,3,8,8] x) =&gt; (float[N,4,8,8] y)              # name (inputs) =&gt; (outputs)
 * &lt;float[4,3,3,3] w = random, float[4] b = {0.1, -0.2, 0.3, 0.4}&gt;  # initializers
 * {
 *   [conv1] c = Conv &lt;kernel_shape = [3,3], pads = [1,1,1,1]&gt; (x, w, b)
 *   y = Relu (c)
 * }
 * </pre>
 *
 * <ul>
 *   <li>Types: {@code float[N,3,?,8]}: dims are numbers, symbols or {@code ?}; {@code float[]} is a
 *       scalar, {@code float} alone has unknown rank; also {@code seq(T)} and {@code optional(T)}.
 *       Dtypes: float, float16, bfloat16, double, int8, uint8, int16, uint16, int32, uint32, int64,
 *       uint64, bool and the other ONNX element types by their ONNX names.</li>
 *   <li>Data, for initializers, inputs with a default ({@code float[4] b = ...} in the inputs) and
 *       tensor attributes: {@code {1, 2.5, -inf}} in row-major order, {@code random} (normal),
 *       {@code random(lo, hi)} (uniform), {@code zeros}, {@code ones}; see {@link TensorLiterals}
 *       for the distributions and the seeding (per tensor, from the seed and its name).</li>
 *   <li>Nodes: {@code [name] out1, out2 = Op <attributes> (in1, , in3)}: the node name is optional,
 *       an empty slot is an omitted optional input or output. Ops of another domain carry it as a
 *       dotted prefix: {@code com.microsoft.FusedConv}; the domain must be in {@code opset_import}.</li>
 *   <li>Attributes: {@code axis = 1}, {@code alpha = 0.5}, {@code mode = "constant"},
 *       {@code pads = [1,1,1,1]}, {@code scales = [1.0, 2.0]}, {@code names = ["a", "b"]},
 *       {@code value = float[2] {1, 2}}, {@code then_branch = g () => (float[1] y) { ... }}; a type
 *       may be given where the value leaves it open: {@code pads: ints = []}, {@code alpha: float = 1}.</li>
 *   <li>Names that are not identifiers are strings: {@code "onnx::Conv_3"}. Comments run from
 *       {@code #} to the end of the line.</li>
 *   <li>Values are defined once (in the whole model, as ONNX wants) and before they are read.</li>
 * </ul>
 */
public final class GraphText {
    private GraphText() {}

    /**
     * The model a text describes.
     *
     * @param sourceName names the text in error messages, such as a file name
     * @param seed seeds the data of {@code random} tensors (each tensor mixes in its own name)
     * @throws GraphTextException at the first syntax error or meaning error, with its line and column
     */
    public static Model parse(String text, String sourceName, long seed) {
        ModelContext tree = GraphTextSyntax.parse(text, sourceName);
        return Model.fromProto(new GraphTextLowering(sourceName, seed).model(tree));
    }

    /**
     * The text of a model; {@code parse(print(m))} is structurally equal to {@code m}
     * ({@link StructuralDiff}), and large initializers printed as {@code random} get their data back
     * when the model itself came from text parsed with the same seed. The header, graph inputs,
     * outputs, initializers and nodes are written; value_info, doc strings and metadata are not.
     *
     * @throws IllegalArgumentException for what the text cannot express: string tensors, map and
     *     sparse types, attributes holding several graphs or tensors, op types that are not identifiers
     */
    public static String print(Model model) {
        return GraphTextPrinter.print(model);
    }

    /** Tensors of up to this many elements are printed as literals; larger ones as {@code random}. */
    public static final int LITERAL_LIMIT = GraphTextPrinter.LITERAL_LIMIT;

    /** An attribute's value as the text form writes it (for messages that quote one). */
    public static String attributeText(Attribute a) {
        return GraphTextPrinter.attributeValue(a);
    }

    /** Element {@code i} of {@code v} as the text form writes it. */
    public static String elementText(TensorView v, int i) {
        return TensorLiterals.element(v, i);
    }

    /** A tensor's data as a literal, or a summary past {@code limit} elements. */
    public static String dataText(Tensor t, int limit) {
        return TensorLiterals.dataText(t, limit);
    }
}
