package org.onnx2trt.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onnx2trt.dsl.diag.Suggestions;

/**
 * Reads a recipe from YAML and checks it: known stage kinds and keys, value types, and rule names
 * and tags the rule library knows. Every error reads {@code file:line:col: error: what}, with a
 * suggestion where a near name exists.
 *
 * <pre>
 * name: default
 * description: constants, the default rules to a fixpoint, then a check against the input
 * stages:
 *   - simplify: {}
 *   - rules: { disable: [quant], mode: fixpoint }
 *   - verify: { samples: 4, atol: 1e-5, rtol: 1e-4, noise_floor: false }
 * </pre>
 */
public final class RecipeLoader {
    static final List<String> STAGES = List.of("simplify", "rules", "verify", "calibrate", "quantize", "evaluate", "fp16", "lint", "import_qdq",
            "bias_correct", "align_qdq");
    static final List<String> LATER_STAGES = List.of("build");

    private final String source;
    private final Set<String> ruleNames;

    private RecipeLoader(String source, Set<String> ruleNames) {
        this.source = source;
        this.ruleNames = ruleNames;
    }

    /**
     * @param source the file name in messages
     * @param defaultName the name when the recipe gives none (the file's stem)
     * @param ruleNames the rule names and tags that {@code only}, {@code enable} and {@code disable} may use
     */
    public static Recipe load(String text, String source, String defaultName, Set<String> ruleNames) throws RecipeException {
        return new RecipeLoader(source, ruleNames).recipe(YamlReader.read(text, source), defaultName);
    }

    private Recipe recipe(YamlNode root, String defaultName) throws RecipeException {
        YamlNode.MapNode map = map(root, "the recipe");
        keys(map, List.of("name", "description", "stages"), "a recipe");
        String name = map.entries().containsKey("name") ? text(map.entries().get("name").value(), "name") : defaultName;
        String description = map.entries().containsKey("description")
                ? text(map.entries().get("description").value(), "description") : "";
        YamlNode.Entry stagesEntry = map.entries().get("stages");
        if (stagesEntry == null) {
            throw error(root.place(), "a recipe needs `stages:`, a list such as `- rules: {}`");
        }
        if (!(stagesEntry.value() instanceof YamlNode.ListNode list) || list.items().isEmpty()) {
            throw error(stagesEntry.value().place(), "`stages` must be a non-empty list of stages ("
                    + String.join(", ", STAGES) + "), found " + stagesEntry.value().describe());
        }
        List<Recipe.Stage> stages = new ArrayList<>();
        boolean calibrated = false;
        boolean quantized = false;
        boolean aligned = false;
        for (YamlNode item : list.items()) {
            Recipe.Stage s = stage(item);
            if (s instanceof Recipe.Quantize && !calibrated) {
                throw error(item.place(), "a `quantize` stage places QDQ from a calibration table: put a `calibrate` stage"
                        + " before it");
            }
            if (s instanceof Recipe.BiasCorrect && !quantized) {
                throw error(item.place(), "a `bias_correct` stage corrects the layers a `quantize` stage quantized: put a"
                        + " `quantize` stage before it");
            }
            if (s instanceof Recipe.Evaluate && !quantized) {
                throw error(item.place(), "an `evaluate` stage compares the quantized model with the float one: put a"
                        + " `quantize` stage before it");
            }
            if (s instanceof Recipe.Verify && aligned) {
                throw error(item.place(), "a `verify` stage checks exact rewrites against the input, and the `align_qdq`"
                        + " stage before it changes the function on purpose (it measures and bounds its own changes):"
                        + " put `verify` before `align_qdq`");
            }
            aligned |= s instanceof Recipe.AlignQdq;
            calibrated |= s instanceof Recipe.Calibrate;
            quantized |= s instanceof Recipe.Quantize;
            stages.add(s);
        }
        return new Recipe(name, description, stages, source);
    }

