package org.onnx2trt.sample.npy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.onnx2trt.tensor.Tensor;

/**
 * numpy's {@code .npz}: a zip archive of {@code .npy} files, one per array, named after the keyword
 * given to {@code numpy.savez} ({@code x=...} becomes {@code x.npy}). Both {@code savez} (stored)
 * and {@code savez_compressed} (deflated) archives are read; archives are written stored.
 */
public final class Npz {
    private Npz() {}

    /** The arrays of the .npz file {@code file}, by name, in archive order (each entry's size checked before it is inflated). */
    public static Map<String, Tensor> read(java.nio.file.Path file) throws NpyException, IOException {
        long size = java.nio.file.Files.size(file);
        if (size > 2 * Npy.maxArrayBytes()) {
            throw new NpyException(file + ": " + size + " bytes, more than the " + 2 * Npy.maxArrayBytes() + " one .npz may"
                    + " hold here; split the samples into several .npz files (a folder of them is read one at a time)");
        }
        return read(java.nio.file.Files.readAllBytes(file), file.toString());
    }

    /** The arrays by name, in archive order. */
    public static Map<String, Tensor> read(byte[] file, String source) throws NpyException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                String entry = e.getName();
                if (!entry.endsWith(".npy")) {
                    throw new NpyException(source + ": entry `" + entry + "` is not a .npy array; an .npz holds only"
                            + " arrays (numpy.savez)");
                }
                String name = entry.substring(0, entry.length() - 4);
                out.put(name, Npy.read(Npy.readBounded(zip, source + "[" + entry + "]"), source + "[" + entry + "]", name));
            }
        } catch (ZipException e) {
            throw new NpyException(source + ": not a readable .npz (zip) archive: " + e.getMessage());
        } catch (IOException e) {
            throw new NpyException(source + ": cannot read the archive: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new NpyException(source + ": no arrays in the archive; is it an .npz written by numpy.savez?");
        }
        return out;
    }

    /** An archive of {@code arrays}, each as {@code NAME.npy}, stored uncompressed as numpy.savez does. */
    public static byte[] write(Map<String, Tensor> arrays) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, Tensor> a : arrays.entrySet()) {
                byte[] npy = Npy.write(a.getValue());
                ZipEntry e = new ZipEntry(a.getKey() + ".npy");
                e.setMethod(ZipEntry.STORED);
                e.setSize(npy.length);
                CRC32 crc = new CRC32();
                crc.update(npy);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(npy);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }
}
