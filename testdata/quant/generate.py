"""Trained classifiers and data for the INT8 accuracy tests (issue 13), made once with Debian's
python3-torch (1.13) and numpy:

    /usr/bin/python3 testdata/quant/generate.py

The task: 10 classes of 1x16x16 gray images, each an oriented sine grating (class k: orientation
k*18 degrees, frequency 1.5 + (k % 3) * 0.5 cycles per image) with a random phase, contrast and
Gaussian noise, so a small CNN learns it to ~85-90%, not perfectly. Files written here:

- plain_cnn.onnx       Conv-BN-ReLU x3 (16, 32, 32 channels), MaxPool, GlobalAveragePool, Linear
- separable_cnn.onnx   a stem conv, then depthwise 3x3 + pointwise 1x1 blocks (MobileNet-style)
- wide_ranges_cnn.onnx plain_cnn with its conv channels rescaled by factors from 1/64 to 64 (the next
                       layer divides them back: ReLU is positively homogeneous, so the function is
                       the same): per-tensor weight scales lose the small channels
- calib.npz            input [128, 1, 16, 16] float32 (calibration set, no labels)
- eval.npz             input [500, 1, 16, 16] float32 and labels [500] int64 (held out)

All exported with opset 13, BatchNormalization in eval mode (folded by the exporter), input `input`
with a dynamic batch, output `logits`.
"""
import math
import os

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
rng = np.random.default_rng(0)


def make_set(n):
    labels = rng.integers(0, 10, n)
    y, x = np.mgrid[0:16, 0:16] / 16.0
    images = np.empty((n, 1, 16, 16), np.float32)
    for i, k in enumerate(labels):
        angle = math.radians(k * 18)
        freq = 1.5 + (k % 3) * 0.5
        phase = rng.uniform(0, 2 * math.pi)
        contrast = rng.uniform(0.3, 1.2)
        wave = np.sin(2 * math.pi * freq * (x * math.cos(angle) + y * math.sin(angle)) + phase)
        images[i, 0] = contrast * wave + rng.normal(0, 1.6, (16, 16))
    return images, labels.astype(np.int64)


def conv_bn(cin, cout, k=3, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(*conv_bn(1, 16), *conv_bn(16, 32), nn.MaxPool2d(2), *conv_bn(32, 32),
                                      nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


class Separable(nn.Module):
    def __init__(self):
        super().__init__()
        layers = conv_bn(1, 16)
        for cin, cout, stride in [(16, 32, 1), (32, 32, 2), (32, 64, 1)]:
            layers += conv_bn(cin, cin, 3, stride, groups=cin) + conv_bn(cin, cout, 1)
        self.features = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


def train(model, images, labels, epochs=12):
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    x = torch.from_numpy(images)
    y = torch.from_numpy(labels)
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(len(x))
        for b in range(0, len(x), 128):
            idx = perm[b:b + 128]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    model.eval()
    return model


def accuracy(model, images, labels):
    with torch.no_grad():
        return (model(torch.from_numpy(images)).argmax(1).numpy() == labels).mean()


def widen_ranges(model):
    """Rescale each conv's output channels by s_c (its BN's gamma and beta, as the exporter folds them)
    and the next conv's matching input channels by 1/s_c: the function is unchanged (ReLU(s·z) = s·ReLU(z)
    for s > 0, and MaxPool commutes with a positive per-channel scale)."""
    g = torch.Generator().manual_seed(7)
    mods = list(model.features)
    convs = [i for i, m in enumerate(mods) if isinstance(m, nn.Conv2d)]
    for a, b in zip(convs, convs[1:]):
        bn = mods[a + 1]
        c = bn.num_features
        s = torch.exp2(torch.empty(c).uniform_(-6, 6, generator=g))
        with torch.no_grad():
            bn.weight.mul_(s)
            bn.bias.mul_(s)
            mods[b].weight.div_(s.view(1, -1, 1, 1))
    return model


def export(model, name):
    torch.onnx.export(model, torch.zeros(1, 1, 16, 16), os.path.join(HERE, name), opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


if __name__ == "__main__":
    train_x, train_y = make_set(6000)
    eval_x, eval_y = make_set(500)
    calib_x, _ = make_set(128)
    plain = train(Plain(), train_x, train_y)
    separable = train(Separable(), train_x, train_y)
    print("float top-1: plain %.3f, separable %.3f" % (accuracy(plain, eval_x, eval_y), accuracy(separable, eval_x, eval_y)))
    export(plain, "plain_cnn.onnx")
    export(separable, "separable_cnn.onnx")
    wide = widen_ranges(plain)
    print("float top-1: wide ranges %.3f" % accuracy(wide, eval_x, eval_y))
    export(wide, "wide_ranges_cnn.onnx")
    np.savez(os.path.join(HERE, "calib.npz"), input=calib_x)
    np.savez(os.path.join(HERE, "eval.npz"), input=eval_x, labels=eval_y)