    private Recipe.Stage stage(YamlNode item) throws RecipeException {
        YamlNode.MapNode m = item instanceof YamlNode.MapNode mm ? mm : null;
        if (m == null && item instanceof YamlNode.Scalar s && STAGES.contains(s.text())) {
            return stage(s.text(), new YamlNode.MapNode(Map.of(), s.place()), s.place());
        }
        if (m == null || m.entries().size() != 1) {
            throw error(item.place(), "each stage is one of " + String.join(", ", STAGES)
                    + " with its settings, such as `- rules: { disable: [quant] }`; found " + item.describe());
        }
        YamlNode.Entry e = m.entries().values().iterator().next();
        if (LATER_STAGES.contains(e.key())) {
            throw error(e.keyPlace(), "the `" + e.key() + "` stage is not available in this version; the stages are "
                    + String.join(", ", STAGES));
        }
        if (!STAGES.contains(e.key())) {
            throw error(e.keyPlace(), "unknown stage `" + e.key() + "`" + Suggestions.didYouMean(e.key(), STAGES)
                    + "; the stages are " + String.join(", ", STAGES));
        }
        YamlNode settings = e.value();
        if (settings instanceof YamlNode.Scalar s && s.text().equals("null")) {
            settings = new YamlNode.MapNode(Map.of(), s.place());
        }
        return stage(e.key(), map(settings, "the settings of `" + e.key() + "`"), e.keyPlace());
    }

