package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.NodeProto;
import org.onnx2trt.proto.Onnx.OperatorSetIdProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.proto.Onnx.TensorShapeProto;
import org.onnx2trt.proto.Onnx.TypeProto;
import org.onnx2trt.proto.Onnx.ValueInfoProto;

/**
 * Shapes no tensor can have (issue 16): declared dims whose product overflows, negative dims, an
 * initializer of 2^66 elements, and a valid but huge input no sample can be made for. Every command
 * that reads them says so in one exit-2 error, without a stack trace, and writes nothing.
 */
class MalformedShapesTest {
    @TempDir
    Path dir;

    @Test
    void impossibleShapesAreOneClearError() throws IOException {
        check(model("overflow.onnx", type(1L << 40, 1L << 40), null), "more elements than a 64-bit count holds");
        check(model("negative.onnx", type(-11), null), "declares the dim -11");
        TensorProto huge = TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 33).addDims(1L << 33).build();
        check(model("initializer.onnx", type(2), huge), "initializer `w` has dims [8589934592, 8589934592]");
    }

    @Test
    void aHugeValidInputGetsNoSampleButAClearError() throws IOException {
        Path m = model("huge.onnx", type(1L << 20, 1L << 20), null);
        CliTest.Run r = CliTest.run("verify", m.toString(), m.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("holds more than 536870912 elements (the limit of a generated sample"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    private void check(Path m, String message) {
        for (List<String> args : List.of(List.of("inspect", m.toString()), List.of("convert", m.toString(), dir.resolve("c.onnx").toString()),
                List.of("optimize", m.toString(), "-o", dir.resolve("o.onnx").toString(), "--no-verify"),
                List.of("verify", m.toString(), m.toString()))) {
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.out() + r.err());
            assertTrue(r.err().contains(message), args + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertFalse(Files.exists(dir.resolve("c.onnx")) || Files.exists(dir.resolve("o.onnx")), "nothing written");
        }
    }

    private static TypeProto type(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape)).build();
    }

    /** y = Relu(x), or x + w with {@code initializer} w; x and y of {@code type}. */
    private Path model(String name, TypeProto type, TensorProto initializer) throws IOException {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(type));
        if (initializer == null) {
            g.addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y"));
        } else {
            g.addNode(NodeProto.newBuilder().setOpType("Add").addInput("x").addInput(initializer.getName()).addOutput("y"))
                    .addInitializer(initializer);
        }
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(g).build();
        return Files.write(dir.resolve(name), m.toByteArray());
    }
}
