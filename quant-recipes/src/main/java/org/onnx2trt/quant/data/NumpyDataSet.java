package org.onnx2trt.quant.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.SampleException;
import org.onnx2trt.sample.Samples;
import org.onnx2trt.sample.npy.Npy;
import org.onnx2trt.sample.npy.NpyException;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;
import org.onnx2trt.tensor.TensorView;

/**
 * Samples saved with numpy, in the forms a calibration set comes in:
 * <ul>
 *   <li>one {@code .npz} whose arrays, named after the model's inputs, hold every sample along a
 *       leading axis (plus, optionally, {@code labels}: one integer per sample);
 *   <li>one {@code .npy} the same way, for a one-input model;
 *   <li>a folder of {@code .npz} files, one sample each (a scalar {@code label} array optional);
 *   <li>a folder of {@code .npy} files, one sample each, for a one-input model;
 *   <li>a folder of folders of {@code .npy} files named after the inputs, one sample each.
 * </ul>
 * Along the leading axis of a batched file, an array of rank r + 1 for an input of rank r gives one
 * sample per entry; an array of the input's own rank gives the model's batch (the input's first dim,
 * 1 when it is not fixed) per sample. Batched files are read an entry at a time from the archive,
 * never whole.
 */
public final class NumpyDataSet implements DataSet {
    private final Path path;
    private final Model model;
    private final List<Path> files; // one sample each; empty for a batched file
    private final Batched batched; // null for a folder
    private final boolean labelled;

    private NumpyDataSet(Path path, Model model, List<Path> files, Batched batched, boolean labelled) {
        this.path = path;
        this.model = model;
        this.files = files;
        this.batched = batched;
        this.labelled = labelled;
    }