    private Recipe.Stage stage(String kind, YamlNode.MapNode settings, YamlNode.Place at) throws RecipeException {
        String where = source + ":" + at;
        return switch (kind) {
            case "simplify" -> {
                keys(settings, List.of("keep-initializer-inputs", "max-folded-size"), "`simplify`");
                yield new Recipe.Simplify(bool(settings, "keep-initializer-inputs", false),
                        integer(settings, "max-folded-size", Recipe.Simplify.DEFAULT_MAX_FOLDED_SIZE, 0, Long.MAX_VALUE), where);
            }
            case "rules" -> {
                keys(settings, List.of("only", "enable", "disable", "mode", "max-applications"), "`rules`");
                String mode = settings.entries().containsKey("mode") ? text(settings.entries().get("mode").value(), "mode") : "fixpoint";
                if (!mode.equals("fixpoint") && !mode.equals("once")) {
                    throw error(settings.entries().get("mode").value().place(), "`mode` is `fixpoint` or `once`, found `" + mode + "`");
                }
                long bound = integer(settings, "max-applications", -1, 1, Integer.MAX_VALUE);
                yield new Recipe.Rules(names(settings, "only"), names(settings, "enable"), names(settings, "disable"),
                        mode.equals("fixpoint"), (int) bound, where);
            }
            case "calibrate" -> {
                keys(settings, List.of("method", "max_samples"), "`calibrate`");
                String method = settings.entries().containsKey("method") ? text(settings.entries().get("method").value(), "method")
                        : "entropy";
                if (!List.of("minmax", "percentile", "entropy", "mse").contains(method)) {
                    throw error(settings.entries().get("method").value().place(), "`method` is minmax, percentile, entropy or mse,"
                            + " found `" + method + "`" + Suggestions.didYouMean(method, List.of("minmax", "percentile", "entropy", "mse")));
                }
                yield new Recipe.Calibrate(method, (int) integer(settings, "max_samples", 0, 0, Integer.MAX_VALUE), where);
            }
            case "quantize" -> {
                keys(settings, List.of("target", "exclude", "conv_transpose_axis", "weights"), "`quantize`");
                String weights = settings.entries().containsKey("weights")
                        ? text(settings.entries().get("weights").value(), "weights") : "per_channel";
                if (!weights.equals("per_channel") && !weights.equals("per_tensor")) {
                    throw error(settings.entries().get("weights").value().place(), "`weights` is per_channel or per_tensor,"
                            + " found `" + weights + "`");
                }
                String target = settings.entries().containsKey("target") ? text(settings.entries().get("target").value(), "target")
                        : "tensorrt";
                if (!target.equals("tensorrt") && !target.equals("ort-cpu")) {
                    throw error(settings.entries().get("target").value().place(), "`target` is tensorrt or ort-cpu, found `"
                            + target + "`" + org.onnx2trt.dsl.diag.Suggestions.didYouMean(target, List.of("tensorrt", "ort-cpu")));
                }
                yield new Recipe.Quantize(target, strings(settings, "exclude"), integer(settings, "conv_transpose_axis", 1, 0, 1),
                        weights, where);
            }
            case "lint" -> {
                keys(settings, List.of("trt_version"), "`lint`");
                String version = settings.entries().containsKey("trt_version")
                        ? text(settings.entries().get("trt_version").value(), "trt_version")
                        : org.onnx2trt.trt.lint.TrtVersion.DEFAULT.toString();
                try {
                    org.onnx2trt.trt.lint.TrtVersion.parse(version);
                } catch (IllegalArgumentException e) {
                    throw error(settings.entries().get("trt_version").value().place(), e.getMessage());
                }
                yield new Recipe.Lint(version, where);
            }
            case "bias_correct" -> {
                keys(settings, List.of("method", "samples"), "`bias_correct`");
                String method = settings.entries().containsKey("method") ? text(settings.entries().get("method").value(), "method")
                        : "both";
                if (!List.of("analytic", "empirical", "both").contains(method)) {
                    throw error(settings.entries().get("method").value().place(), "`method` is analytic, empirical or both,"
                            + " found `" + method + "`" + Suggestions.didYouMean(method, List.of("analytic", "empirical", "both")));
                }
                yield new Recipe.BiasCorrect(method, (int) integer(settings, "samples", 64, 1, 100_000), where);
            }
            case "align_qdq" -> {
                keys(settings, List.of("concat_scales", "float_ops", "min_snr_db", "max_drop", "samples", "exclude"),
                        "`align_qdq`");
                yield new Recipe.AlignQdq(bool(settings, "concat_scales", true), bool(settings, "float_ops", true),
                        number(settings, "min_snr_db", 30), number(settings, "max_drop", 0.5),
                        (int) integer(settings, "samples", 32, 1, 100_000), strings(settings, "exclude"), where);
            }
            case "import_qdq" -> {
                keys(settings, List.of("dedicated_pairs"), "`import_qdq`");
                yield new Recipe.ImportQdq(bool(settings, "dedicated_pairs", true), where);
            }
            case "fp16" -> {
                keys(settings, List.of("keep_float32", "keep_io_types", "min_snr_db", "samples"), "`fp16`");
                List<String> keep = settings.entries().containsKey("keep_float32") ? strings(settings, "keep_float32")
                        : List.copyOf(new java.util.TreeSet<>(org.onnx2trt.transform.Float16Conversion.DEFAULT_KEEP_FLOAT32));
                yield new Recipe.Float16(keep, bool(settings, "keep_io_types", true), number(settings, "min_snr_db", 40),
                        (int) integer(settings, "samples", 4, 1, 10_000), where);
            }
            case "evaluate" -> {
                keys(settings, List.of("samples", "min_snr_db", "max_drop", "fallback", "sensitivity"), "`evaluate`");
                yield new Recipe.Evaluate((int) integer(settings, "samples", 0, 0, Integer.MAX_VALUE),
                        number(settings, "min_snr_db", 0), number(settings, "max_drop", 100), bool(settings, "fallback", false),
                        bool(settings, "sensitivity", false), where);
            }
            default -> {
                keys(settings, List.of("samples", "seed", "atol", "rtol", "noise_floor"), "`verify`");
                boolean tolerance = settings.entries().containsKey("atol") || settings.entries().containsKey("rtol");
                yield new Recipe.Verify((int) integer(settings, "samples", 4, 1, 10_000), integer(settings, "seed", 1,
                        Long.MIN_VALUE, Long.MAX_VALUE), number(settings, "atol", 1e-5), number(settings, "rtol", 1e-4),
                        bool(settings, "noise_floor", !tolerance), where);
            }
        };
    }

