package org.onnx2trt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onnx2trt.builder.GraphBuilder;
import org.onnx2trt.builder.SampleModels;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.GraphProto;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.StringStringEntryProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.ExternalLocation;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.testing.MemoryTempDir;

/**
 * Weights in a side file: the layout the writer makes, reading it back without copies, converting
 * between layouts, and every way a side-file reference can be wrong, with its exact message.
 */
class ExternalDataTest {
    private static final long THRESHOLD = 1024;

    @TempDir(factory = MemoryTempDir.class)
    Path dir;

    // ---- the layout ------------------------------------------------------------------------------

    /** The built-in classifier plus a 300 KiB weight that nothing reads (the writer need not care). */
    private static Model classifierWithBigWeight() {
        Model model = SampleModels.classifier();
        model.graph().addInitializer(new GraphBuilder("big", 99).randomTensor("big.weight", new long[] {256, 300}, 0, 1));
        return model;
    }

    @Test
    void largeTensorsGoToTheSideFileAlignedAndSmallOnesStayInline() throws IOException {
        Model model = classifierWithBigWeight();
        Path out = dir.resolve("model.onnx");
        WriteResult result = ModelWriter.write(model, out, WriteOptions.external(THRESHOLD));

        Path data = dir.resolve("model.onnx.data");
        assertEquals(data, result.dataFile());
        assertEquals(Files.size(data), result.dataBytes());
        assertEquals(Files.size(out), result.modelBytes());
        assertEquals(List.of("model.onnx", "model.onnx.data"), list(dir));

        Map<String, Tensor> originals = initializers(model);
        byte[] side = Files.readAllBytes(data);
        List<String> external = new ArrayList<>();
        long end = 0;
        for (TensorProto t : ModelReader.parse(out).getGraph().getInitializerList()) {
            Tensor original = originals.get(t.getName());
            int length = Math.toIntExact(original.storedByteLength());
            if (length < THRESHOLD) {
                assertFalse(t.hasDataLocation(), t.getName());
                assertEquals(0, t.getExternalDataCount(), t.getName());
                assertEquals(original.bytes(), t.getRawData().asReadOnlyByteBuffer(), t.getName());
                continue;
            }
            external.add(t.getName());
            assertEquals(TensorProto.DataLocation.EXTERNAL, t.getDataLocation(), t.getName());
            assertFalse(t.hasRawData(), t.getName());
            assertEquals(List.of("location", "offset", "length"),
                    t.getExternalDataList().stream().map(StringStringEntryProto::getKey).toList());
            assertEquals("model.onnx.data", t.getExternalData(0).getValue());
            long offset = Long.parseLong(t.getExternalData(1).getValue());
            assertEquals(Integer.toString(length), t.getExternalData(2).getValue());
            int alignment = length >= 4096 ? 4096 : 64;
            assertEquals(0, offset % alignment, t.getName() + " at " + offset + " is aligned to " + alignment);
            assertTrue(offset >= end, t.getName() + " does not overlap the tensor before it");
            assertEquals(original.bytes(), ByteBuffer.wrap(side, (int) offset, length), t.getName() + "'s bytes");
            end = offset + length;
        }
        assertEquals(List.of("unit0.conv.weight", "unit3.conv.weight", "big.weight"), external);
        assertEquals(end, side.length, "the side file ends with the last tensor");
        assertEquals(3, result.externalTensors());
        assertEquals(originals.size() - 3, result.inlineTensors());
    }

    /** The threshold counts bytes and is inclusive: a tensor of exactly that size goes to the side file. */
    @Test
    void thresholdIsInclusive() {
        Model model = SampleModels.classifier(); // head.weight is 640 bytes, head.bias 40
        Path out = dir.resolve("model.onnx");
        ModelWriter.write(model, out, WriteOptions.external(640));
        Map<String, Tensor> read = initializers(ModelReader.read(out));
        assertTrue(read.get("head.weight").isExternal());
        assertFalse(read.get("head.bias").isExternal());

        ModelWriter.write(model, out, WriteOptions.external(641));
        assertFalse(initializers(ModelReader.read(out)).get("head.weight").isExternal());
    }

    @Test
    void noSideFileWhenNothingReachesTheThreshold() throws IOException {
        WriteResult result = ModelWriter.write(SampleModels.classifier(), dir.resolve("model.onnx"),
                WriteOptions.external(1 << 20));
        assertNull(result.dataFile());
        assertEquals(0, result.externalTensors());
        assertEquals(List.of("model.onnx"), list(dir));
    }

