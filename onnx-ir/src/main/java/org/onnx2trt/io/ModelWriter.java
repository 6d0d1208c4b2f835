package org.onnx2trt.io;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.TensorEncoder;
import org.onnx2trt.ir.Value;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.StringStringEntryProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.Tensor;

/**
 * Writes the IR to {@code .onnx}, with tensor data inline or in a side file as {@link WriteOptions}
 * say. Both files are written under temporary names and renamed into place when complete; on any
 * failure nothing is left behind and an existing output is untouched.
 *
 * <p>Like {@code cp}, the writer leaves flushing to disk to the operating system (no fsync): the
 * rename guarantees that readers see the old file or the whole new one, never a part.
 *
 * <p>Unchanged tensors that stay where they were keep their original proto (a lossless round trip).
 * Side-file data is copied from the source buffers straight into the file channel, so external
 * weights never pass through the Java heap.
 */
public final class ModelWriter {
    /** Protobuf cannot serialize a message of 2 GiB or more; keep a margin for the graph itself. */
    static final long INLINE_LIMIT = Integer.MAX_VALUE - (64L << 20);
    private static final int SMALL_ALIGNMENT = 64;
    private static final int PAGE_ALIGNMENT = 4096;
    private static final int WRITE_CHUNK = 1 << 20;

    private ModelWriter() {}

