"""Quantization-aware-trained (QAT) models as pytorch-quantization and NVIDIA's Model Optimizer export
them, for the QAT import and QDQ flow optimization tests (issue 14). Made once with Debian's
python3-torch (1.13) and numpy:

    /usr/bin/python3 testdata/qat/generate.py

Both tools fake-quantize with torch.fake_quantize_per_tensor_affine (activations: scale = amax / 127,
amax calibrated once and then fixed) and torch.fake_quantize_per_channel_affine (weights: scale[c] =
max|W[c]| / 127, axis 0), which the exporter writes as QuantizeLinear -> DequantizeLinear with int8
zero points: the weights stay float initializers behind their own Q -> DQ. The models are exported in
eval mode with TrainingMode.PRESERVE, so BatchNormalization stays unfused after each QDQ'd Conv, as it
does in the exports of both tools. The task and data are those of ../quant (oriented sine gratings).

- qat_resnet_tiny.onnx  pytorch-quantization's layout: every Conv and the Linear quantize their input
                        and weight; a residual block whose identity branch has a quantizer of its own
                        (as its ResNet example does); Conv-BN-ReLU x4, MaxPool, GlobalAveragePool, Linear
- qat_branchy.onnx      Model Optimizer-style placements the flow optimization has to tidy: one input
                        quantizer read by two Convs (a shared QDQ pair), a Concat whose inputs carry
                        different scales, and the head's quantizer before a Flatten (a DequantizeLinear
                        in front of a data-movement op)
- qat_se_gate.onnx      "quantize every activation" placements in front of ops TensorRT runs in float: a
                        squeeze-excitation gate whose Sigmoid reads a QDQ pair, and a LogSoftmax output
                        that does too (the align_qdq stage's float_ops test); output `log_probs`

Input `input` with a dynamic batch, output `logits` (`log_probs` for qat_se_gate), opset 13. The script prints the float and QAT
top-1 (torch) on ../quant/eval.npz's generator; the Java tests compare the ONNX files in onnxruntime.
"""
import importlib.util
import os

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("quantdata", os.path.join(HERE, "..", "quant", "generate.py"))
quantdata = importlib.util.module_from_spec(spec)
spec.loader.exec_module(quantdata)
torch.manual_seed(1)


class ActQuant(nn.Module):
    """Per-tensor int8 fake quantization with a calibrated amax (max |x| over the calibration batch)."""

    def __init__(self):
        super().__init__()
        self.amax = None
        self.calibrating = False

    def forward(self, x):
        if self.calibrating:
            m = float(x.detach().abs().max())
            self.amax = m if self.amax is None else max(self.amax, m)
            return x
        if self.amax is None:
            return x
        return torch.fake_quantize_per_tensor_affine(x, max(self.amax, 1e-8) / 127.0, 0, -128, 127)


def quant_weight(w):
    """Per output channel int8 fake quantization, scale[c] = max|W[c]| / 127."""
    amax = w.detach().abs().reshape(w.shape[0], -1).amax(dim=1).clamp(min=1e-8)
    scale = amax / 127.0
    return torch.fake_quantize_per_channel_affine(w, scale, torch.zeros(w.shape[0], dtype=torch.int32), 0, -128, 127)


