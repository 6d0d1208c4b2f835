package org.onnx2trt.verify.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random decisions that build one instance, recorded so the instance can be replayed and
 * shrunk (the Hypothesis approach): every decision is a draw in {@code [0, bound)} where 0 is the
 * simplest choice, so shrinking is editing the recorded draws towards 0 and replaying them.
 */
final class Choices {
    private final SplittableRandom random;
    private final int[] replay;
    private final List<Integer> drawn = new ArrayList<>();

    private Choices(SplittableRandom random, int[] replay) {
        this.random = random;
        this.replay = replay;
    }

    /**
     * Fresh draws from a seed. SplittableRandom mixes its seed, so consecutive seeds give unrelated
     * instances (java.util.Random's first small draws from seeds 200000, 200001, ... all agree).
     */
    static Choices fresh(long seed) {
        return new Choices(new SplittableRandom(seed), null);
    }

    /** The draws of an earlier instance, possibly edited: past the end every draw is 0. */
    static Choices replay(int[] draws) {
        return new Choices(null, draws.clone());
    }

    /** A draw in {@code [0, bound)}. */
    int draw(int bound) {
        if (bound <= 1) {
            drawn.add(0);
            return 0;
        }
        int i = drawn.size();
        int v = replay == null ? random.nextInt(bound) : i < replay.length ? Math.min(Math.max(replay[i], 0), bound - 1) : 0;
        drawn.add(v);
        return v;
    }

    /** One of {@code options}; the first is the simplest. */
    @SafeVarargs
    final <T> T pick(T... options) {
        return options[draw(options.length)];
    }

    /** True with about {@code percent}% probability; a draw of 0 gives false. */
    boolean rarely(int percent) {
        return draw(100) >= 100 - percent;
    }

    /** A size in {@code [lo, hi]}, smallest first. */
    int size(int lo, int hi) {
        return lo + draw(hi - lo + 1);
    }

    /** The draws made so far. */
    int[] recorded() {
        return drawn.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return Arrays.toString(recorded());
    }
}
