package org.onnx2trt.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.onnx2trt.proto.Onnx.StringStringEntryProto;
import org.onnx2trt.proto.Onnx.TensorProto;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.ExternalLocation;
import org.onnx2trt.tensor.Tensor;

/**
 * The ONNX external-data convention: a tensor with {@code data_location = EXTERNAL} names a side
 * file ({@code location}, relative to the model's folder) and a byte range ({@code offset},
 * {@code length}) in its {@code external_data} entries.
 *
 * <p>Locations are checked before anything is read: a location must stay inside the model's folder
 * (no absolute paths, no {@code ..} that climbs out, no symbolic link that points out), the file
 * must exist and hold the whole range.
 */
public final class ExternalData {
    public static final String LOCATION = "location";
    public static final String OFFSET = "offset";
    public static final String LENGTH = "length";

    private ExternalData() {}

    /** Whether the tensor's data lives in a side file. */
    public static boolean isExternal(TensorProto t) {
        return t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    /**
     * Resolves and checks the side-file location of tensor {@code t} of the model {@code modelFile}.
     *
     * @throws ModelFileException naming the model, the tensor and the problem
     */
    public static ExternalLocation resolve(Path modelFile, TensorProto t) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case LOCATION -> location = e.getValue();
                case OFFSET -> offset = number(modelFile, t, e);
                case LENGTH -> length = number(modelFile, t, e);
                default -> { } // e.g. "checksum": kept in the proto, not needed to read
            }
        }
        String tensor = "tensor `" + t.getName() + "`";
        if (location == null || location.isEmpty()) {
            throw new ModelFileException(modelFile, tensor + " is marked as external data but names no `location`");
        }
        Path folder = folderOf(modelFile);
        if (isAbsolute(location)) {
            throw new ModelFileException(modelFile, tensor + ": external data location `" + location
                    + "` is an absolute path; refusing to read outside the model's folder"
                    + " (put the file next to the model and give its relative name)");
        }
        Path file = folder.resolve(location).normalize();
        if (!file.startsWith(folder)) {
            throw new ModelFileException(modelFile, tensor + ": external data location `" + location
                    + "` points outside the model's folder; refusing to read it"
                    + " (put the file next to the model and give its relative name)");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            throw new ModelFileException(modelFile, tensor + " stores its data in `" + location
                    + "`, which does not exist (looked for " + file + "); copy the data file next to the model");
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                throw new ModelFileException(modelFile, tensor + ": external data location `" + location
                        + "` is a link to " + real + ", outside the model's folder; refusing to read it");
            }
            if (!Files.isRegularFile(real)) {
                throw new ModelFileException(modelFile, tensor + ": external data location `" + location
                        + "` is not a regular file");
            }
            long size = Files.size(real);
            if (length < 0) {
                DataType type = DataType.fromCode(t.getDataType()).orElse(DataType.UNDEFINED);
                long expected = -1;
                if (type.isFixedSize()) {
                    try {
                        expected = type.byteSize(Tensor.elementCount(
                                t.getDimsList().stream().mapToLong(Long::longValue).toArray()));
                    } catch (ArithmeticException e) {
                        throw new ModelFileException(modelFile, tensor + " has dims " + t.getDimsList()
                                + ", more than 2^63 elements; the file is damaged");
                    }
                }
                length = expected >= 0 ? expected : size - offset;
            }
            // Compared without adding: offset + length of a damaged entry can overflow past the check.
            if (offset < 0 || length < 0 || length > size - offset) {
                BigInteger end = BigInteger.valueOf(offset).add(BigInteger.valueOf(length));
                throw new ModelFileException(modelFile, tensor + " needs bytes " + offset + ".." + end
                        + " of `" + location + "`, but the file has only " + size
                        + " bytes; the data file is truncated or belongs to another model");
            }
            return new ExternalLocation(real, location, offset, length);
        } catch (IOException e) {
            throw new ModelFileException(modelFile, tensor + ": cannot read external data `" + location + "`: " + e, e);
        }
    }

    /** Maps a checked range read-only; the mapping outlives the channel. */
    static ByteBuffer map(Path modelFile, ExternalLocation loc) {
        if (loc.length() > Integer.MAX_VALUE) {
            throw new ModelFileException(modelFile, "a single tensor of " + loc.length()
                    + " bytes in `" + loc.location() + "` is over the 2 GiB this tool maps per tensor");
        }
        try (FileChannel ch = FileChannel.open(loc.file(), StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, loc.offset(), loc.length());
        } catch (IOException e) {
            throw new ModelFileException(modelFile, "cannot map external data `" + loc.location() + "`: " + e, e);
        }
    }

    /** Whether {@code location} is relative and stays inside {@code folder}, as a reader requires. */
    static boolean isInside(Path folder, String location) {
        Path file = folder.resolve(location).normalize();
        return !isAbsolute(location) && file.startsWith(folder) && !file.equals(folder);
    }

    private static boolean isAbsolute(String location) {
        return location.startsWith("/") || location.startsWith("\\") || location.matches("^[A-Za-z]:.*");
    }

    static Path folderOf(Path modelFile) {
        Path parent = modelFile.toAbsolutePath().normalize().getParent();
        return parent != null ? parent : Path.of("/");
    }

    private static long number(Path modelFile, TensorProto t, StringStringEntryProto e) {
        try {
            return Long.parseLong(e.getValue().trim());
        } catch (NumberFormatException ex) {
            throw new ModelFileException(modelFile, "tensor `" + t.getName() + "`: external data `" + e.getKey()
                    + "` is `" + e.getValue() + "`, not a number");
        }
    }
}
