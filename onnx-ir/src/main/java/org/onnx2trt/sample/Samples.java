package org.onnx2trt.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Types;
import org.onnx2trt.ir.Value;
import org.onnx2trt.sample.npy.Npy;
import org.onnx2trt.sample.npy.NpyException;
import org.onnx2trt.sample.npy.Npz;
import org.onnx2trt.tensor.DataType;
import org.onnx2trt.tensor.Tensor;

/**
 * Input samples for a model: one map of input name to tensor per sample, loaded from numpy files or
 * made at random. What {@code --inputs PATH} accepts:
 * <ul>
 *   <li>{@code x.npz}: one sample, arrays named after the model's inputs;
 *   <li>{@code x.npy}: one sample of a one-input model (or of the input the file's stem names);
 *   <li>a folder of {@code .npz} files: one sample each, in name order;
 *   <li>a folder of folders of {@code .npy} files named after the inputs: one sample each.
 * </ul>
 * Every sample is checked against the model's inputs (names, element types, ranks, fixed dims).
 */
public final class Samples {
    private Samples() {}

    /** {@code count} seeded random samples; the seed of sample i is {@code seed + i}. */
    public static List<Map<String, Tensor>> random(Model model, long seed, int count, InputShapes shapes) {
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(RandomInputs.forModel(model, seed + i, shapes));
        }
        return out;
    }

    /** The samples at {@code path}, checked against {@code model}'s inputs. */
    public static List<Map<String, Tensor>> load(Path path, Model model) throws SampleException {
        List<Map<String, Tensor>> samples = new ArrayList<>();
        try {
            if (Files.isDirectory(path)) {
                List<Path> entries;
                try (Stream<Path> s = Files.list(path)) {
                    entries = s.sorted().toList();
                }
                for (Path p : entries) {
                    if (Files.isDirectory(p)) {
                        samples.add(folderSample(p, model));
                    } else if (p.toString().endsWith(".npz")) {
                        samples.add(Npz.read(p));
                    }
                }
                if (samples.isEmpty()) {
                    throw new SampleException(path + ": no samples here; put one .npz per sample, or one folder of"
                            + " .npy files (named after the inputs) per sample");
                }
            } else if (path.toString().endsWith(".npz")) {
                samples.add(Npz.read(path));
            } else if (path.toString().endsWith(".npy")) {
                samples.add(npySample(path, model));
            } else if (!Files.exists(path)) {
                throw new SampleException(path + ": no such file or folder");
            } else {
                throw new SampleException(path + ": give a .npy or .npz file, or a folder of samples");
            }
        } catch (NpyException e) {
            throw new SampleException(e.getMessage());
        } catch (IOException e) {
            throw new SampleException(path + ": cannot read: " + e.getMessage());
        }
        for (int i = 0; i < samples.size(); i++) {
            check(samples.get(i), model, samples.size() == 1 ? path.toString() : path + " (sample " + (i + 1) + ")");
        }
        return samples;
    }

    private static Map<String, Tensor> npySample(Path file, Model model) throws IOException, NpyException, SampleException {
        List<Value> inputs = model.graph().runtimeInputs();
        String stem = file.getFileName().toString().replaceFirst("\\.npy$", "");
        String name = inputs.stream().anyMatch(v -> v.name().equals(stem)) ? stem
                : inputs.size() == 1 ? inputs.get(0).name() : null;
        if (name == null) {
            throw new SampleException(file + ": the model has " + inputs.size() + " inputs ("
                    + inputs.stream().map(Value::name).toList() + "); name the file after one, or give an .npz with all");
        }
        Map<String, Tensor> sample = new LinkedHashMap<>();
        sample.put(name, Npy.read(file, name));
        return sample;
    }

    private static Map<String, Tensor> folderSample(Path folder, Model model) throws IOException, NpyException {
        Map<String, Tensor> sample = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                if (p.toString().endsWith(".npy")) {
                    String name = p.getFileName().toString().replaceFirst("\\.npy$", "");
                    sample.put(name, Npy.read(p, name));
                }
            }
        }
        return sample;
    }

    /** Refuses a sample that does not fit the model's inputs, saying which input and how. */
    public static void check(Map<String, Tensor> sample, Model model, String where) throws SampleException {
        List<Value> inputs = model.graph().runtimeInputs();
        List<String> names = inputs.stream().map(Value::name).toList();
        for (String k : sample.keySet()) {
            if (!names.contains(k)) {
                throw new SampleException(where + ": array `" + k + "` is not an input of the model; its inputs are "
                        + names);
            }
        }
        for (Value v : inputs) {
            Tensor t = sample.get(v.name());
            if (t == null) {
                throw new SampleException(where + ": no array for input `" + v.name() + "`");
            }
            DataType want = DataType.fromCode(Types.elemType(v.type())).orElse(DataType.UNDEFINED);
            if (want != DataType.UNDEFINED && t.dataType() != want) {
                throw new SampleException(where + ": input `" + v.name() + "` takes " + want + ", the array is "
                        + t.dataType() + "; save it with .astype(numpy." + numpyName(want) + ")");
            }
            List<Types.Dim> shape = Types.shape(v.type());
            if (shape != null) {
                if (shape.size() != t.rank()) {
                    throw new SampleException(where + ": input `" + v.name() + "` has rank " + shape.size()
                            + " (" + Types.describe(v.type()) + "), the array has shape " + java.util.Arrays.toString(t.dims()));
                }
                for (int d = 0; d < shape.size(); d++) {
                    if (shape.get(d).isKnown() && shape.get(d).value() != t.dims()[d]) {
                        throw new SampleException(where + ": input `" + v.name() + "` needs " + shape.get(d).value()
                                + " on axis " + d + " (" + Types.describe(v.type()) + "), the array has shape "
                                + java.util.Arrays.toString(t.dims()));
                    }
                }
            }
        }
    }

    private static String numpyName(DataType t) {
        return switch (t) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case FLOAT16 -> "float16";
            case BOOL -> "bool_";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
