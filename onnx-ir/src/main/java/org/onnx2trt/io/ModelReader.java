package org.onnx2trt.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.onnx2trt.ir.Model;
import org.onnx2trt.proto.Onnx.ModelProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorStorage;

/**
 * Reads {@code .onnx} files into the IR.
 *
 * <p>The file is copied once into memory and parsed with aliasing, so each tensor's {@code raw_data}
 * is a view into that one buffer, not a second copy. Tensors stored as external data are checked
 * at load (location inside the model's folder, file present and long enough) and memory-mapped on
 * first use, so models over 2 GiB load without their weights on the heap.
 *
 * <p>Every failure caused by the file is a {@link ModelFileException} naming it; structural
 * problems of the graph (cycles, undefined names) are left to {@code GraphValidator}.
 */
public final class ModelReader {
    /**
     * Nesting depth allowed for messages; deep If/Loop nesting exceeds protobuf's default of 100. Each
     * nested body costs three levels (node, attribute, graph), so this allows about 1000 nested bodies.
     */
    private static final int RECURSION_LIMIT = 3 * 1000 + 16;

    private ModelReader() {}

    /** Reads a model file. */
    public static Model read(Path file) {
        return fromProto(parse(file), file);
    }

    /** Reads and parses a model file to its proto, without building the IR. */
    public static ModelProto parse(Path file) {
        byte[] bytes = readBytes(file);
        return parse(bytes, file);
    }

    /** Parses model bytes; {@code file} names the source in messages and anchors external data. */
    public static ModelProto parse(byte[] bytes, Path file) {
        if (bytes.length == 0) {
            throw new ModelFileException(file, "the file is empty (0 bytes); expected an ONNX model");
        }
        ModelProto proto = onDeepStack(() -> {
            try {
                CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
                in.enableAliasing(true);
                in.setRecursionLimit(RECURSION_LIMIT);
                in.setSizeLimit(Integer.MAX_VALUE);
                ModelProto parsed = ModelProto.parseFrom(in);
                in.checkLastTagWas(0);
                return parsed;
            } catch (InvalidProtocolBufferException e) {
                throw new ModelFileException(file, parseFailure(bytes, e));
            } catch (IOException e) { // cannot happen reading from memory, but parseFrom declares it
                throw new ModelFileException(file, "cannot parse: " + e.getMessage(), e);
            }
        });
        if (!proto.hasGraph()) {
            String what = proto.hasIrVersion() ? "has no graph" : "is not an ONNX model: it has neither `ir_version` nor a graph";
            throw new ModelFileException(file, what + guessFormat(bytes));
        }
        return proto;
    }

    /** The IR of a parsed model whose external data is resolved against {@code file}'s folder. */
    public static Model fromProto(ModelProto proto, Path file) {
        return Model.fromProto(proto, t -> tensor(file, t));
    }

    private static Tensor tensor(Path file, TensorProto t) {
        if (ExternalData.isExternal(t)) {
            var location = ExternalData.resolve(file, t);
            return Tensor.fromProto(t, new TensorStorage.External(location, loc -> ExternalData.map(file, loc)));
        }
        return Tensor.fromProto(t);
    }

    private static byte[] readBytes(Path file) {
        if (Files.isDirectory(file)) {
            throw new ModelFileException(file, "is a directory; expected an .onnx model file");
        }
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new ModelFileException(file, "is " + size + " bytes; a single .onnx file cannot exceed 2 GiB"
                        + " (protobuf's limit): export the model with its weights as external data");
            }
            // One copy from the page cache into the array; Files.readAllBytes would stage the whole
            // file in a temporary direct buffer first.
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                byte[] bytes = new byte[(int) size];
                if (size > 0) {
                    ch.map(FileChannel.MapMode.READ_ONLY, 0, size).get(bytes);
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new ModelFileException(file, "permission denied");
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The stack protobuf parses on: {@link #RECURSION_LIMIT} levels of messages recurse past a default thread stack. */
    private static final long PARSE_STACK_BYTES = 64L << 20;

    /** {@code task} on a thread of its own with a stack for {@link #RECURSION_LIMIT} levels; its exceptions rethrown here. */
    private static ModelProto onDeepStack(java.util.function.Supplier<ModelProto> task) {
        ModelProto[] result = new ModelProto[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = task.get();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "onnx-parse", PARSE_STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing a model", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    private static String parseFailure(byte[] bytes, InvalidProtocolBufferException e) {
        String msg = String.valueOf(e.getMessage());
        String otherFormat = guessFormat(bytes);
        // A text, zip or HDF5 file often "ends inside a message" too; saying it is truncated would mislead.
        if (otherFormat.isEmpty() && (msg.contains("input ended unexpectedly") || msg.contains("truncated"))) {
            return "the file is truncated: it ends inside a message after " + bytes.length
                    + " bytes (an interrupted download or copy?); fetch or export the model again";
        }
        if (msg.contains("recursion")) {
            return "subgraphs (If/Loop/Scan bodies) are nested more than about " + (RECURSION_LIMIT / 3) + " deep; the"
                    + " file is damaged or not an ONNX model";
        }
        return "is not an ONNX model: the bytes are not a valid protobuf message (" + msg + ")" + otherFormat;
    }

    /** A hint at what the file is instead, for the formats people confuse with ONNX. */
    private static String guessFormat(byte[] b) {
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
            return "; it looks like a zip archive (a PyTorch .pt/.pth checkpoint?): export it with torch.onnx.export";
        }
        if (b.length >= 4 && b[0] == (byte) 0x89 && b[1] == 'H' && b[2] == 'D' && b[3] == 'F') {
            return "; it looks like an HDF5 file (a Keras model?): convert it with tf2onnx";
        }
        if (b.length >= 8 && new String(b, 4, 4, StandardCharsets.ISO_8859_1).equals("TFL3")) {
            return "; it looks like a TensorFlow Lite model: convert it with tf2onnx";
        }
        if (isMostlyText(b)) {
            return "; it is a text file (an ONNX text-format or a JSON file?), while .onnx models are binary protobuf";
        }
        return "";
    }

    private static boolean isMostlyText(byte[] b) {
        int n = Math.min(b.length, 512);
        int printable = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
                printable++;
            }
        }
        return n > 0 && printable == n;
    }
}