    // ---- typed values ----------------------------------------------------------------------

    private YamlNode.MapNode map(YamlNode n, String what) throws RecipeException {
        if (n instanceof YamlNode.MapNode m) {
            return m;
        }
        throw error(n.place(), what + " must be a map of `key: value` lines, found " + n.describe());
    }

    private void keys(YamlNode.MapNode m, List<String> allowed, String what) throws RecipeException {
        for (YamlNode.Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                throw error(e.keyPlace(), "unknown key `" + e.key() + "` in " + what + Suggestions.didYouMean(e.key(), allowed)
                        + "; the keys are " + String.join(", ", allowed));
            }
        }
    }

    private String text(YamlNode n, String key) throws RecipeException {
        if (n instanceof YamlNode.Scalar s) {
            return s.text();
        }
        throw error(n.place(), "`" + key + "` must be a single value, found " + n.describe());
    }

    private boolean bool(YamlNode.MapNode m, String key, boolean fallback) throws RecipeException {
        YamlNode.Entry e = m.entries().get(key);
        if (e == null) {
            return fallback;
        }
        String t = text(e.value(), key);
        if (t.equals("true") || t.equals("false")) {
            return t.equals("true");
        }
        throw error(e.value().place(), "`" + key + "` is true or false, found `" + t + "`");
    }

    private long integer(YamlNode.MapNode m, String key, long fallback, long min, long max) throws RecipeException {
        YamlNode.Entry e = m.entries().get(key);
        if (e == null) {
            return fallback;
        }
        String t = text(e.value(), key);
        try {
            long v = Long.parseLong(t);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw error(e.value().place(), "`" + key + "` must be a whole number" + (min > Long.MIN_VALUE ? " of at least " + min : "")
                + ", found `" + t + "`");
    }

    private double number(YamlNode.MapNode m, String key, double fallback) throws RecipeException {
        YamlNode.Entry e = m.entries().get(key);
        if (e == null) {
            return fallback;
        }
        String t = text(e.value(), key);
        try {
            double v = Double.parseDouble(t);
            if (v >= 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw error(e.value().place(), "`" + key + "` must be a non-negative number such as 1e-4, found `" + t + "`");
    }

    /** A list of strings (one may be written without brackets). */
    private List<String> strings(YamlNode.MapNode m, String key) throws RecipeException {
        List<String> out = new ArrayList<>();
        for (YamlNode item : items(m, key)) {
            out.add(text(item, key));
        }
        return out;
    }

    /** The items of a list value (one value written without brackets is a list of one); none when absent. */
    private static List<YamlNode> items(YamlNode.MapNode m, String key) {
        YamlNode.Entry e = m.entries().get(key);
        if (e == null) {
            return List.of();
        }
        return e.value() instanceof YamlNode.ListNode l ? l.items() : List.of(e.value());
    }

    /** A list of rule names or tags (one name may be written without brackets); each must be known. */
    private List<String> names(YamlNode.MapNode m, String key) throws RecipeException {
        List<String> out = new ArrayList<>();
        for (YamlNode item : items(m, key)) {
            String name = text(item, key);
            if (!ruleNames.contains(name)) {
                throw error(item.place(), "unknown rule or tag `" + name + "`" + Suggestions.didYouMean(name, ruleNames)
                        + "; `./onnx2trt rules list` shows them");
            }
            out.add(name);
        }
        return out;
    }

    private RecipeException error(YamlNode.Place at, String message) {
        return new RecipeException(source + ":" + at + ": error: " + message);
    }
}
