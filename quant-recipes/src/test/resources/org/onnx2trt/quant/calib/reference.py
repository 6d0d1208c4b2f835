#!/usr/bin/env python3
"""Reference thresholds for ThresholdReferenceTest, computed with numpy only (no scipy, no torch).

Run: python3 reference.py   (numpy >= 1.20; the pinned numbers came from numpy 2.4)

Histograms are of |x| over [0, RANGE] with 2048 bins, built from a counts formula that the Java test
implements the same way (floor(x + 0.5) rounding), so both sides see identical counts; the checksums
printed first are pinned in the test to prove it.

The entropy search is onnxruntime's HistogramCalibrater.get_entropy_threshold
(onnxruntime/python/tools/quantization/calibrate.py) carried over from its signed histogram, whose
window grows by one bin on each side of zero, to an |x| histogram, whose window [0, i) grows by one
bin on the right; everything else is as onnxruntime does it:
  * p = hist[:i], with the count of hist[i:] added to p[i-1];
  * q merges the *raw* hist[:i] (outliers not added) into `levels` groups of i // levels bins, the
    i % levels leftover bins added to the last group;
  * q is expanded over each group's bins [k*m, k*m+m), every bin of the group (zero or not) getting
    the group sum divided by the number of non-zero p bins in it, truncated to an integer (onnxruntime
    stores q as int64); the leftover bins past levels*m get 0;
  * both are smoothed (smooth_distribution, eps 1e-4, on raw counts) and KL(p||q) is scipy's entropy:
    each normalized to sum 1, sum p*log(p/q);
  * the first i with the smallest divergence wins; amax = i * width, clamped to the largest |x|
    (here: the upper edge of the last non-empty bin).
onnxruntime smooths in float32; this script does it in float64, as the Java code does. It also runs
the float32 variant and says whether the chosen bin is the same.

percentile: the upper edge of the first bin whose cumulative count reaches ceil(p/100 * total)
(onnxruntime's lower edge printed alongside). mse: bin centres, symmetric int8 with rint, candidates
k * width for k = 128 .. 2048, the largest k whose error is within 1e-9 (relative) of the least.
"""
import numpy as np

BINS = 2048
RANGE = 8.0
WIDTH = RANGE / BINS


def counts(formula):
    i = np.arange(BINS, dtype=np.float64)
    return np.floor(formula(i) + 0.5).astype(np.int64)


def laplace():
    return counts(lambda i: 1e6 * np.exp(-i / 150.0))


def half_gauss():
    return counts(lambda i: 1e6 * np.exp(-0.5 * (i / 300.0) ** 2))


def heavy_tail():
    c = counts(lambda i: 1e6 * np.exp(-i / 100.0))
    c[1900] += 2
    c[2047] += 3
    return c


def largest(hist, width=WIDTH):
    return (np.nonzero(hist)[0][-1] + 1) * width


def smooth(p, eps=0.0001, dtype=np.float64):
    is_zeros = (p == 0).astype(dtype)
    is_nonzeros = (p != 0).astype(dtype)
    n_zeros = is_zeros.sum()
    n_nonzeros = p.size - n_zeros
    if not n_nonzeros:
        return None
    eps1 = eps * float(n_zeros) / float(n_nonzeros)
    assert eps1 < 1.0
    out = p.astype(dtype) + eps * is_zeros + (-eps1) * is_nonzeros
    assert (out <= 0).sum() == 0
    return out


def kl(p, q):
    p = p / p.sum()
    q = q / q.sum()
    return float(np.sum(p * np.log(p / q)))


def entropy_divergences(hist, levels=128, dtype=np.float64):
    divs = []
    for i in range(levels, hist.size + 1):
        sliced = hist[:i].copy()
        p = sliced.copy()
        p[-1] += hist[i:].sum()
        nonzeros = (p != 0).astype(np.int64)
        m = i // levels
        quantized = np.array([sliced[k * m:k * m + m].sum() for k in range(levels)], dtype=np.int64)
        quantized[-1] += sliced[levels * m:].sum()
        q = np.zeros(i, dtype=np.int64)
        for k in range(levels):
            norm = nonzeros[k * m:k * m + m].sum()
            if norm != 0:
                q[k * m:k * m + m] = quantized[k] / norm
        ps, qs = smooth(p, dtype=dtype), smooth(q, dtype=dtype)
        divs.append(np.inf if ps is None or qs is None else kl(ps, qs))
    return np.array(divs)