    /**
     * The samples at {@code path}, for {@code model}: its form is told by the path (see the class
     * comment); the first sample is read and checked against the model's inputs now.
     *
     * @throws DataException naming the path, what is wrong and the fix
     */
    public static NumpyDataSet open(Path path, Model model) {
        NumpyDataSet set;
        if (Files.isDirectory(path)) {
            List<Path> entries;
            try (Stream<Path> s = Files.list(path)) {
                entries = s.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".npz") || p.toString().endsWith(".npy"))
                        .sorted().toList();
            } catch (IOException e) {
                throw new DataException(path + ": cannot list: " + e.getMessage());
            }
            if (entries.isEmpty()) {
                throw new DataException(path + ": no samples here; put one .npz per sample, one .npy per sample (one-input"
                        + " models), or one folder of .npy files named after the inputs per sample");
            }
            set = new NumpyDataSet(path, model, entries, null, false);
            Sample first = set.readFile(entries.get(0));
            set = new NumpyDataSet(path, model, entries, null, first.label().isPresent());
        } else if (path.toString().endsWith(".npz") || path.toString().endsWith(".npy")) {
            if (!Files.isRegularFile(path)) {
                throw new DataException(path + ": no such file");
            }
            Batched b = Batched.of(path, model);
            set = new NumpyDataSet(path, model, List.of(), b, b.labels != null);
        } else if (!Files.exists(path)) {
            throw new DataException(path + ": no such file or folder");
        } else {
            throw new DataException(path + ": give a .npz or .npy file, or a folder of samples (for images, a folder of"
                    + " PNG/JPEG files)");
        }
        Iterator<Sample> it = set.iterator();
        it.next(); // checks the first sample now, not at the end of a long pass
        DataSet.close(it);
        return set;
    }

    @Override
    public int size() {
        return batched != null ? batched.samples : files.size();
    }

    @Override
    public boolean hasLabels() {
        return labelled;
    }

    @Override
    public String describe() {
        if (batched != null) {
            return path + " (" + batched.samples + " samples along the leading axis" + (labelled ? ", labelled" : "") + ")";
        }
        return path + " (" + files.size() + " sample files" + (labelled ? ", labelled" : "") + ")";
    }

    @Override
    public Iterator<Sample> iterator() {
        if (batched != null) {
            return batched.iterator();
        }
        return DataSet.byIndex(files.size(), i -> {
            Sample s = readFile(files.get(i));
            if (labelled && s.label().isEmpty()) {
                throw new DataException(s.origin() + ": no `label` array, while the first sample has one; label"
                        + " every sample or none");
            }
            return s;
        });
    }

    private Sample readFile(Path file) {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        try {
            if (Files.isDirectory(file)) {
                try (Stream<Path> s = Files.list(file)) {
                    for (Path p : s.filter(f -> f.toString().endsWith(".npy")).sorted().toList()) {
                        String name = p.getFileName().toString().replaceFirst("\\.npy$", "");
                        arrays.put(name, Npy.read(p, name));
                    }
                }
            } else if (file.toString().endsWith(".npz")) {
                arrays.putAll(Npz.read(file));
            } else {
                List<Value> inputs = model.graph().runtimeInputs();
                if (inputs.size() != 1) {
                    throw new DataException(file + ": a .npy sample holds one array, and the model has " + inputs.size()
                            + " inputs " + inputs.stream().map(Value::name).toList() + "; give one .npz per sample");
                }
                arrays.put(inputs.get(0).name(), Npy.read(file, inputs.get(0).name()));
            }
        } catch (NpyException e) {
            throw new DataException(e.getMessage());
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        Tensor label = arrays.remove("label");
        OptionalInt labelValue = label == null ? OptionalInt.empty() : OptionalInt.of(scalarLabel(label, file.toString()));
        check(arrays, file.toString());
        return new Sample(arrays, labelValue, path.relativize(file).toString());
    }

    private void check(Map<String, Tensor> sample, String where) {
        try {
            Samples.check(sample, model, where);
        } catch (SampleException e) {
            throw new DataException(e.getMessage());
        }
    }

    private static int scalarLabel(Tensor t, String where) {
        if (t.elementCount() != 1 || t.dataType() == DataType.FLOAT || t.dataType() == DataType.DOUBLE) {
            throw new DataException(where + ": `label` must be one integer (numpy.int64(k)), it is " + t.dataType() + " "
                    + java.util.Arrays.toString(t.dims()));
        }
        return Math.toIntExact(t.view().getLong(0));
    }

    /** A pass that holds open files until it ends or is closed. */
    private interface ClosableIterator extends Iterator<Sample>, AutoCloseable {
        @Override
        void close();
    }

    /**
     * One file holding every sample along a leading axis: for each input, its entry (a {@code .npz}
     * member, or the {@code .npy} itself), header, and how many entries make one sample.
     */
    private static final class Batched {
        private final Path file;
        private final Model model;
        private final Map<String, Array> arrays;
        private final Array labels;
        private final int samples;

        private record Array(String entry, Npy.Header header, long rowsPerSample, long[] sampleDims) {}

        private Batched(Path file, Model model, Map<String, Array> arrays, Array labels, int samples) {
            this.file = file;
            this.model = model;
            this.arrays = arrays;
            this.labels = labels;
            this.samples = samples;
        }

        static Batched of(Path file, Model model) {
            boolean npz = file.toString().endsWith(".npz");
            List<Value> inputs = model.graph().runtimeInputs();
            Map<String, Npy.Header> headers = new LinkedHashMap<>();
            try {
                if (npz) {
                    try (ZipFile zip = new ZipFile(file.toFile())) {
                        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                            if (e.getName().endsWith(".npy")) {
                                try (InputStream in = zip.getInputStream(e)) {
                                    headers.put(e.getName().replaceFirst("\\.npy$", ""), Npy.readHeader(in, file + ":" + e.getName()));
                                }
                            }
                        }
                    }
                } else {
                    if (inputs.size() != 1) {
                        throw new DataException(file + ": a .npy holds one array, and the model has " + inputs.size()
                                + " inputs " + inputs.stream().map(Value::name).toList() + "; give a .npz with one array"
                                + " per input");
                    }
                    try (InputStream in = Files.newInputStream(file)) {
                        headers.put(inputs.get(0).name(), Npy.readHeader(in, file.toString()));
                    }
                }
            } catch (java.util.zip.ZipException e) {
                throw new DataException(file + ": not a .npz archive (" + e.getMessage() + "); save with numpy.savez");
            } catch (NpyException e) {
                throw new DataException(e.getMessage());
            } catch (IOException e) {
                throw new DataException(file + ": cannot read: " + e.getMessage());
            }
            Npy.Header labelHeader = headers.remove("labels");
            long count = -1;
            Map<String, Array> arrays = new LinkedHashMap<>();
            for (Value input : inputs) {
                Npy.Header h = headers.remove(input.name());
                if (h == null) {
                    throw new DataException(file + ": no array `" + input.name() + "` for input `" + input.name()
                            + "`; the file has " + (headers.isEmpty() ? "none other" : headers.keySet()) + "; save it with"
                            + " numpy.savez(path, " + input.name() + "=batch)");
                }
                List<Types.Dim> shape = Types.shape(input.type());
                int rank = shape == null ? h.dims().length - 1 : shape.size();
                long[] d = h.dims();
                long rowsPerSample;
                long[] sampleDims;
                if (d.length == rank + 1) {
                    rowsPerSample = 1;
                    sampleDims = java.util.Arrays.copyOfRange(d, 1, d.length);
                } else if (d.length == rank && rank > 0) {
                    rowsPerSample = shape.get(0).isKnown() ? shape.get(0).value() : 1;
                    sampleDims = d.clone();
                    sampleDims[0] = rowsPerSample;
                } else {
                    throw new DataException(file + ": array `" + input.name() + "` has shape " + java.util.Arrays.toString(d)
                            + "; input `" + input.name() + "` is " + Types.describe(input.type()) + ": give the samples along"
                            + " a leading axis (rank " + (rank + 1) + ") or batches of the input's own rank");
                }
                long n = d.length == 0 ? 0 : d[0] / rowsPerSample;
                if (count >= 0 && n != count) {
                    throw new DataException(file + ": array `" + input.name() + "` holds " + n + " samples, another input's"
                            + " array " + count + "; give every input the same number");
                }
                count = n;
                arrays.put(input.name(), new Array(npz ? input.name() + ".npy" : null, h, rowsPerSample, sampleDims));
            }
            if (!headers.isEmpty()) {
                throw new DataException(file + ": array `" + headers.keySet().iterator().next() + "` is not an input of the"
                        + " model; its inputs are " + inputs.stream().map(Value::name).toList()
                        + (labelHeader == null ? " (labels go in an array named `labels`)" : ""));
            }
            if (count <= 0) {
                throw new DataException(file + ": no samples (the leading axis is empty)");
            }
            Array labels = null;
            if (labelHeader != null) {
                if (labelHeader.dims().length != 1 || labelHeader.dims()[0] != count
                        || labelHeader.type() == DataType.FLOAT || labelHeader.type() == DataType.DOUBLE) {
                    throw new DataException(file + ": `labels` must be " + count + " integers (one per sample), it is "
                            + labelHeader.descr() + " " + java.util.Arrays.toString(labelHeader.dims()));
                }
                labels = new Array("labels.npy", labelHeader, 1, new long[] {1});
            }
            return new Batched(file, model, arrays, labels, Math.toIntExact(count));
        }

        Iterator<Sample> iterator() {
            return new ClosableIterator() {
                private int next;
                private ZipFile zip;
                private final Map<String, InputStream> streams = new LinkedHashMap<>();

                @Override
                public boolean hasNext() {
                    boolean more = next < samples;
                    if (!more) {
                        closeAll();
                    }
                    return more;
                }

                @Override
                public Sample next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    try {
                        open();
                        Map<String, Tensor> inputs = new LinkedHashMap<>();
                        for (Map.Entry<String, Array> e : arrays.entrySet()) {
                            Array a = e.getValue();
                            inputs.put(e.getKey(), Npy.readRows(streams.get(e.getKey()), a.header(), a.rowsPerSample(),
                                    e.getKey(), a.sampleDims(), file.toString()));
                        }
                        OptionalInt label = OptionalInt.empty();
                        if (labels != null) {
                            TensorView v = Npy.readRows(streams.get("labels"), labels.header(), 1, "labels", new long[] {1},
                                    file.toString()).view();
                            label = OptionalInt.of(Math.toIntExact(v.getLong(0)));
                        }
                        String origin = file.getFileName() + "[" + next + "]";
                        try {
                            Samples.check(inputs, model, file + " (sample " + next + ")");
                        } catch (SampleException e) {
                            throw new DataException(e.getMessage());
                        }
                        next++;
                        return new Sample(inputs, label, origin);
                    } catch (NpyException e) {
                        closeAll();
                        throw new DataException(e.getMessage());
                    } catch (IOException e) {
                        closeAll();
                        throw new DataException(file + ": cannot read: " + e.getMessage());
                    }
                }

                private void open() throws IOException, NpyException {
                    if (!streams.isEmpty()) {
                        return;
                    }
                    List<String> names = new ArrayList<>(arrays.keySet());
                    if (labels != null) {
                        names.add("labels");
                    }
                    if (file.toString().endsWith(".npz")) {
                        zip = new ZipFile(file.toFile());
                        for (String name : names) {
                            InputStream in = new java.io.BufferedInputStream(zip.getInputStream(zip.getEntry(name + ".npy")), 1 << 16);
                            Npy.readHeader(in, file + ":" + name + ".npy");
                            streams.put(name, in);
                        }
                    } else {
                        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
                        Npy.readHeader(in, file.toString());
                        streams.put(names.get(0), in);
                    }
                }

                @Override
                public void close() {
                    closeAll();
                }

                private void closeAll() {
                    try {
                        for (InputStream in : streams.values()) {
                            in.close();
                        }
                        if (zip != null) {
                            zip.close();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        streams.clear();
                        zip = null;
                    }
                }
            };
        }
    }
}
