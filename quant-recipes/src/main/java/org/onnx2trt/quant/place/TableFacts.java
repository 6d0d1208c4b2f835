package org.onnx2trt.quant.place;

import org.onnx2trt.quant.calib.CalibrationTable;
import org.onnx2trt.rewrite.RuleFacts;

/** A calibration table as the rules read it: {@code hasCalib(x)}, {@code calib(x).amax}. */
final class TableFacts {
    private TableFacts() {}

    static RuleFacts of(CalibrationTable table) {
        return new RuleFacts() {
            @Override
            public Range calibration(String value) {
                return table.range(value).map(r -> new Range(r.amax(), r.min(), r.max(), r.channelMean())).orElse(null);
            }
        };
    }
}
