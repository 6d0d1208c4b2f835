#!/usr/bin/env python3
"""Reference thresholds for ThresholdReferenceTest, computed with numpy only (no scipy, no torch).

Run: python3 reference.py   (numpy >= 1.20; the pinned numbers came from numpy 2.4.6)

Histograms are of |x| over [0, RANGE] with 2048 bins, built from a counts formula that the Java test
implements the same way (floor(x + 0.5) rounding), so both sides see identical counts; the checksums
printed first are pinned in the test to prove it.

The entropy search is NVIDIA's version of TensorRT's KL method: _compute_amax_entropy in TensorRT's
tools/pytorch-quantization/pytorch_quantization/calib/histogram.py, with scipy's entropy written out:
  * bins = hist with bins[0] replaced by bins[1] (a ReLU output's zero spike would otherwise dominate);
  * candidates i = levels .. len(bins) (start_bin 128 = nbins for int8, stride 1);
  * bin j < i belongs to group digitize(j, linspace(0, i, levels + 1)) - 1 = floor(j * levels / i),
    empty bins to none; q_j = the group's sum / its non-empty bins for a non-empty bin, 0 for an empty one;
  * p = bins[:i] with sum(bins[i:]) added to p[-1];
  * KL = scipy.stats.entropy(p, q): both normalized, sum p*ln(p/q) over p > 0, inf where q = 0 < p;
  * the last of equal minima wins (NVIDIA reverses before argmin); amax = i * width, clamped to the
    largest |x| (here: the upper edge of the last non-empty bin), as the Java Choice does.
One deliberate difference: a window [0, i) with no counts makes scipy return NaN, which numpy's argmin
would pick; here it counts as +inf (NVIDIA's pick is printed alongside where the two differ).

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


def relu(spike=1_000_000):
    # a ReLU output: exact zeros in bin 0 over a half Gaussian of half the height; spike=None puts
    # half of all values there, as a ReLU of zero-mean data does
    c = counts(lambda i: 0.5e6 * np.exp(-0.5 * (i / 300.0) ** 2))
    c[0] = c[1:].sum() if spike is None else spike
    return c


def largest(hist, width=WIDTH):
    return (np.nonzero(hist)[0][-1] + 1) * width


def kl(p, q):
    """scipy.stats.entropy(p, q): both normalized to sum 1, then sum of p*ln(p/q) over p > 0; inf where
    q = 0 < p; NaN when q sums to 0 (scipy divides 0 by 0)."""
    if q.sum() == 0:
        return float("nan")
    p = p / p.sum()
    q = q / q.sum()
    on = p > 0
    if (q[on] == 0).any():
        return float("inf")
    return float(np.sum(p[on] * np.log(p[on] / q[on])))


def entropy_divergences(hist, levels=128, replace_zero_bin=True):
    """NVIDIA's _compute_amax_entropy (pytorch_quantization/calib/histogram.py), candidate by candidate;
    replace_zero_bin=False only to show what the replacement changes."""
    bins = hist.astype(np.int64).copy()
    if replace_zero_bin and bins.size > 1:
        bins[0] = bins[1]  # the zero spike (ReLU outputs) gets its neighbour's count
    divs = []
    for i in range(levels, bins.size + 1):
        group = np.digitize(np.arange(i), np.linspace(0, i, levels + 1)) - 1
        # exact for a power-of-two levels: linspace's edges k*i/levels are then exact in float
        assert (group == np.arange(i) * levels // i).all()
        group[bins[:i] == 0] = -1  # empty bins belong to no group
        kept = group >= 0
        g = group[kept]
        group_sum = np.bincount(g, weights=bins[:i][kept], minlength=levels)
        group_nonempty = np.bincount(g, minlength=levels)
        q = np.zeros(i, dtype=np.float64)
        q[kept] = group_sum[g] / group_nonempty[g]
        p = bins[:i].copy()
        p[-1] += bins[i:].sum()
        divs.append(kl(p.astype(np.float64), q))
    return np.array(divs)


def last_argmin(divs):
    # NVIDIA takes the last of equal minima; NaN (no counts in the window) is read as +inf here,
    # where numpy's argmin would pick it
    divs = np.where(np.isnan(divs), np.inf, divs)
    return len(divs) - 1 - int(np.argmin(divs[::-1]))


def entropy_threshold(hist, levels=128, width=WIDTH, replace_zero_bin=True):
    """(i, amax, its divergence, the runner-up's divergence, NVIDIA's own i: NaN windows picked)."""
    divs = entropy_divergences(hist, levels, replace_zero_bin)
    best = last_argmin(divs)
    i = best + levels
    finite = np.where(np.isnan(divs), np.inf, divs)
    runner_up = np.min(np.delete(finite, best)) if finite.size > 1 else np.inf
    nvidia_i = len(divs) - 1 - int(np.argmin(divs[::-1])) + levels
    return i, min(i * width, largest(hist, width)), divs[best], runner_up, nvidia_i


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
    for name, hist in [("laplace", laplace()), ("halfGauss", half_gauss()), ("heavyTail", heavy_tail()),
                       ("relu", relu()), ("reluHalfZeros", relu(spike=None))]:
        idx = np.arange(BINS, dtype=np.int64)
        print(f"{name}: total={hist.sum()} weighted={(hist * idx).sum()} nonzeroBins={np.count_nonzero(hist)}")
        i, amax, d, d2, nvidia_i = entropy_threshold(hist)
        clipped = hist[i:].sum() / hist.sum()
        print(f"  entropy: i={i} amax={amax!r} kl={d!r} runnerUpKl={d2!r} clipped={clipped!r} "
              f"nvidiaSame={i == nvidia_i}")
        i0, amax0, _, _, _ = entropy_threshold(hist, replace_zero_bin=False)
        print(f"  entropy without the zero-bin replacement: i={i0} amax={amax0!r} "
              f"clipped={hist[i0:].sum() / hist.sum()!r}")
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
    for hand in ([8, 8, 1, 3], [8, 8, 0, 1], [50, 8, 8, 8], [50, 8, 1, 3], [0, 0, 0, 5], [7, 0, 0, 0]):
        h = np.array(hand, dtype=np.int64)
        i, amax, _, _, nvidia_i = entropy_threshold(h, levels=2, width=1.0)
        print(f"entropy levels=2 {hand}: divergences={entropy_divergences(h, levels=2).tolist()} "
              f"amax={amax!r} clipped={h[i:].sum() / h.sum()!r} nvidia i={nvidia_i}")
    h = np.array([50, 8, 8, 8], dtype=np.int64)
    print(f"entropy levels=2 [50, 8, 8, 8] without the zero-bin replacement: "
          f"divergences={entropy_divergences(h, levels=2, replace_zero_bin=False).tolist()}")
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
