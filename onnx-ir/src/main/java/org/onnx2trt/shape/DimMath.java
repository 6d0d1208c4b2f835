package org.onnx2trt.shape;

import java.util.ArrayList;
import java.util.List;
import org.onnx2trt.ir.Types.Dim;

/** Arithmetic on dims that may be numbers, symbols or unknown. */
final class DimMath {
    private DimMath() {}

    /** numpy broadcasting of two dims; null when they cannot broadcast. */
    static Dim broadcast(Dim a, Dim b) {
        if (isOne(a)) {
            return b;
        }
        if (isOne(b)) {
            return a;
        }
        if (a.isKnown() && b.isKnown()) {
            return a.value().equals(b.value()) ? a : null;
        }
        if (a.isKnown()) {
            return a; // a symbol that meets a number other than 1 must be that number
        }
        if (b.isKnown()) {
            return b;
        }
        return a.symbol() != null && a.symbol().equals(b.symbol()) ? a : Dim.UNKNOWN;
    }

    /** numpy broadcasting of shapes (null: unknown rank); throws when known dims cannot broadcast. */
    static List<Dim> broadcast(List<List<Dim>> shapes) {
        int rank = 0;
        for (List<Dim> s : shapes) {
            if (s == null) {
                return null;
            }
            rank = Math.max(rank, s.size());
        }
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            Dim d = Dim.of(1);
            for (List<Dim> s : shapes) {
                int j = i - (rank - s.size());
                if (j >= 0) {
                    Dim next = broadcast(d, s.get(j));
                    if (next == null) {
                        throw new InferenceException("dims " + d + " and " + s.get(j) + " do not broadcast");
                    }
                    d = next;
                }
            }
            out.add(d);
        }
        return out;
    }

    static boolean isOne(Dim d) {
        return d.isKnown() && d.value() == 1;
    }

    static Dim plus(Dim a, long b) {
        if (b == 0) {
            return a;
        }
        return a.isKnown() ? Dim.of(a.value() + b) : Dim.UNKNOWN;
    }

    static Dim plus(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return Dim.of(a.value() + b.value());
        }
        if (a.isKnown() && a.value() == 0) {
            return b;
        }
        return b.isKnown() && b.value() == 0 ? a : Dim.UNKNOWN;
    }

    static Dim times(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return Dim.of(a.value() * b.value());
        }
        if (isOne(a)) {
            return b;
        }
        return isOne(b) ? a : Dim.UNKNOWN;
    }

    /** The product of dims; a lone symbol times ones stays that symbol. */
    static Dim product(List<Dim> dims) {
        Dim p = Dim.of(1);
        for (Dim d : dims) {
            p = times(p, d);
        }
        return p;
    }

    /** An axis in [-rank, rank) made non-negative. */
    static int axis(long axis, int rank, String what) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new InferenceException(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    static List<Dim> known(long... dims) {
        List<Dim> out = new ArrayList<>(dims.length);
        for (long d : dims) {
            out.add(Dim.of(d));
        }
        return out;
    }
}
