package org.onnx2trt.recipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.onnx2trt.dsl.diag.Suggestions;

/** The recipes shipped in the jar ({@code org/onnx2trt/recipes/*.yaml}), and finding a recipe by name or path. */
public final class BuiltinRecipes {
    /** In the order {@code recipes list} shows them. */
    public static final List<String> NAMES = List.of("default", "aggressive", "int8-tensorrt", "int8-tensorrt-cle", "qat-tensorrt",
            "qat-tensorrt-fast");

    private BuiltinRecipes() {}

    /** The YAML text of a built-in recipe. */
    public static String text(String name) {
        try (InputStream in = BuiltinRecipes.class.getResourceAsStream("/org/onnx2trt/recipes/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalArgumentException("no built-in recipe `" + name + "`");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Recipe load(String name, Set<String> ruleNames) throws RecipeException {
        return RecipeLoader.load(text(name), "built-in:" + name + ".yaml", name, ruleNames);
    }

    /**
     * A recipe file, or a built-in recipe by name when no such file exists.
     *
     * @throws RecipeException naming the file and what is wrong, or the built-in names
     */
    public static Recipe resolve(String nameOrPath, Set<String> ruleNames) throws RecipeException {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            String text;
            try {
                text = org.onnx2trt.io.TextFiles.read(p, "a recipe");
            } catch (org.onnx2trt.io.TextFiles.TextFileException e) {
                throw new RecipeException(e.getMessage());
            } catch (IOException e) {
                throw new RecipeException(nameOrPath + ": cannot read: " + e.getMessage());
            }
            String stem = p.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            return RecipeLoader.load(text, nameOrPath, stem, ruleNames);
        }
        if (NAMES.contains(nameOrPath)) {
            return load(nameOrPath, ruleNames);
        }
        if (Files.isDirectory(p)) {
            throw new RecipeException(nameOrPath + ": is a folder; give a recipe .yaml file");
        }
        throw new RecipeException(nameOrPath + ": no such recipe file, and no built-in recipe of that name"
                + Suggestions.didYouMean(nameOrPath, NAMES) + "; the built-in recipes are " + String.join(", ", NAMES));
    }
}
