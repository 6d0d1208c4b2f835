package org.onnx2trt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.onnx2trt.ir.Graph;
import org.onnx2trt.ir.Model;
import org.onnx2trt.ir.Node;
import org.onnx2trt.ir.Value;

/**
 * The files one command reads and the files it is about to write, checked before anything is written:
 * a file written may be none of the files read (the input models and the external data files their
 * tensors point at) nor another file written (a report given the output's name), with links and
 * relative paths resolved. A clash is one {@link UserError} naming both roles, so no input is ever
 * overwritten and no output silently replaces another.
 */
final class PathGuard {
    private final Map<Path, String> reads = new LinkedHashMap<>();
    private final Map<Path, String> writes = new LinkedHashMap<>();

    /** A file the command reads ({@code role}: how messages name it); null is ignored. */
    PathGuard reads(String role, Path file) {
        if (file != null) {
            reads.putIfAbsent(key(file), role + " " + file);
        }
        return this;
    }

    /** A model the command read, and every external data file its tensors (subgraphs' too) point at. */
    PathGuard readsModel(String role, Path file, Model model) {
        reads(role, file);
        externalFiles(model.graph(), role);
        return this;
    }

    private void externalFiles(Graph g, String role) {
        for (Value v : g.initializers()) {
            if (v.initializer().isExternal()) {
                reads(role + "'s external data", v.initializer().externalLocation().file());
            }
        }
        for (Node n : g.nodeList()) {
            for (Graph sub : n.subgraphs()) {
                externalFiles(sub, role);
            }
        }
    }

    /**
     * A file about to be written ({@code role}: the option that names it); null is ignored.
     *
     * @throws UserError when it is a file read or another file written
     */
    PathGuard writes(String role, Path file) {
        if (file == null) {
            return this;
        }
        Path k = key(file);
        String read = reads.get(k);
        if (read != null) {
            throw new UserError(file + ": " + role + " would overwrite " + read + "; choose another file");
        }
        String other = writes.get(k);
        if (other != null) {
            throw new UserError(file + ": " + role + " is the same file as " + other + "; give each its own file");
        }
        writes.put(k, role + " " + file);
        checkWritable(role, file);
        return this;
    }

    /**
     * Before any work: the folder {@code file} goes in exists and takes new files (a read-only mount,
     * a folder of another user), so that a long run does not end in a write that cannot happen.
     */
    private static void checkWritable(String role, Path file) {
        Path folder = file.toAbsolutePath().normalize().getParent();
        if (folder == null) {
            return;
        }
        if (!Files.isDirectory(folder)) {
            throw new UserError(file + ": cannot write " + role + ": the folder " + folder + " does not exist; create it"
                    + " first, or choose another path");
        }
        if (!Files.isWritable(folder)) {
            throw new UserError(file + ": cannot write " + role + ": " + folder + " takes no new files (read-only, or"
                    + " not yours); choose another folder");
        }
    }

    /** The side file a model written to {@code out} keeps its external tensors in ({@code dataFile}, else OUT + ".data"). */
    static Path dataFileOf(Path out, String dataFile) {
        return out.toAbsolutePath().resolveSibling(dataFile != null ? dataFile : out.getFileName() + ".data");
    }

    /** One name per file: the real path when it exists (links resolved), else its folder's real path and its name. */
    static Path key(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs)) {
                return abs.toRealPath();
            }
            Path parent = abs.getParent();
            if (parent != null && Files.exists(parent)) {
                return parent.toRealPath().resolve(abs.getFileName());
            }
        } catch (IOException e) {
            // an unreadable path: compare it as written
        }
        return abs;
    }
}
