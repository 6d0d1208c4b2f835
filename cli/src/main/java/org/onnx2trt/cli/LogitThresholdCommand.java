package org.onnx2trt.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code onnx2trt logit-threshold T}: the threshold to use on an output whose Sigmoid was removed. */
@Command(name = "logit-threshold", mixinStandardHelpOptions = true,
        description = {"Print the logit of a probability threshold: logit(t) = ln(t / (1 − t)).",
                "After EliminateSigmoidHead (optimize --enable head) an output gives x instead of sigmoid(x); "
                        + "since the sigmoid is increasing, sigmoid(x) > t exactly when x > logit(t)."})
final class LogitThresholdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "T", description = "the threshold on the sigmoid's output, 0 < T < 1")
    String threshold;

    @Override
    public Integer call() {
        double t;
        try {
            t = Double.parseDouble(threshold);
        } catch (NumberFormatException e) {
            throw new UserError("logit-threshold " + threshold + ": give a number between 0 and 1, such as 0.25");
        }
        if (!(t > 0 && t < 1)) {
            throw new UserError("logit-threshold " + threshold + ": the threshold must be strictly between 0 and 1"
                    + " (the logit of 0 and 1 is infinite)");
        }
        double logit = Math.log(t / (1 - t));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "logit(%s) = ln(%s / %s) = %.9g%n", threshold, threshold,
                trim(1 - t), logit);
        out.printf(Locale.ROOT, "compare the output with %.9g where you compared the sigmoid with %s (float32: %s)%n",
                logit, threshold, Float.toString((float) logit));
        out.flush();
        return ExitCode.OK;
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.12f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
