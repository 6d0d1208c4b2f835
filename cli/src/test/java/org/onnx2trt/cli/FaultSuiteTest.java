package org.onnx2trt.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onnx2trt.cli.faults.FaultCase;
import org.onnx2trt.cli.faults.FaultCases;
import org.onnx2trt.cli.faults.FaultRunner;
import org.onnx2trt.cli.faults.FaultVerdict;

/**
 * The fast subset of the fault suite ({@code ./onnx2trt bench faults} runs all of it): every family of
 * bad input, each answered with exit 2 and one clear line, no stack trace, no hang, nothing written and
 * every input byte-identical afterwards.
 */
class FaultSuiteTest {
    @TempDir
    static Path scratch;

    static Stream<FaultCase> cases() {
        return FaultCases.fast().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isAnsweredAsBadInput(FaultCase c) {
        FaultVerdict v = FaultRunner.run(c, scratch);
        assertTrue(v.passed(), c + ": " + v.problem());
    }
}
