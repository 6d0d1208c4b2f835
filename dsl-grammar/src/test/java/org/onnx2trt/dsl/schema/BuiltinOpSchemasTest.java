package org.onnx2trt.dsl.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bundled table, pinned against the ONNX operator specification. */
class BuiltinOpSchemasTest {

    private static final OpSchemas SCHEMAS = OpSchemas.builtin();

    /** The operators CNN, detection and transformer exports use; every one must be known. */
    private static final List<String> REQUIRED = List.of(
            "Conv", "ConvTranspose", "BatchNormalization", "InstanceNormalization", "LayerNormalization",
            "GroupNormalization", "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
            "Softmax", "LogSoftmax", "Elu", "Selu", "Gelu", "Mish", "Softplus", "Clip", "Add", "Sub", "Mul",
            "Div", "Pow", "Sqrt", "Reciprocal", "Neg", "Abs", "Exp", "Log", "Erf", "Floor", "Ceil", "Round",
            "Sign", "Min", "Max", "Sum", "Mean", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
            "And", "Or", "Not", "Xor", "Where", "MatMul", "Gemm", "Einsum", "MaxPool", "AveragePool",
            "GlobalAveragePool", "GlobalMaxPool", "LpPool", "Flatten", "Reshape", "Transpose", "Squeeze",
            "Unsqueeze", "Concat", "Split", "Slice", "Gather", "GatherElements", "GatherND", "ScatterND",
            "ScatterElements", "Expand", "Tile", "Pad", "Resize", "Upsample", "Shape", "Size",
            "ConstantOfShape", "Constant", "Range", "Cast", "CastLike", "Identity", "Dropout", "ReduceSum",
            "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceLogSumExp", "ArgMax",
            "ArgMin", "TopK", "NonZero", "NonMaxSuppression", "CumSum", "DepthToSpace", "SpaceToDepth",
            "QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul", "MatMulInteger",
            "ConvInteger", "If", "Loop", "Scan", "Trilu", "OneHot", "LRN", "Attention", "IsNaN", "IsInf",
            "Mod", "BitShift", "Sin", "Cos", "GridSample", "RoiAlign");

    @Test
    void loadsOnceWithEveryRequiredOperator() {
        assertTrue(OpSchemas.builtin() == SCHEMAS, "builtin() parses the resource once");
        List<String> missing = new ArrayList<>(REQUIRED);
        missing.removeAll(SCHEMAS.names());
        assertEquals(List.of(), missing);
        assertTrue(SCHEMAS.names().size() >= 100, "ops: " + SCHEMAS.names().size());
        assertEquals(List.of(""), List.copyOf(SCHEMAS.domains()));
    }

    @Test
    void convMatchesTheSpec() {
        OpSchema conv = SCHEMAS.find("Conv", 11).orElseThrow();
        assertEquals(11, conv.sinceVersion());
        assertEquals(List.of(new ParamSpec("X", false, false), new ParamSpec("W", false, false),
                new ParamSpec("B", true, false)), conv.inputs());
        assertEquals(List.of(new ParamSpec("Y", false, false)), conv.outputs());
        assertEquals(List.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"),
                conv.attributes().stream().map(AttributeSpec::name).toList());
        assertEquals(new AttributeSpec("auto_pad", AttributeKind.STRING, "NOTSET", false),
                conv.attribute("auto_pad").orElseThrow());
        assertEquals(1L, conv.attribute("group").orElseThrow().defaultValue());
        AttributeSpec pads = conv.attribute("pads").orElseThrow();
        assertEquals(AttributeKind.INTS, pads.kind());
        assertNull(pads.defaultValue());
        assertFalse(pads.required());
        assertEquals(2, conv.inputIndex("B"));
        assertEquals(-1, conv.inputIndex("bias"));
        assertEquals(2, conv.minInputs());
        assertEquals(3, conv.maxInputs());
        assertEquals(List.of(1, 11, 22), versions("Conv"));
    }