class QConv(nn.Conv2d):
    """A Conv whose weight is fake-quantized per channel; its input quantizer is optional (None where
    the caller quantizes a tensor once for several convs)."""

    def __init__(self, cin, cout, k, input_quant=True, **kw):
        super().__init__(cin, cout, k, padding=k // 2, bias=False, **kw)
        self.input_quant = ActQuant() if input_quant else None
        self.quant = False

    def forward(self, x):
        if self.input_quant is not None:
            x = self.input_quant(x)
        w = quant_weight(self.weight) if self.quant else self.weight
        return self._conv_forward(x, w, None)


class QLinear(nn.Linear):
    def __init__(self, cin, cout):
        super().__init__(cin, cout)
        self.input_quant = ActQuant()
        self.quant = False

    def forward(self, x):
        w = quant_weight(self.weight) if self.quant else self.weight
        return nn.functional.linear(self.input_quant(x), w, self.bias)


class ResNetTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(QConv(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU())
        self.conv1 = nn.Sequential(QConv(16, 16, 3), nn.BatchNorm2d(16), nn.ReLU())
        self.conv2 = nn.Sequential(QConv(16, 16, 3), nn.BatchNorm2d(16))
        self.residual_quant = ActQuant()
        self.pool = nn.MaxPool2d(2)
        self.conv3 = nn.Sequential(QConv(16, 32, 3), nn.BatchNorm2d(32), nn.ReLU())
        self.fc = QLinear(32, 10)

    def forward(self, x):
        x = self.stem(x)
        y = self.conv2(self.conv1(x))
        x = torch.relu(y + self.residual_quant(x))
        x = self.conv3(self.pool(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(QConv(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU())
        self.shared_quant = ActQuant()
        self.branch_a = nn.Sequential(QConv(16, 16, 1, input_quant=False), nn.BatchNorm2d(16), nn.ReLU())
        self.branch_b = nn.Sequential(QConv(16, 16, 3, input_quant=False), nn.BatchNorm2d(16), nn.ReLU())
        self.cat_quant_a = ActQuant()
        self.cat_quant_b = ActQuant()
        self.conv = nn.Sequential(QConv(32, 32, 3), nn.BatchNorm2d(32), nn.ReLU())
        self.head_quant = ActQuant()
        self.fc = nn.Linear(32, 10)
        self.fc_quant = False

    def forward(self, x):
        x = self.stem(x)
        x = self.shared_quant(x)
        x = torch.cat([self.cat_quant_a(self.branch_a(x)), self.cat_quant_b(self.branch_b(x))], 1)
        x = nn.functional.adaptive_avg_pool2d(self.conv(x), 1)
        x = torch.flatten(self.head_quant(x), 1)
        w = quant_weight(self.fc.weight) if self.fc_quant else self.fc.weight
        return nn.functional.linear(x, w, self.fc.bias)


class SeGate(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(QConv(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU())
        self.squeeze = QConv(16, 4, 1)
        self.excite = QConv(4, 16, 1)
        self.gate_quant = ActQuant()
        self.conv = nn.Sequential(QConv(16, 32, 3), nn.BatchNorm2d(32), nn.ReLU())
        self.fc = QLinear(32, 10)
        self.logit_quant = ActQuant()

    def forward(self, x):
        x = self.stem(x)
        g = self.excite(torch.relu(self.squeeze(nn.functional.adaptive_avg_pool2d(x, 1))))
        x = x * torch.sigmoid(self.gate_quant(g))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(self.conv(x), 1), 1)
        return torch.log_softmax(self.logit_quant(self.fc(x)), 1)


def set_quant(model, on):
    for m in model.modules():
        if isinstance(m, (QConv, QLinear)):
            m.quant = on
    if isinstance(model, Branchy):
        model.fc_quant = on


def calibrate(model, images):
    quants = [m for m in model.modules() if isinstance(m, ActQuant)]
    for q in quants:
        q.calibrating = True
    model.eval()
    with torch.no_grad():
        model(torch.from_numpy(images))
    for q in quants:
        q.calibrating = False


def qat(model, train_x, train_y, calib_x):
    quantdata.train(model, train_x, train_y, epochs=8)
    calibrate(model, calib_x)
    set_quant(model, True)
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    x, y = torch.from_numpy(train_x), torch.from_numpy(train_y)
    for _ in range(2):
        model.train()
        perm = torch.randperm(len(x))
        for b in range(0, len(x), 128):
            idx = perm[b:b + 128]
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    model.eval()
    return model


def export(model, name, output="logits"):
    torch.onnx.export(model, torch.zeros(1, 1, 16, 16), os.path.join(HERE, name), opset_version=13,
                      input_names=["input"], output_names=[output], training=torch.onnx.TrainingMode.PRESERVE,
                      dynamic_axes={"input": {0: "batch"}, output: {0: "batch"}})


if __name__ == "__main__":
    train_x, train_y = quantdata.make_set(6000)
    eval_x, eval_y = quantdata.make_set(500)
    calib_x, _ = quantdata.make_set(128)
    for cls, name, output in [(ResNetTiny, "qat_resnet_tiny.onnx", "logits"), (Branchy, "qat_branchy.onnx", "logits"),
                              (SeGate, "qat_se_gate.onnx", "log_probs")]:
        model = qat(cls(), train_x, train_y, calib_x)
        print("%s: QAT top-1 %.3f" % (name, quantdata.accuracy(model, eval_x, eval_y)))
        export(model, name, output)
