package org.onnx2trt.verify.property;

import org.onnx2trt.ir.Value;

/**
 * One input position of a node being generated: a value already made (the output of a pattern node
 * below, or a variable bound earlier), or a free leaf the op's generator creates.
 *
 * @param variable the pattern variable the position binds, or null for {@code _}
 * @param optional the pattern allows the input to be absent ({@code b?})
 * @param known the value already there, or null for a free leaf
 */
record Slot(String variable, boolean optional, Value known) {
    boolean isFree() {
        return known == null;
    }
}
