package org.onnx2trt.cli.faults;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.onnx2trt.cli.Main;

/**
 * Runs a fault case in-process and judges the answer: exit code 2 (bad input; 0 too where the case
 * allows it), one clear line on stderr that starts with {@code error: } (or {@code FILE:LINE:COL: error: }), no stack trace, no hang,
 * nothing written, every input byte-identical afterwards, and the heap's growth under a bound.
 */
public final class FaultRunner {
    /** A command that has not answered after this long hangs. */
    public static final int TIMEOUT_SECONDS = 60;
    /** How much the heap may grow while a case runs (MiB): the inputs are a few kB, so more is a blow-up. */
    public static final long HEAP_BOUND_MIB = 1024;
    /** At most this many lines on stderr: the error, and a hint such as "(see ./onnx2trt verify --help)". */
    static final int MAX_ERROR_LINES = 3;
    /** {@code error: ...}, or a compiler-style {@code FILE:LINE:COL: error: ...} for a rule file or recipe. */
    private static final java.util.regex.Pattern CLEAR_ERROR = java.util.regex.Pattern.compile("(error: |\\S+:\\d+:\\d+: error: )");
    private static final java.util.regex.Pattern EXCEPTION_NAME =
            java.util.regex.Pattern.compile("\\b(java|javax|com|org)\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error)\\b");

    private FaultRunner() {}

    /** Runs {@code c} in a fresh folder under {@code scratch} (deleted afterwards). */
    public static FaultVerdict run(FaultCase c, Path scratch) {
        Path dir;
        List<String> args;
        Map<String, byte[]> before;
        try {
            dir = Files.createTempDirectory(scratch, "case");
            args = c.setup().prepare(dir);
            before = snapshot(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("setting up " + c + ": " + e.getMessage(), e);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int[] code = {-1};
        long baseline = org.onnx2trt.bench.HeapPeak.reset();
        long t0 = System.nanoTime();
        Thread t = new Thread(null, () -> code[0] = Main.run(args.toArray(String[]::new), new PrintWriter(out),
                new PrintWriter(err)), "fault-case", 256L << 20);
        t.setDaemon(true); // a hang is reported, and must not keep the JVM alive
        t.start();
        try {
            t.join(TIMEOUT_SECONDS * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = Math.max(0, org.onnx2trt.bench.HeapPeak.peak() - baseline) >> 20;
        String errText = err.toString();
        String firstLine = errText.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        String problem;
        if (t.isAlive()) {
            t.interrupt();
            problem = "no answer after " + TIMEOUT_SECONDS + " s (a hang): " + String.join(" ", args);
        } else {
            problem = judge(c, code[0], out.toString(), errText, firstLine, before, dir, peak);
            try {
                org.onnx2trt.bench.BenchSuites.deleteTree(dir);
            } catch (IOException e) {
                // a leftover of a case: the scratch folder's owner removes it
            }
        }
        return new FaultVerdict(c, problem, t.isAlive() ? -1 : code[0], firstLine, seconds, peak);
    }

    private static String judge(FaultCase c, int code, String out, String err, String firstLine, Map<String, byte[]> before,
                                Path dir, long peakMib) {
        String all = out + err;
        if (all.contains("\tat ") || all.contains("internal error") || EXCEPTION_NAME.matcher(all).find()) {
            return "a stack trace or an exception's class name in the output: " + firstLine;
        }
        boolean passed = code == 0 && c.mayPass();
        if (!passed && code != 2) {
            return "exit " + code + ", expected 2 (bad input)" + (c.mayPass() ? " or 0" : "") + ": " + firstLine;
        }
        if (!passed) {
            long lines = err.lines().filter(l -> !l.isBlank()).count();
            if (!CLEAR_ERROR.matcher(firstLine).lookingAt() || firstLine.length() < 20) {
                return "the first line on stderr is not a clear error: `" + firstLine + "`";
            }
            if (lines > MAX_ERROR_LINES) {
                return lines + " lines on stderr, expected one error (and at most a hint): " + firstLine;
            }
        }
        Map<String, byte[]> after;
        try {
            after = snapshot(dir);
        } catch (IOException e) {
            return "the folder could not be read back: " + e.getMessage();
        }
        for (Map.Entry<String, byte[]> e : before.entrySet()) {
            byte[] now = after.get(e.getKey());
            if (now == null) {
                return "input " + e.getKey() + " was deleted";
            }
            if (!Arrays.equals(e.getValue(), now)) {
                return "input " + e.getKey() + " was changed";
            }
        }
        if (!passed) {
            for (String name : after.keySet()) {
                if (!before.containsKey(name)) {
                    return "wrote " + name + " though the command failed";
                }
            }
        }
        if (peakMib > HEAP_BOUND_MIB) {
            return "the heap grew by " + peakMib + " MiB, over the " + HEAP_BOUND_MIB + " MiB bound";
        }
        return null;
    }

    /** Every file and folder under {@code dir} by relative path; a file's bytes, a folder's an empty array (links not followed). */
    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(dir)) {
                    continue;
                }
                String name = dir.relativize(p).toString();
                files.put(name, Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(p)
                        : new byte[0]);
            }
        }
        return files;
    }
}
