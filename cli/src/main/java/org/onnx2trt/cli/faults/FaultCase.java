package org.onnx2trt.cli.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One bad input and the command that meets it.
 *
 * @param family   what kind of fault (model file, model structure, protobuf mutant, rule file, recipe,
 *                 sample file, paths, options)
 * @param name     what is wrong, in a few words
 * @param setup    writes the inputs into an empty folder and gives the command line
 * @param mayPass  whether exit 0 is acceptable too (a protobuf mutant can still be a valid model);
 *                 anything else must be refused with exit 2
 */
public record FaultCase(String family, String name, Setup setup, boolean mayPass) {
    /** Writes a case's inputs into {@code dir}; returns the arguments of the command to run there. */
    @FunctionalInterface
    public interface Setup {
        List<String> prepare(Path dir) throws IOException;
    }

    static FaultCase refused(String family, String name, Setup setup) {
        return new FaultCase(family, name, setup, false);
    }

    @Override
    public String toString() {
        return family + ": " + name;
    }
}
