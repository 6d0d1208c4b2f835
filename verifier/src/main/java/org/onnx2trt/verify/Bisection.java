package org.onnx2trt.verify;

import java.util.function.IntFunction;

/**
 * Finds the rewrite that broke equivalence: given a run of {@code total} applications whose result
 * failed verification, a binary search over prefixes (the model after the first k applications)
 * finds k such that k − 1 applications verify and k do not. Application k is then a culprit on its
 * own: it turned a model that still computed the right function into one that does not. About
 * log2(total) + 1 verifications.
 */
public final class Bisection {

    /**
     * @param applications how many applications verify before the culprit (k − 1); 0 with
     *     {@code application} 0 means the model failed before any rule ran
     * @param report the verification of the first failing prefix
     */
    public record Culprit(int application, Equivalence.Report report) {}

    private Bisection() {}

    /**
     * @param total applications in the failed run
     * @param verifyPrefix verifies the model after the first k applications (k from 0 to total)
     */
    public static Culprit firstFailing(int total, IntFunction<Equivalence.Report> verifyPrefix) {
        Equivalence.Report none = verifyPrefix.apply(0);
        if (!none.passed()) {
            return new Culprit(0, none);
        }
        int good = 0; // verified
        int bad = total; // fails (the caller's run)
        Equivalence.Report badReport = null;
        while (bad - good > 1) {
            int mid = good + (bad - good) / 2;
            Equivalence.Report r = verifyPrefix.apply(mid);
            if (r.passed()) {
                good = mid;
            } else {
                bad = mid;
                badReport = r;
            }
        }
        return new Culprit(bad, badReport != null ? badReport : verifyPrefix.apply(bad));
    }
}
