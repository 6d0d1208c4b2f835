package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.onnx2trt.recipe.BuiltinRecipes;
import org.onnx2trt.recipe.Recipe;
import org.onnx2trt.recipe.RecipeException;
import org.onnx2trt.rules.RuleLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt recipes list|show NAME}. */
@Command(name = "recipes", mixinStandardHelpOptions = true,
        description = "List the built-in recipes, or show one's YAML (a starting point for your own).",
        subcommands = {RecipesCommand.ListRecipes.class, RecipesCommand.ShowRecipe.class})
final class RecipesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The built-in recipes, one line each.")
    static final class ListRecipes implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (String name : BuiltinRecipes.NAMES) {
                Recipe r = BuiltinRecipes.load(name, RuleLibrary.builtin().namesAndTags());
                int width = BuiltinRecipes.NAMES.stream().mapToInt(String::length).max().orElse(12);
                out.printf("%-" + width + "s  %s%n", r.name(), r.description());
            }
            out.println("./onnx2trt recipes show NAME prints one; ./onnx2trt run NAME|FILE.yaml runs it");
            out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a built-in recipe's YAML.")
    static final class ShowRecipe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "a built-in recipe")
        String name;

        @Override
        public Integer call() {
            if (!BuiltinRecipes.NAMES.contains(name)) {
                throw new UserError("no built-in recipe `" + name + "`; they are " + String.join(", ", BuiltinRecipes.NAMES));
            }
            spec.commandLine().getOut().print(BuiltinRecipes.text(name));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }
}
