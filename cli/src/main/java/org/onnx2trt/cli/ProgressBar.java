package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.onnx2trt.quant.data.Progress;

/**
 * A pass over data drawn on stderr: a bar redrawn in place on a terminal; otherwise quiet, but for one
 * line at the end of a pass that took {@value #LOGGED_SECONDS} s or more (logs and CI stay readable).
 */
final class ProgressBar implements Progress {
    /** Off a terminal, a pass that took at least this long still leaves one line (its time), for logs. */
    static final double LOGGED_SECONDS = 2.0;

    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private String title;
    private int total;
    private int done;
    private long start;
    private long lastDraw;
    private String unit = "samples";

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void begin(String title, int total, String unit) {
        begin(title, total);
        this.unit = unit;
    }

    @Override
    public void begin(String title, int total) {
        this.unit = "samples";
        this.title = title;
        this.total = total;
        this.done = 0;
        this.start = System.nanoTime();
        this.lastDraw = 0;
    }

    @Override
    public void advance(int done) {
        this.done = done;
        long now = System.nanoTime();
        if (terminal && (now - lastDraw > 100_000_000L || done == total)) {
            lastDraw = now;
            int width = 30;
            int filled = total <= 0 ? width : (int) Math.min(width, (long) width * done / total);
            err.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %.1f s", title, "#".repeat(filled), ".".repeat(width - filled), done,
                    total, (now - start) / 1e9);
            err.flush();
        }
    }

    @Override
    public void end() {
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!terminal && seconds < LOGGED_SECONDS) {
            return; // quiet off a terminal, unless the pass was long enough to be worth a line in a log
        }
        err.printf(Locale.ROOT, "%s%s: %d %s in %.1f s (%.1f ms each)%n", terminal ? "\r\033[K" : "", title, done,
                unit, seconds, done == 0 ? 0 : 1000 * seconds / done);
        err.flush();
    }
}