def entropy_threshold(hist, levels=128, dtype=np.float64, width=WIDTH):
    divs = entropy_divergences(hist, levels, dtype)
    best = int(np.argmin(divs))
    i = best + levels
    runner_up = np.min(np.delete(divs, best))
    return i, min(i * width, largest(hist, width)), divs[best], runner_up


def percentile(hist, pct):
    # upper edge of the first bin where the cumulative count reaches pct% (onnxruntime: lower edge)
    cum = np.cumsum(hist)
    need = np.ceil(cum[-1] * pct / 100.0)
    k = int(np.searchsorted(cum, need))
    return k, min((k + 1) * WIDTH, largest(hist)), k * WIDTH


def mse(hist, start_bin=128, width=WIDTH):
    centres = (np.arange(hist.size) + 0.5) * width
    errs = {}
    for k in range(start_bin, hist.size + 1):
        amax = k * width
        scale = amax / 127.0
        q = np.clip(np.rint(centres / scale), -127, 127) * scale
        errs[k] = float(np.sum(hist * (centres - q) ** 2))
    least = min(errs.values())
    # the largest threshold whose error ties the least (relative 1e-9): a tie does not clip
    best_k = max(k for k, e in errs.items() if e <= least * (1 + 1e-9))
    return best_k, min(best_k * width, largest(hist, width))


def main():
    for name, hist in [("laplace", laplace()), ("halfGauss", half_gauss()), ("heavyTail", heavy_tail())]:
        idx = np.arange(BINS, dtype=np.int64)
        print(f"{name}: total={hist.sum()} weighted={(hist * idx).sum()} nonzeroBins={np.count_nonzero(hist)}")
        i, amax, d, d2 = entropy_threshold(hist)
        i32, amax32, _, _ = entropy_threshold(hist, dtype=np.float32)
        clipped = hist[i:].sum() / hist.sum()
        print(f"  entropy: i={i} amax={amax!r} kl={d!r} runnerUpKl={d2!r} clipped={clipped!r} "
              f"float32 i={i32} same={i == i32}")
        for pct in (99.0, 99.9, 99.99):
            k, amax, ort = percentile(hist, pct)
            print(f"  percentile {pct}: bin={k} amax={amax!r} clipped={hist[k + 1:].sum() / hist.sum()!r} "
                  f"onnxruntimeLowerEdge={ort!r}")
        k, amax = mse(hist)
        print(f"  mse: k={k} amax={amax!r} clipped={hist[k:].sum() / hist.sum()!r}")
    uniform = np.full(BINS, 1000, dtype=np.int64)
    k, amax = mse(uniform)
    print(f"uniform mse: k={k} amax={amax!r} (analytic optimum for a continuous uniform: 2048*254/255)")

    # The small hand-derived cases of EntropyThresholdTest and MseThresholdTest, checked here too (width 1).
    for hand in ([8, 8, 0, 1], [1, 1, 1, 1], [4, 4, 0, 0]):
        h = np.array(hand, dtype=np.int64)
        print(f"entropy levels=2 {hand}: divergences={entropy_divergences(h, levels=2).tolist()} "
              f"amax={entropy_threshold(h, levels=2, width=1.0)[1]!r}")
    for bulk in (1_000_000, 100_000):
        h = np.zeros(16, dtype=np.int64)
        h[1], h[15] = bulk, 1
        print(f"mse start=1 bin1={bulk} bin15=1: amax={mse(h, start_bin=1, width=1.0)[1]!r}")
    h = np.zeros(16, dtype=np.int64)
    h[0], h[15] = 1000, 1
    print(f"mse start=1 bin0=1000 bin15=1: amax={mse(h, start_bin=1, width=1.0)[1]!r}")
    h = np.zeros(BINS, dtype=np.int64)
    h[-1] = 1000
    print(f"mse one repeated value (all in the last bin): k={mse(h)[0]}")


if __name__ == "__main__":
    main()
