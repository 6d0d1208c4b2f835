package org.onnx2trt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The heap's peak over a stretch of work: {@link #reset()} collects garbage and starts the count at
 * what is live; {@link #peak()} is the most the heap pools held since (bytes, all pools summed).
 */
public final class HeapPeak {
    private HeapPeak() {}

    /** Collects garbage, resets every heap pool's peak; the bytes in use after the collection. */
    public static long reset() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    /** The heap pools' peaks since the last {@link #reset()}, summed. */
    public static long peak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
