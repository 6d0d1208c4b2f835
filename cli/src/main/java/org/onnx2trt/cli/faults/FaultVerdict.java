package org.onnx2trt.cli.faults;

/**
 * What one fault case showed.
 *
 * @param faultCase the case
 * @param problem   what was wrong with the tool's answer (exit code, message, a stack trace, a file written
 *                  or changed, a hang); null when it answered as it should
 * @param exitCode  the exit code (-1 for a hang)
 * @param firstLine the first line on stderr, the message the user reads
 * @param seconds   how long the command ran
 * @param peakHeapMib the heap's peak while it ran (all pools, MiB)
 */
public record FaultVerdict(FaultCase faultCase, String problem, int exitCode, String firstLine, double seconds,
                           long peakHeapMib) {
    public boolean passed() {
        return problem == null;
    }
}
