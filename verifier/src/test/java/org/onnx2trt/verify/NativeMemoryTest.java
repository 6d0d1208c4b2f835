package org.onnx2trt.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.onnx2trt.ir.Model;
import org.onnx2trt.tensor.Tensor;

/**
 * Sessions and tensors are closed: thousands of sessions and runs do not grow the process's
 * resident memory (onnxruntime's memory is native, so the Java heap would not show a leak).
 * Reads {@code /proc/self/status}, so it runs on Linux (CI) only.
 */
class NativeMemoryTest {
    @Test
    void thousandsOfSessionsAndRunsDoNotGrowResidentMemory() throws IOException {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "needs Linux's /proc");
        Model m = EquivalenceTest.scaled(1);
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats("x", new long[] {64, 3}, new float[192]));
        cycles(m, in, 300); // warm up: allocator arenas, JIT, class loading
        System.gc();
        long before = rssKib(status);
        cycles(m, in, 1500);
        System.gc();
        long grown = rssKib(status) - before;
        System.out.println("[native memory] 1,500 sessions × 4 runs: resident memory grew " + grown + " KiB");
        assertTrue(grown < 48 * 1024, "resident memory grew by " + grown + " KiB over 1,500 sessions and 6,000 runs");
    }

    private static void cycles(Model m, Map<String, Tensor> in, int n) {
        for (int i = 0; i < n; i++) {
            try (ModelRunner r = ModelRunner.open(m)) {
                for (int k = 0; k < 4; k++) {
                    r.run(in);
                }
            }
        }
    }

    private static long rssKib(Path status) throws IOException {
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }
}
