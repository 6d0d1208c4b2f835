package org.onnx2trt.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .rwtest} file: cases of a graph before the rules and what must come out.
 *
 * <pre>
 * === fire: identities before a relu collapse
 * m (float[4] x) =&gt; (float[4] y) { a = Identity (x)  y = Relu (a) }
 * --- after
 * m (float[4] x) =&gt; (float[4] y) { y = Relu (x) }
 * === declined: the identity is the whole interface
 * m (float[4] x) =&gt; (float[4] y) { y = Identity (x) }
 * --- unchanged
 * --- declined EliminateIdentity: `y` is a graph output and ...
 * </pre>
 *
 * Lines before the first {@code ===} are comments; so are lines starting with {@code #} outside graphs.
 *
 * <p>Facts for rules that read them (quantization placement): {@code --- calib x=2.5 r=1} gives the
 * calibration range of each named value (its amax; the range [-amax, amax]), {@code --- param
 * weights=per_tensor exclude=conv*,Gemm} the stage's parameters (a value with commas is a list).
 */
public record GoldenFile(String header, List<Case> cases) {

    /**
     * One case: the graph text before, the expected graph text (null: unchanged), expected declines,
     * the tolerance, and the facts given (calibration amax by value name, stage parameters as written).
     */
    public record Case(String title, int line, String before, String after, List<String> declines, double tolerance,
                       Map<String, Double> calib, Map<String, String> params) {}

    public static GoldenFile parse(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder header = new StringBuilder();
        List<Case> cases = new ArrayList<>();
        int i = 0;
        while (i < lines.length && !lines[i].startsWith("===")) {
            header.append(lines[i++]).append('\n');
        }
        while (i < lines.length) {
            String title = lines[i].substring(3).strip();
            int line = i + 1;
            i++;
            StringBuilder before = new StringBuilder();
            while (i < lines.length && !lines[i].startsWith("---") && !lines[i].startsWith("===")) {
                before.append(lines[i++]).append('\n');
            }
            String after = null;
            List<String> declines = new ArrayList<>();
            double tolerance = 1e-5;
            Map<String, Double> calib = new LinkedHashMap<>();
            Map<String, String> params = new LinkedHashMap<>();
            while (i < lines.length && lines[i].startsWith("---")) {
                String section = lines[i].substring(3).strip();
                i++;
                if (section.equals("after")) {
                    StringBuilder sb = new StringBuilder();
                    while (i < lines.length && !lines[i].startsWith("---") && !lines[i].startsWith("===")) {
                        sb.append(lines[i++]).append('\n');
                    }
                    after = sb.toString();
                } else if (section.startsWith("tolerance ")) {
                    tolerance = Double.parseDouble(section.substring("tolerance ".length()).strip());
                } else if (section.startsWith("declined ")) {
                    declines.add(section.substring("declined ".length()));
                } else if (section.startsWith("calib ")) {
                    assignments(section.substring("calib ".length()), i).forEach((k, v) -> calib.put(k, Double.parseDouble(v)));
                } else if (section.startsWith("param ")) {
                    params.putAll(assignments(section.substring("param ".length()), i));
                } else if (!section.equals("unchanged")) {
                    throw new IllegalArgumentException("line " + i + ": unknown section `--- " + section
                            + "`; the sections are `after`, `unchanged`, `declined RULE: reason`, `tolerance X`, `calib v=AMAX ...` and"
                            + " `param k=v ...`");
                }
            }
            cases.add(new Case(title, line, before.toString(), after, declines, tolerance, calib, params));
            while (i < lines.length && lines[i].isBlank()) {
                i++;
            }
            if (i < lines.length && !lines[i].startsWith("===")) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected `===` to start the next case");
            }
        }
        return new GoldenFile(header.toString(), cases);
    }

    /** {@code k=v k2=v2}, in order. */
    private static Map<String, String> assignments(String text, int line) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : text.strip().split("\\s+")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("line " + line + ": `" + item + "` is not name=value");
            }
            out.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return out;
    }

    /**
     * The file with the result of each case that did not pass replaced by {@code actualAfter} (null
     * for unchanged, else the printed graph); passing cases keep their golden text.
     */
    public String withActual(List<String> actualAfter, List<Boolean> passed) {
        StringBuilder sb = new StringBuilder(header);
        for (int k = 0; k < cases.size(); k++) {
            Case c = cases.get(k);
            sb.append("=== ").append(c.title()).append('\n').append(c.before());
            if (passed.get(k)) {
                sb.append(c.after() == null ? "--- unchanged\n" : "--- after\n" + c.after());
            } else if (actualAfter.get(k) == null) {
                sb.append("--- unchanged\n");
            } else {
                sb.append("--- after\n").append(actualAfter.get(k));
            }
            c.declines().forEach(d -> sb.append("--- declined ").append(d).append('\n'));
            if (!c.calib().isEmpty()) {
                sb.append("--- calib");
                c.calib().forEach((name, v) -> sb.append(" ").append(name).append("=").append(v));
                sb.append('\n');
            }
            if (!c.params().isEmpty()) {
                sb.append("--- param");
                c.params().forEach((name, v) -> sb.append(" ").append(name).append("=").append(v));
                sb.append('\n');
            }
            if (c.tolerance() != 1e-5) {
                sb.append("--- tolerance ").append(c.tolerance()).append('\n');
            }
        }
        return sb.toString();
    }
}