    @Test
    void sideFileNameCanBeChosen() throws IOException {
        Path out = dir.resolve("model.onnx");
        WriteResult result = ModelWriter.write(classifierWithBigWeight(), out,
                new WriteOptions(DataLayout.EXTERNAL, THRESHOLD, "weights.bin"));
        assertEquals(dir.resolve("weights.bin"), result.dataFile());
        assertEquals(List.of("model.onnx", "weights.bin"), list(dir));
        assertEquals("weights.bin", initializers(ModelReader.read(out)).get("big.weight").externalLocation().location());
    }

    /** The writer refuses a side-file name that its reader (or any reader) would refuse to follow. */
    @ParameterizedTest
    @ValueSource(strings = {"../weights.bin", "sub/../../weights.bin", "/nonexistent-onnx2trt/weights.bin",
        "C:\\weights.bin", "", "."})
    void sideFileNameOutsideTheFolderIsRefusedBeforeWriting(String name) throws IOException {
        Path out = Files.createDirectory(dir.resolve("model")).resolve("model.onnx"); // `..` stays in the temp dir
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelWriter.write(classifierWithBigWeight(),
                out, new WriteOptions(DataLayout.EXTERNAL, THRESHOLD, name)));
        assertEquals(out + ": the data file name `" + name + "` does not name a file inside the model's folder,"
                + " where readers look for it; give a relative name such as `model.onnx.data`", e.getMessage());
        assertEquals(List.of("model"), list(dir));
        assertEquals(List.of(), list(dir.resolve("model")));
    }

    /** The side file must not be the model: the model, renamed into place last, would replace the weights. */
    @Test
    void sideFileNamedLikeTheModelIsRefused() throws IOException {
        Path out = dir.resolve("model.onnx");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelWriter.write(classifierWithBigWeight(),
                out, new WriteOptions(DataLayout.EXTERNAL, THRESHOLD, "./model.onnx")));
        assertEquals(out + ": the data file name `./model.onnx` is the model file itself;"
                + " give another name such as `model.onnx.data`", e.getMessage());
        assertEquals(List.of(), list(dir));
    }

    /** The sibling: a name in a subfolder is inside the folder, and reads back. */
    @Test
    void sideFileInASubfolderReadsBack() throws IOException {
        Files.createDirectory(dir.resolve("weights"));
        Path out = dir.resolve("model.onnx");
        Model model = classifierWithBigWeight();
        ModelWriter.write(model, out, new WriteOptions(DataLayout.EXTERNAL, THRESHOLD, "weights/model.bin"));
        Tensor big = initializers(ModelReader.read(out)).get("big.weight");
        assertEquals("weights/model.bin", big.externalLocation().location());
        assertEquals(initializers(model).get("big.weight").bytes(), big.bytes());
    }

    /** Without external tensors the name is not used, so it is not checked. */
    @Test
    void unusedSideFileNameIsNotChecked() throws IOException {
        ModelWriter.write(SampleModels.classifier(), dir.resolve("model.onnx"),
                new WriteOptions(DataLayout.INLINE, THRESHOLD, "../unused.bin"));
        assertEquals(List.of("model.onnx"), list(dir));
    }

    // ---- reading back ----------------------------------------------------------------------------

    @Test
    void readBackGivesTheSameBytesFromAMappedReadOnlyBuffer() throws IOException {
        Model model = classifierWithBigWeight();
        Path out = dir.resolve("model.onnx");
        ModelWriter.write(model, out, WriteOptions.external(THRESHOLD));

        Map<String, Tensor> originals = initializers(model);
        Map<String, Tensor> read = initializers(ModelReader.read(out));
        assertEquals(originals.keySet(), read.keySet());
        for (Tensor t : read.values()) {
            Tensor original = originals.get(t.name());
            assertArrayEquals(original.dims(), t.dims(), t.name());
            assertEquals(original.dataType(), t.dataType(), t.name());
            assertEquals(original.bytes(), t.bytes(), t.name());
            assertArrayEquals(original.view().toFloatArray(), t.view().toFloatArray(), t.name());
            assertTrue(t.bytes().isReadOnly(), t.name());
            assertFalse(t.isDataChanged(), t.name());
            boolean large = original.storedByteLength() >= THRESHOLD;
            assertEquals(large, t.isExternal(), t.name());
            if (large) {
                ExternalLocation loc = t.externalLocation();
                assertEquals(dir.resolve("model.onnx.data").toRealPath(), loc.file());
                assertEquals("model.onnx.data", loc.location());
                assertEquals(original.storedByteLength(), loc.length());
                assertTrue(t.bytes().isDirect(), t.name() + " is a view of the mapped side file");
            } else {
                assertNull(t.externalLocation(), t.name());
                assertFalse(t.bytes().isDirect(), t.name() + " lives in the model file's bytes");
            }
        }
    }

    /** A raw_data tensor is a view of the bytes the reader parsed: change them and the tensor changes. */
    @Test
    void rawDataTensorsAliasTheFileBytes() throws IOException {
        Path out = dir.resolve("model.onnx");
        ModelWriter.write(smallModel(), out, WriteOptions.inline());
        byte[] bytes = Files.readAllBytes(out);
        Model model = ModelReader.fromProto(ModelReader.parse(bytes, out), out);
        Tensor w = initializers(model).get("w");

        byte[] raw = new byte[w.bytes().remaining()];
        w.bytes().get(raw);
        int at = indexOf(bytes, raw);
        assertTrue(at > 0, "the raw data of `w` is in the file");
        assertTrue(w.bytes().isReadOnly());
        bytes[at] ^= 0x5a;
        assertEquals((byte) (raw[0] ^ 0x5a), w.bytes().get(0), "the tensor sees the change: its bytes were not copied");
        assertEquals(w.bytes(), w.bytes(), "two reads give the same content");
    }

    // ---- converting between layouts ---------------------------------------------------------------

    @Test
    void inlineAfterExternalEqualsWritingInlineDirectly() throws IOException {
        Model model = classifierWithBigWeight();
        Path direct = dir.resolve("direct.onnx");
        ModelWriter.write(model, direct, WriteOptions.inline());

        Path extFolder = Files.createDirectory(dir.resolve("ext"));
        ModelWriter.write(model, extFolder.resolve("model.onnx"), WriteOptions.external(THRESHOLD));
        Path back = dir.resolve("back.onnx");
        WriteResult result = ModelWriter.write(ModelReader.read(extFolder.resolve("model.onnx")), back,
                WriteOptions.inline());

        assertNull(result.dataFile());
        assertEquals(ModelReader.parse(direct), ModelReader.parse(back));
        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(back));
    }

    @Test
    void keepIntoAnotherFolderWritesANewSideFileThere() throws IOException {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Model model = classifierWithBigWeight();
        ModelWriter.write(model, a.resolve("model.onnx"), WriteOptions.external(THRESHOLD));
        byte[] aModel = Files.readAllBytes(a.resolve("model.onnx"));
        byte[] aData = Files.readAllBytes(a.resolve("model.onnx.data"));

        WriteResult result = ModelWriter.write(ModelReader.read(a.resolve("model.onnx")), b.resolve("copy.onnx"),
                WriteOptions.keep());

        assertEquals(b.resolve("copy.onnx.data"), result.dataFile());
        assertEquals(List.of("copy.onnx", "copy.onnx.data"), list(b));
        assertArrayEquals(aModel, Files.readAllBytes(a.resolve("model.onnx")), "the source is untouched");
        assertArrayEquals(aData, Files.readAllBytes(a.resolve("model.onnx.data")), "the source is untouched");
        Map<String, Tensor> copy = initializers(ModelReader.read(b.resolve("copy.onnx")));
        for (Tensor original : initializers(model).values()) {
            Tensor t = copy.get(original.name());
            assertEquals(original.bytes(), t.bytes(), t.name());
            assertEquals(original.storedByteLength() >= THRESHOLD, t.isExternal(), t.name() + " stays where it was");
            if (t.isExternal()) {
                assertEquals(b.resolve("copy.onnx.data").toRealPath(), t.externalLocation().file());
            }
        }
    }

    /** Writing over the model being read: the new side file is written from the old one's mapping. */
    @Test
    void keepOverTheSourceItself() throws IOException {
        Model model = classifierWithBigWeight();
        Path out = dir.resolve("model.onnx");
        ModelWriter.write(model, out, WriteOptions.external(THRESHOLD));
        byte[] modelBefore = Files.readAllBytes(out);
        byte[] dataBefore = Files.readAllBytes(dir.resolve("model.onnx.data"));

        ModelWriter.write(ModelReader.read(out), out, WriteOptions.keep());

        assertArrayEquals(modelBefore, Files.readAllBytes(out));
        assertArrayEquals(dataBefore, Files.readAllBytes(dir.resolve("model.onnx.data")));
        assertEquals(List.of("model.onnx", "model.onnx.data"), list(dir));
    }

    /** Entries other than location/offset/length (a checksum) travel with unchanged data. */
    @Test
    void otherExternalDataEntriesAreKept() {
        Path out = writeSmall(dir);
        editW(out, w -> w.addExternalData(entry("checksum", "sha256:0123")));
        Path copy = dir.resolve("copy.onnx");
        ModelWriter.write(ModelReader.read(out), copy, WriteOptions.keep());
        TensorProto w = ModelReader.parse(copy).getGraph().getInitializer(0);
        assertEquals(List.of(entry("location", "copy.onnx.data"), entry("offset", "0"), entry("length", "16384"),
                entry("checksum", "sha256:0123")), w.getExternalDataList());
    }

    // ---- bad references ---------------------------------------------------------------------------

    /** x[1,64] · w[64,64] + b[64]: written with `w` (16 KiB, offset 0) in the side file, `b` inline. */
    private static Model smallModel() {
        GraphBuilder b = new GraphBuilder("small", 11);
        Value x = b.input("x", DataType.FLOAT, 1, 64);
        Value w = b.initializer(b.randomTensor("w", new long[] {64, 64}, 0, 1));
        Value bias = b.initializer(b.randomTensor("b", new long[] {64}, 0, 1));
        b.output(b.op("Add", b.op("MatMul", x, w).out(), bias).out(), DataType.FLOAT, 1, 64);
        return b.build();
    }

    /** Writes {@link #smallModel()} as {@code folder/m.onnx} + {@code m.onnx.data}. */
    private static Path writeSmall(Path folder) {
        Path out = folder.resolve("m.onnx");
        ModelWriter.write(smallModel(), out, WriteOptions.external(THRESHOLD));
        return out;
    }

    /** Rewrites the model file with `w`'s proto changed by {@code edit}. */
    private static void editW(Path model, Consumer<TensorProto.Builder> edit) {
        ModelProto proto = ModelReader.parse(model);
        GraphProto.Builder g = proto.getGraph().toBuilder();
        TensorProto.Builder w = g.getInitializerBuilder(0);
        assertEquals("w", w.getName());
        edit.accept(w);
        try {
            Files.write(model, proto.toBuilder().setGraph(g).build().toByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Sets `w`'s external_data entry {@code key} to {@code value}. */
    private static void setEntry(Path model, String key, String value) {
        editW(model, w -> {
            List<StringStringEntryProto> entries = new ArrayList<>(w.getExternalDataList());
            entries.replaceAll(e -> e.getKey().equals(key) ? entry(key, value) : e);
            w.clearExternalData().addAllExternalData(entries);
        });
    }

    private static void removeEntry(Path model, String key) {
        editW(model, w -> {
            List<StringStringEntryProto> entries = new ArrayList<>(w.getExternalDataList());
            entries.removeIf(e -> e.getKey().equals(key));
            w.clearExternalData().addAllExternalData(entries);
        });
    }

    private static String readFailure(Path model) {
        return assertThrows(ModelFileException.class, () -> ModelReader.read(model)).getMessage();
    }

    @Test
    void missingSideFile() throws IOException {
        Path model = writeSmall(dir);
        Files.delete(dir.resolve("m.onnx.data"));
        assertEquals(model + ": tensor `w` stores its data in `m.onnx.data`, which does not exist (looked for "
                + dir.resolve("m.onnx.data") + "); copy the data file next to the model", readFailure(model));
    }

    @Test
    void sideFileTooShort() throws IOException {
        Path model = writeSmall(dir);
        truncate(dir.resolve("m.onnx.data"), 1000);
        assertEquals(model + ": tensor `w` needs bytes 0..16384 of `m.onnx.data`, but the file has only 1000 bytes;"
                + " the data file is truncated or belongs to another model", readFailure(model));
    }

    @Test
    void locationClimbingOutOfTheFolder() {
        Path model = writeSmall(dir);
        setEntry(model, "location", "../../x");
        assertEquals(model + ": tensor `w`: external data location `../../x` points outside the model's folder;"
                + " refusing to read it (put the file next to the model and give its relative name)", readFailure(model));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "C:\\weights.bin", "c:/weights.bin", "\\\\server\\share\\w.bin"})
    void absoluteLocation(String location) {
        Path model = writeSmall(dir);
        setEntry(model, "location", location);
        assertEquals(model + ": tensor `w`: external data location `" + location + "` is an absolute path;"
                + " refusing to read outside the model's folder"
                + " (put the file next to the model and give its relative name)", readFailure(model));
    }

    @Test
    void symbolicLinkPointingOutOfTheFolder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("model"));
        Path secret = Files.write(Files.createDirectory(dir.resolve("outside")).resolve("secret.bin"), new byte[1 << 15]);
        Path model = writeSmall(folder);
        Files.createSymbolicLink(folder.resolve("link.bin"), secret);
        setEntry(model, "location", "link.bin");
        assertEquals(model + ": tensor `w`: external data location `link.bin` is a link to " + secret.toRealPath()
                + ", outside the model's folder; refusing to read it", readFailure(model));
    }

    /** The sibling of the two above: links and {@code ..} that stay inside the folder are fine. */
    @Test
    void linksAndDotDotInsideTheFolderRead() throws IOException {
        Path model = writeSmall(dir);
        ByteBuffer expected = initializers(smallModel()).get("w").bytes();
        Files.createDirectory(dir.resolve("sub"));
        setEntry(model, "location", "sub/../m.onnx.data");
        assertEquals(expected, initializers(ModelReader.read(model)).get("w").bytes());

        Files.createSymbolicLink(dir.resolve("sub").resolve("alias.bin"), dir.resolve("m.onnx.data"));
        setEntry(model, "location", "sub/alias.bin");
        assertEquals(expected, initializers(ModelReader.read(model)).get("w").bytes());
    }

    @Test
    void locationThatIsAFolder() throws IOException {
        Path model = writeSmall(dir);
        Files.createDirectory(dir.resolve("weights"));
        setEntry(model, "location", "weights");
        assertEquals(model + ": tensor `w`: external data location `weights` is not a regular file", readFailure(model));
    }

    @Test
    void noLocation() {
        Path model = writeSmall(dir);
        removeEntry(model, "location");
        assertEquals(model + ": tensor `w` is marked as external data but names no `location`", readFailure(model));
    }

    @Test
    void offsetThatIsNotANumber() {
        Path model = writeSmall(dir);
        setEntry(model, "offset", "0x10");
        assertEquals(model + ": tensor `w`: external data `offset` is `0x10`, not a number", readFailure(model));
    }

    @Test
    void lengthThatIsNotANumber() {
        Path model = writeSmall(dir);
        setEntry(model, "length", "16 KiB");
        assertEquals(model + ": tensor `w`: external data `length` is `16 KiB`, not a number", readFailure(model));
    }

    @Test
    void negativeOffset() {
        Path model = writeSmall(dir);
        setEntry(model, "offset", "-1");
        assertEquals(model + ": tensor `w` needs bytes -1..16383 of `m.onnx.data`, but the file has only 16384 bytes;"
                + " the data file is truncated or belongs to another model", readFailure(model));
    }

    /** offset + length past 2^63 wrapped to a negative end and passed the check; mapping then failed. */
    @Test
    void offsetWhoseEndOverflows() {
        Path model = writeSmall(dir);
        long offset = Long.MAX_VALUE - 5;
        setEntry(model, "offset", Long.toString(offset));
        BigInteger end = BigInteger.valueOf(offset).add(BigInteger.valueOf(16384));
        assertEquals(model + ": tensor `w` needs bytes " + offset + ".." + end + " of `m.onnx.data`, but the file has"
                + " only 16384 bytes; the data file is truncated or belongs to another model", readFailure(model));
    }

    /** The sibling: without a length entry, the length follows from type and shape. */
    @Test
    void missingLengthFollowsFromTypeAndShape() {
        Path model = writeSmall(dir);
        removeEntry(model, "length");
        Tensor w = initializers(ModelReader.read(model)).get("w");
        assertEquals(16384, w.externalLocation().length());
        assertEquals(initializers(smallModel()).get("w").bytes(), w.bytes());
    }

    /** Without a length entry the length comes from the dims; dims past 2^63 elements are a damaged file. */
    @Test
    void dimsWhoseElementCountOverflows() {
        Path model = writeSmall(dir);
        removeEntry(model, "length");
        editW(model, w -> w.clearDims().addDims(1L << 40).addDims(1L << 40));
        assertEquals(model + ": tensor `w` has dims [1099511627776, 1099511627776], more than 2^63 elements;"
                + " the file is damaged", readFailure(model));
    }

    /** A side file may be over 2 GiB, but one tensor is mapped as one buffer; past that, a clear error on use. */
    @Test
    void tensorOver2GiBIsRefusedWhenItsBytesAreRead() throws IOException {
        Path model = writeSmall(dir);
        long length = 3L << 30;
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("m.onnx.data").toFile(), "rw")) {
            f.setLength(length); // sparse: costs no disk
        }
        setEntry(model, "length", Long.toString(length));
        Tensor w = initializers(ModelReader.read(model)).get("w");
        ModelFileException e = assertThrows(ModelFileException.class, w::bytes);
        assertEquals(model + ": a single tensor of " + length + " bytes in `m.onnx.data` is over the 2 GiB this tool"
                + " maps per tensor", e.getMessage());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Map<String, Tensor> initializers(Model model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Value v : model.graph().initializers()) {
            out.put(v.name(), v.initializer());
        }
        return out;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
