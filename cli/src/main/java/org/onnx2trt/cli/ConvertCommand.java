package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.onnx2trt.inspect.Sizes;
import org.onnx2trt.io.DataLayout;
import org.onnx2trt.io.ModelWriter;
import org.onnx2trt.io.WriteOptions;
import org.onnx2trt.io.WriteResult;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.TopologicalOrder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt convert IN OUT [--external-data [--size-threshold B] | --inline] [--in-place] [--sort]}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Rewrite a model file losslessly, with weights inline or as external data.",
                "Without options each tensor stays where it was (external data goes to OUT's own side file).",
                "The input is never modified; OUT is written atomically (temporary file, then rename)."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "the model to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the model to write")
    Path out;

    @ArgGroup(exclusive = true)
    Layout layout = new Layout();

    static final class Layout {
        @Option(names = "--external-data",
                description = "store tensors of at least --size-threshold bytes in one side file, OUT + '.data'")
        boolean external;

        @Option(names = "--inline", description = "store every tensor inside OUT (at most 2 GiB in all)")
        boolean inline;
    }

    @Option(names = "--size-threshold", paramLabel = "BYTES", defaultValue = "1024",
            description = "with --external-data: smaller tensors stay inline (default: ${DEFAULT-VALUE})")
    long sizeThreshold;

    @Option(names = "--data-file", paramLabel = "NAME",
            description = "the side file's name, in OUT's folder (default: OUT's file name + '.data')")
    String dataFile;

    @Option(names = "--in-place", description = "allow OUT to be IN (still written atomically)")
    boolean inPlace;

    @Option(names = "--sort", description = "put nodes in topological order (TensorRT's parser needs it)")
    boolean sort;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        checkPaths();
        Model model = ModelLoader.loadValid(in, spec.commandLine().getErr());
        DataLayout mode = layout.external ? DataLayout.EXTERNAL : layout.inline ? DataLayout.INLINE : DataLayout.KEEP;
        if (!inPlace) { // in place, OUT replaces IN atomically once it is written in full
            new PathGuard().readsModel("the input model", in, model).writes("OUT", out)
                    .writes("the external data file", mode == DataLayout.INLINE ? null : PathGuard.dataFileOf(out, dataFile));
        }
        if (sort) {
            TopologicalOrder.sortInPlace(model.graph());
        }
        if (sizeThreshold < 0) {
            throw new UserError("--size-threshold must be 0 or more bytes, not " + sizeThreshold);
        }
        WriteResult r = ModelWriter.write(model, out, new WriteOptions(mode, sizeThreshold, dataFile));
        stdout.printf("wrote %s (%s, %d tensors inline)%n", r.modelFile(), Sizes.bytes(r.modelBytes()), r.inlineTensors());
        if (r.dataFile() != null) {
            stdout.printf("wrote %s (%s, %d tensors)%n", r.dataFile(), Sizes.bytes(r.dataBytes()), r.externalTensors());
        }
        stdout.flush();
        return ExitCode.OK;
    }

    private void checkPaths() {
        if (dataFile != null && (dataFile.contains("/") || dataFile.contains("\\") || dataFile.equals("..") || dataFile.isBlank())) {
            throw new UserError("--data-file `" + dataFile + "` must be a plain file name; it is written next to OUT");
        }
        if (!inPlace && !Files2.differ(in, out)) {
            throw new UserError(out + ": OUT is the input model; refusing to overwrite it"
                    + " (give another OUT, or --in-place to replace it atomically)");
        }
        Path data = out.toAbsolutePath().resolveSibling(dataFile != null ? dataFile : out.getFileName() + ".data");
        if (!Files2.differ(data, in) || !Files2.differ(data, out)) {
            throw new UserError("--data-file `" + dataFile + "` would overwrite a model file; choose another name");
        }
    }
}