    @Test
    void squeezeAxesMoveFromAttributeToInputAt13() {
        OpSchema v11 = SCHEMAS.find("Squeeze", 11).orElseThrow();
        assertEquals(AttributeKind.INTS, v11.attribute("axes").orElseThrow().kind());
        assertEquals(-1, v11.inputIndex("axes"));
        OpSchema v13 = SCHEMAS.find("Squeeze", 13).orElseThrow();
        assertTrue(v13.attribute("axes").isEmpty());
        assertEquals(new ParamSpec("axes", true, false), v13.inputs().get(1));

        assertTrue(SCHEMAS.find("Unsqueeze", 11).orElseThrow().attribute("axes").orElseThrow().required());
        assertEquals(new ParamSpec("axes", false, false), SCHEMAS.find("Unsqueeze", 13).orElseThrow().inputs().get(1));
    }

    @Test
    void clipBoundsMoveFromAttributesToInputsAt11() {
        OpSchema v6 = SCHEMAS.find("Clip", 6).orElseThrow();
        assertEquals(1, v6.inputs().size());
        assertEquals(-3.402823e38f, v6.attribute("min").orElseThrow().defaultValue());
        assertEquals(3.402823e38f, v6.attribute("max").orElseThrow().defaultValue());
        for (int opset : new int[] {11, 12, 13, 19}) {
            OpSchema clip = SCHEMAS.find("Clip", opset).orElseThrow();
            assertEquals(List.of("input", "min", "max"), clip.inputs().stream().map(ParamSpec::name).toList());
            assertTrue(clip.input("min").orElseThrow().optional());
            assertTrue(clip.attributes().isEmpty(), "Clip-" + clip.sinceVersion());
        }
    }

    @Test
    void batchNormalizationDefaultsAndOutputs() {
        OpSchema v9 = SCHEMAS.find("BatchNormalization", 9).orElseThrow();
        assertEquals(1e-5f, v9.attribute("epsilon").orElseThrow().defaultValue());
        assertEquals(0.9f, v9.attribute("momentum").orElseThrow().defaultValue());
        assertEquals(5, v9.outputs().size());
        assertTrue(v9.attribute("spatial").isEmpty());
        assertEquals(1L, SCHEMAS.find("BatchNormalization", 7).orElseThrow().attribute("spatial").orElseThrow().defaultValue());

        OpSchema v15 = SCHEMAS.find("BatchNormalization", 17).orElseThrow();
        assertEquals(15, v15.sinceVersion());
        assertEquals(List.of("X", "scale", "B", "input_mean", "input_var"),
                v15.inputs().stream().map(ParamSpec::name).toList());
        assertEquals(List.of("Y", "running_mean", "running_var"), v15.outputs().stream().map(ParamSpec::name).toList());
        assertEquals(0L, v15.attribute("training_mode").orElseThrow().defaultValue());
        assertEquals(1e-5f, v15.attribute("epsilon").orElseThrow().defaultValue());
        assertEquals(List.of(1, 6, 7, 9, 14, 15), versions("BatchNormalization"));
    }

    @Test
    void gemmDefaults() {
        OpSchema gemm = SCHEMAS.find("Gemm", 13).orElseThrow();
        assertEquals(1.0f, gemm.attribute("alpha").orElseThrow().defaultValue());
        assertEquals(1.0f, gemm.attribute("beta").orElseThrow().defaultValue());
        assertEquals(0L, gemm.attribute("transA").orElseThrow().defaultValue());
        assertEquals(0L, gemm.attribute("transB").orElseThrow().defaultValue());
        assertTrue(gemm.input("C").orElseThrow().optional());
        OpSchema v7 = SCHEMAS.find("Gemm", 7).orElseThrow();
        assertFalse(v7.input("C").orElseThrow().optional());
        assertTrue(v7.attribute("broadcast").isEmpty());
        assertTrue(SCHEMAS.find("Gemm", 6).orElseThrow().attribute("broadcast").isPresent());
    }

    @Test
    void concatIsVariadicWithRequiredAxis() {
        OpSchema concat = SCHEMAS.find("Concat", 13).orElseThrow();
        assertEquals(List.of(new ParamSpec("inputs", false, true)), concat.inputs());
        assertTrue(concat.attribute("axis").orElseThrow().required());
        assertEquals(1, concat.minInputs());
        assertEquals(Integer.MAX_VALUE, concat.maxInputs());
        assertFalse(SCHEMAS.find("Concat", 3).orElseThrow().attribute("axis").orElseThrow().required());
    }