    /** Writes {@code model} to {@code out}. */
    public static WriteResult write(Model model, Path out, WriteOptions options) {
        Path folder = out.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new ModelFileException(out, "the output folder " + folder + " does not exist; create it first");
        }
        if (Files.isDirectory(out)) {
            throw new ModelFileException(out, "is a directory; give the output model's file name");
        }
        List<Tensor> tensors = allInitializers(model);
        Map<Tensor, Boolean> external = new IdentityHashMap<>();
        long inlineBytes = 0;
        for (Tensor t : tensors) {
            if (goesExternal(t, options)) {
                external.put(t, true);
            } else {
                inlineBytes += t.storedByteLength();
            }
        }
        if (inlineBytes > INLINE_LIMIT) {
            throw new ModelFileException(out, String.format("the inline weights total %.2f GiB, over protobuf's"
                    + " 2 GiB limit for one .onnx file; write them as external data (--external-data)",
                    inlineBytes / (double) (1L << 30)));
        }
        String defaultName = out.getFileName() + ".data";
        String dataName = options.dataFileName() != null ? options.dataFileName() : defaultName;
        Path dataFile = out.resolveSibling(dataName);
        if (!external.isEmpty()) {
            // Checked before writing: a name the reader refuses would give a model that cannot be read back.
            Path modelFolder = ExternalData.folderOf(out);
            if (!ExternalData.isInside(modelFolder, dataName)) {
                throw new ModelFileException(out, "the data file name `" + dataName + "` does not name a file inside"
                        + " the model's folder, where readers look for it; give a relative name such as `"
                        + defaultName + "`");
            }
            if (modelFolder.resolve(dataName).normalize().equals(out.toAbsolutePath().normalize())) {
                throw new ModelFileException(out, "the data file name `" + dataName + "` is the model file itself;"
                        + " give another name such as `" + defaultName + "`");
            }
        }
        try {
            if (external.isEmpty()) {
                long size = writeModel(model, out, TensorEncoder.INLINE);
                return new WriteResult(out, size, null, 0, tensors.size(), 0);
            }
            try (AtomicFile data = new AtomicFile(dataFile)) {
                Map<Tensor, long[]> ranges = writeData(tensors, external, data.temp());
                TensorEncoder encoder = t -> external.containsKey(t) ? externalProto(t, dataName, ranges.get(t)) : TensorEncoder.INLINE.encode(t);
                long dataSize = Files.size(data.temp());
                try (AtomicFile modelFile = new AtomicFile(out)) {
                    long size = writeProto(model.toProto(encoder), modelFile.temp());
                    data.commit();
                    modelFile.commit();
                    return new WriteResult(out, size, dataFile, dataSize, tensors.size() - external.size(), external.size());
                }
            }
        } catch (IOException e) {
            throw new ModelFileException(out, "cannot write: " + WriteFailure.describe(folder, e), e);
        }
    }

    private static boolean goesExternal(Tensor t, WriteOptions options) {
        if (!t.dataType().isFixedSize()) {
            return false; // string tensors have no raw layout
        }
        return switch (options.layout()) {
            case INLINE -> false;
            case KEEP -> t.isExternal();
            case EXTERNAL -> t.storedByteLength() >= options.sizeThreshold();
        };
    }

    private static long writeModel(Model model, Path out, TensorEncoder encoder) throws IOException {
        try (AtomicFile file = new AtomicFile(out)) {
            long size = writeProto(model.toProto(encoder), file.temp());
            file.commit();
            return size;
        }
    }

    private static long writeProto(ModelProto proto, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            CodedOutputStream cos = CodedOutputStream.newInstance(new ChunkedChannelOutput(ch), 1 << 16);
            proto.writeTo(cos);
            cos.flush();
            return ch.size();
        }
    }

    /**
     * Writes arrays to a channel in pieces of {@link #WRITE_CHUNK}: a heap array passes through a
     * temporary direct buffer of the write's size, so whole tensors (tens of MiB) would be copied
     * through a buffer far larger than any cache.
     */
    private static final class ChunkedChannelOutput extends OutputStream {
        private final FileChannel channel;

        ChunkedChannelOutput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, WRITE_CHUNK);
                ByteBuffer piece = ByteBuffer.wrap(b, off, n);
                while (piece.hasRemaining()) {
                    channel.write(piece);
                }
                off += n;
                len -= n;
            }
        }
    }

    /** Appends each external tensor's bytes to the side file; returns {offset, length} per tensor. */
    private static Map<Tensor, long[]> writeData(List<Tensor> tensors, Map<Tensor, Boolean> external, Path file)
            throws IOException {
        Map<Tensor, long[]> ranges = new IdentityHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long offset = 0;
            for (Tensor t : tensors) {
                if (!external.containsKey(t)) {
                    continue;
                }
                ByteBuffer bytes = t.bytes();
                int alignment = bytes.remaining() >= PAGE_ALIGNMENT ? PAGE_ALIGNMENT : SMALL_ALIGNMENT;
                offset = (offset + alignment - 1) / alignment * alignment;
                long length = bytes.remaining();
                long pos = offset;
                while (bytes.hasRemaining()) {
                    // Heap buffers pass through a temporary direct buffer of the write's size: keep writes small.
                    ByteBuffer window = bytes.slice();
                    window.limit(Math.min(window.remaining(), WRITE_CHUNK));
                    int written = ch.write(window, pos);
                    pos += written;
                    bytes.position(bytes.position() + written);
                }
                ranges.put(t, new long[] {offset, length});
                offset += length;
            }
        }
        return ranges;
    }

    /** The tensor's proto pointing at {@code range} of the side file; other external_data keys kept. */
    private static TensorProto externalProto(Tensor t, String location, long[] range) {
        TensorProto.Builder b = t.original() != null ? t.original().toBuilder() : TensorProto.newBuilder();
        List<StringStringEntryProto> kept = new ArrayList<>();
        if (t.original() != null && !t.isDataChanged()) {
            for (StringStringEntryProto e : t.original().getExternalDataList()) {
                if (!e.getKey().equals(ExternalData.LOCATION) && !e.getKey().equals(ExternalData.OFFSET)
                        && !e.getKey().equals(ExternalData.LENGTH)) {
                    kept.add(e); // e.g. a checksum of the same bytes
                }
            }
        }
        TensorEncoder.clearData(b);
        b.setName(t.name()).setDataType(t.dataTypeCode()).clearDims();
        for (long d : t.dims()) {
            b.addDims(d);
        }
        b.addExternalData(entry(ExternalData.LOCATION, location))
                .addExternalData(entry(ExternalData.OFFSET, Long.toString(range[0])))
                .addExternalData(entry(ExternalData.LENGTH, Long.toString(range[1])))
                .addAllExternalData(kept)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL);
        return b.build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** The initializers of the main graph and of every subgraph, in writing order. */
    static List<Tensor> allInitializers(Model model) {
        List<Tensor> out = new ArrayList<>();
        collect(model.graph(), out);
        return out;
    }

    private static void collect(Graph g, List<Tensor> out) {
        for (Value v : g.initializers()) {
            out.add(v.initializer());
        }
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                collect(sub, out);
            }
        }
    }
}
