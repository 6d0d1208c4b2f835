package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.io.ModelReader;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Port;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.tensor.DataType;

/**
 * {@code --precision fp16}: every corpus and export model converts, runs in onnxruntime and keeps the
 * stage's bound (40 dB against float32); the interface stays float32 unless {@code --fp16-io}.
 */
class Float16CommandTest {
    @TempDir
    Path dir;

    static Stream<Path> models() throws IOException {
        List<Path> all = new ArrayList<>();
        for (String folder : new String[] {"corpus", "exports"}) {
            try (Stream<Path> s = Files.list(Path.of("..", "testdata", folder))) {
                s.filter(p -> p.toString().endsWith(".onnx")).sorted().forEach(all::add);
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyCorpusModelConvertsAndKeepsTheBound(Path model) throws IOException {
        Path out = dir.resolve("fp16.onnx");
        Path report = dir.resolve("r.json");
        CliTest.Run r = CliTest.run("run", "default", "--model", model.toString(), "-o", out.toString(), "--precision", "fp16",
                "--report", report.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode fp16 = null;
        for (JsonNode stage : new ObjectMapper().readTree(report.toFile()).path("stages")) {
            if (stage.path("stage").asText().equals("fp16")) {
                fp16 = stage;
            }
        }
        assertTrue(fp16 != null && fp16.path("float16_nodes").asInt() > 0, r.out());
        fp16.path("snr_db").fields().forEachRemaining(e -> assertTrue(e.getValue().isNull() || e.getValue().asDouble() >= 40,
                model + ": " + e));
        System.out.println("[fp16] " + model.getFileName() + " " + fp16.path("snr_db") + " kept " + fp16.path("kept_float32"));
        Model m = ModelReader.read(out);
        Model original = ModelReader.read(model);
        assertEquals(original.graph().outputs().stream().map(Port::name).toList(),
                m.graph().outputs().stream().map(Port::name).toList(), "the interface keeps its names");
        for (Port p : m.graph().outputs()) {
            int elem = Types.elemType(p.declaration().getType());
            assertTrue(elem != DataType.FLOAT16.code(), p.name() + " stays float32");
        }
        assertTrue(m.graph().initializers().stream().map(Value::initializer).anyMatch(t -> t.dataType() == DataType.FLOAT16),
                "weights are float16");
    }

    @Test
    void fp16IoMakesTheInterfaceFloat16AndBadFlagsAreRefused() throws IOException {
        Path model = Path.of("..", "testdata", "corpus", "resnet18_w8.onnx");
        Path out = dir.resolve("io16.onnx");
        CliTest.Run r = CliTest.run("optimize", model.toString(), "-o", out.toString(), "--precision", "fp16", "--fp16-io");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("fp16: against the float32 model (bound 40.0 dB)"), r.out());
        Model m = ModelReader.read(out);
        assertEquals(DataType.FLOAT16.code(), Types.elemType(m.graph().inputs().get(0).declaration().getType()));
        assertEquals(DataType.FLOAT16.code(), Types.elemType(m.graph().outputs().get(0).declaration().getType()));

        CliTest.Run bad = CliTest.run("optimize", model.toString(), "-o", out.toString(), "--precision", "int8");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--precision int8: give fp32 or fp16 (int8 is `./onnx2trt quantize`)"), bad.err());
        CliTest.Run tooTight = CliTest.run("optimize", model.toString(), "-o", dir.resolve("t.onnx").toString(), "--precision",
                "fp16", "--fp16-min-snr", "200");
        assertEquals(1, tooTight.code(), tooTight.out() + tooTight.err());
        assertTrue(tooTight.err().contains("below the 200.0 dB the recipe asks"), tooTight.err());
        assertFalse(Files.exists(dir.resolve("t.onnx")), "nothing written when the bound fails");
    }
}