    @Test
    void resizeInputsAt10And11And13() {
        assertEquals(List.of("X", "scales"), inputNames("Resize", 10));
        OpSchema v11 = SCHEMAS.find("Resize", 11).orElseThrow();
        assertEquals(List.of("X", "roi", "scales", "sizes"), inputNames("Resize", 11));
        assertFalse(v11.input("roi").orElseThrow().optional());
        assertFalse(v11.input("scales").orElseThrow().optional());
        assertTrue(v11.input("sizes").orElseThrow().optional());
        assertEquals("half_pixel", v11.attribute("coordinate_transformation_mode").orElseThrow().defaultValue());
        assertEquals(-0.75f, v11.attribute("cubic_coeff_a").orElseThrow().defaultValue());
        OpSchema v13 = SCHEMAS.find("Resize", 13).orElseThrow();
        assertTrue(v13.input("roi").orElseThrow().optional());
        assertTrue(v13.input("scales").orElseThrow().optional());
        assertTrue(v13.attribute("antialias").isEmpty());
        assertEquals(0L, SCHEMAS.find("Resize", 19).orElseThrow().attribute("antialias").orElseThrow().defaultValue());
    }

    @Test
    void quantizeLinearAxisAndVersions() {
        assertEquals(List.of(10, 13, 19, 21, 23, 24, 25), versions("QuantizeLinear"));
        assertTrue(SCHEMAS.find("QuantizeLinear", 10).orElseThrow().attributes().isEmpty());
        assertEquals(1L, SCHEMAS.find("QuantizeLinear", 13).orElseThrow().attribute("axis").orElseThrow().defaultValue());
        assertEquals(1L, SCHEMAS.find("QuantizeLinear", 19).orElseThrow().attribute("saturate").orElseThrow().defaultValue());
        assertEquals(0L, SCHEMAS.find("QuantizeLinear", 21).orElseThrow().attribute("block_size").orElseThrow().defaultValue());
        assertTrue(SCHEMAS.find("QuantizeLinear", 23).orElseThrow().attribute("precision").isPresent());
        assertTrue(SCHEMAS.find("DequantizeLinear", 21).orElseThrow().attribute("output_dtype").isEmpty());
        assertTrue(SCHEMAS.find("DequantizeLinear", 23).orElseThrow().attribute("output_dtype").isPresent());
        assertTrue(SCHEMAS.find("DequantizeLinear", 13).orElseThrow().input("x_zero_point").orElseThrow().optional());
    }

    @Test
    void dropoutRatioBecomesAnInputAt12() {
        OpSchema v10 = SCHEMAS.find("Dropout", 11).orElseThrow();
        assertEquals(0.5f, v10.attribute("ratio").orElseThrow().defaultValue());
        OpSchema v12 = SCHEMAS.find("Dropout", 12).orElseThrow();
        assertEquals(List.of("data", "ratio", "training_mode"), inputNames("Dropout", 12));
        assertTrue(v12.input("ratio").orElseThrow().optional());
        assertTrue(v12.attribute("ratio").isEmpty());
        assertTrue(v12.attribute("seed").isPresent());
        assertTrue(v12.output("mask").orElseThrow().optional());
    }

    @ParameterizedTest(name = "{0} at opset {1} is revision {2}")
    @CsvSource({
        "Conv, 7, 1", "Conv, 11, 11", "Conv, 13, 11", "Conv, 17, 11", "Conv, 19, 11",
        "Squeeze, 7, 1", "Squeeze, 11, 11", "Squeeze, 13, 13", "Squeeze, 17, 13", "Squeeze, 19, 13",
        "ReduceSum, 7, 1", "ReduceSum, 11, 11", "ReduceSum, 13, 13", "ReduceSum, 19, 13",
        "ReduceMean, 13, 13", "ReduceMean, 17, 13", "ReduceMean, 18, 18", "ReduceMean, 19, 18",
        "Split, 7, 2", "Split, 11, 11", "Split, 13, 13", "Split, 17, 13", "Split, 19, 18",
        "Pad, 7, 2", "Pad, 11, 11", "Pad, 13, 13", "Pad, 17, 13", "Pad, 19, 19",
        "Resize, 11, 11", "Resize, 13, 13", "Resize, 17, 13", "Resize, 19, 19",
        "Slice, 7, 1", "Slice, 11, 11", "Slice, 13, 13",
        "Upsample, 7, 7", "Upsample, 9, 9", "Cast, 17, 13", "Cast, 19, 19",
        "BatchNormalization, 7, 7", "BatchNormalization, 11, 9", "BatchNormalization, 17, 15",
        "Softmax, 11, 11", "Softmax, 13, 13", "LayerNormalization, 17, 17", "Attention, 23, 23",
    })
    void findPicksTheRevisionInForce(String op, int opset, int since) {
        assertEquals(since, SCHEMAS.find(op, opset).orElseThrow().sinceVersion());
        assertEquals(since, SCHEMAS.find("ai.onnx", op, opset).orElseThrow().sinceVersion());
    }

    @Test
    void findIsEmptyBeforeAnOperatorExistsOrForUnknownOps() {
        assertTrue(SCHEMAS.find("LayerNormalization", 16).isEmpty());
        assertTrue(SCHEMAS.find("Attention", 22).isEmpty());
        assertTrue(SCHEMAS.find("Covn", 13).isEmpty());
        assertTrue(SCHEMAS.find("com.example", "Conv", 13).isEmpty());
        assertEquals(List.of(), SCHEMAS.all("Covn"));
    }

    @Test
    void softmaxDefaultAxisChangesAt13() {
        assertEquals(1L, SCHEMAS.find("Softmax", 11).orElseThrow().attribute("axis").orElseThrow().defaultValue());
        assertEquals(-1L, SCHEMAS.find("Softmax", 13).orElseThrow().attribute("axis").orElseThrow().defaultValue());
    }

    @Test
    void variadicAndArity() {
        assertTrue(SCHEMAS.find("Sum", 13).orElseThrow().input("data_0").orElseThrow().variadic());
        assertTrue(SCHEMAS.find("If", 13).orElseThrow().outputs().get(0).variadic());
        assertTrue(SCHEMAS.find("If", 13).orElseThrow().attribute("then_branch").orElseThrow().required());
        assertEquals(AttributeKind.GRAPH, SCHEMAS.find("Loop", 13).orElseThrow().attribute("body").orElseThrow().kind());
        assertEquals(3, SCHEMAS.find("Loop", 1).orElseThrow().minInputs());
        assertEquals(2, SCHEMAS.find("Loop", 13).orElseThrow().minInputs());
        assertTrue(SCHEMAS.find("Split", 13).orElseThrow().outputs().get(0).variadic());
        assertEquals("equation", SCHEMAS.find("Einsum", 12).orElseThrow().attributes().get(0).name());
    }

    @Test
    void deprecatedRevisionsAreMarked() {
        assertTrue(SCHEMAS.find("Upsample", 10).orElseThrow().deprecated());
        assertFalse(SCHEMAS.find("Upsample", 9).orElseThrow().deprecated());
        assertTrue(SCHEMAS.find("Upsample", 13).orElseThrow().deprecated());
    }

    @Test
    void listDefaultsAreTyped() {
        assertEquals(List.of(0L, 2L, 3L),
                SCHEMAS.find("MeanVarianceNormalization", 13).orElseThrow().attribute("axes").orElseThrow().defaultValue());
    }

    @Test
    void tablesAreImmutable() {
        OpSchema conv = SCHEMAS.find("Conv", 13).orElseThrow();
        assertThrows(UnsupportedOperationException.class, () -> conv.inputs().add(new ParamSpec("Z", false, false)));
        assertThrows(UnsupportedOperationException.class, () -> SCHEMAS.all("Conv").clear());
        assertThrows(UnsupportedOperationException.class, () -> SCHEMAS.names().add("Foo"));
    }

    private static List<Integer> versions(String op) {
        return SCHEMAS.all(op).stream().map(OpSchema::sinceVersion).toList();
    }

    private static List<String> inputNames(String op, int opset) {
        return SCHEMAS.find(op, opset).orElseThrow().inputs().stream().map(ParamSpec::name).toList();
    }
}
