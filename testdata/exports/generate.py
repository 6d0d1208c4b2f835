#!/usr/bin/env python3
"""Generate the onnx2trt test corpus of real PyTorch ONNX exports.

Run from the repository root with the Debian python (it has torch/onnx):

    /usr/bin/python3 testdata/exports/generate.py

Writes every *.onnx file plus expected.json next to this script.  The script is
deterministic: fixed torch / numpy seeds, CPU only, single-threaded.
"""
import io
import json
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.mobilenetv2 import MobileNetV2
from torchvision.models.resnet import BasicBlock

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
SEED = 20240601

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def seed_all(offset):
    torch.manual_seed(SEED + offset)
    np.random.seed(SEED + offset)


def randomize_batchnorm(model):
    """Give every BatchNorm non-trivial statistics and affine params, then eval()."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(c) * 0.5)
                m.running_var.copy_(torch.rand(c) * 1.5 + 0.25)  # strictly positive
                m.weight.copy_(torch.randn(c) * 0.5 + 1.0)
                m.bias.copy_(torch.randn(c) * 0.2)
    model.eval()
    return model


def export(model, args, name, opset, grad_enabled=False, **kw):
    model.eval()
    buf = io.BytesIO()
    with torch.set_grad_enabled(grad_enabled), warnings.catch_warnings():
        # PRESERVE on an eval-mode model is inference export; the constant
        # folding warning it triggers is only relevant to training mode.
        warnings.filterwarnings("ignore", message=".*constant folding.*")
        torch.onnx.export(model, args, buf, opset_version=opset, **kw)
    proto = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(proto)
    path = os.path.join(OUT_DIR, name)
    onnx.save(proto, path)
    # Re-load from disk and check again (what the Java reader will see).
    onnx.checker.check_model(onnx.load(path))
    print(f"wrote {name}: {os.path.getsize(path)} bytes")
    return path


# ---------------------------------------------------------------------------
# 1. convbn_opset11: Conv-BN-ReLU x3, residual Add, MaxPool, GAP, Flatten, Gemm
# ---------------------------------------------------------------------------
class ConvBNReLU(nn.Sequential):
    def __init__(self, cin, cout, k=3, s=1):
        super().__init__(
            nn.Conv2d(cin, cout, k, s, k // 2, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=False),
        )


class ConvBNNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ConvBNReLU(3, 16)
        self.b1 = ConvBNReLU(16, 16)
        self.b2 = ConvBNReLU(16, 16)
        self.pool = nn.MaxPool2d(2, 2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.stem(x)
        y = self.b2(self.b1(x))
        x = x + y                      # residual Add
        x = self.pool(x)               # MaxPool
        x = self.gap(x)                # GlobalAveragePool
        x = torch.flatten(x, 1)        # Flatten
        return self.fc(x)              # Gemm


def make_convbn():
    seed_all(1)
    m = randomize_batchnorm(ConvBNNet())
    x = torch.randn(1, 3, 32, 32)
    # PRESERVE (model is in eval mode) keeps BatchNormalization nodes in the
    # graph instead of folding them into the Conv weights.
    export(m, (x,), "convbn_opset11.onnx", 11,
           input_names=["input"], output_names=["logits"],
           training=torch.onnx.TrainingMode.PRESERVE)


# ---------------------------------------------------------------------------
# 2. resnet_tiny_opset13_dynbatch: torchvision BasicBlocks, dynamic batch
# ---------------------------------------------------------------------------
class TinyResNet(nn.Module):
    def __init__(self, widths=(8, 16, 32), num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, widths[0], 3, 1, 1, bias=False),
            nn.BatchNorm2d(widths[0]), nn.ReLU(inplace=True))
        layers = []
        cin = widths[0]
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            down = None
            if stride != 1 or cin != w:
                down = nn.Sequential(nn.Conv2d(cin, w, 1, stride, bias=False),
                                     nn.BatchNorm2d(w))
            layers.append(BasicBlock(cin, w, stride, down))
            layers.append(BasicBlock(w, w))
            cin = w
        self.layers = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = self.layers(self.stem(x))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


def make_resnet_tiny():
    seed_all(2)
    m = randomize_batchnorm(TinyResNet())
    x = torch.randn(2, 3, 32, 32)
    # Default EVAL training mode: the exporter folds BN into Conv weights.
    export(m, (x,), "resnet_tiny_opset13_dynbatch.onnx", 13,
           input_names=["input"], output_names=["logits"],
           dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


# ---------------------------------------------------------------------------
# 3. mobilenet_opset17_initinputs: torchvision MobileNetV2, narrow, ReLU6->Clip
# ---------------------------------------------------------------------------
def make_mobilenet():
    seed_all(3)
    setting = [
        # t, c, n, s
        [1, 16, 1, 1],
        [6, 24, 2, 2],
        [6, 32, 2, 2],
        [6, 64, 1, 2],
    ]
    m = MobileNetV2(num_classes=10, width_mult=0.5,
                    inverted_residual_setting=setting)
    m = randomize_batchnorm(m)
    x = torch.randn(1, 3, 64, 64)
    export(m, (x,), "mobilenet_opset17_initinputs.onnx", 17,
           input_names=["input"], output_names=["logits"],
           keep_initializers_as_inputs=True,
           training=torch.onnx.TrainingMode.PRESERVE)


# ---------------------------------------------------------------------------
# 4. shapechain_opset12: x.shape / view / reshape / flatten with dynamic N,H,W
# ---------------------------------------------------------------------------
class ShapeChain(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 1, 1)
        self.conv2 = nn.Conv2d(8, 8, 3, 1, 1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        n, c, h, w = x.shape
        y = F.relu(self.conv1(x))                 # (n, 8, h, w)
        # view: split channels into 2 groups of 4 -> (n, 2, 4, h, w)
        y = y.view(n, 2, 4, h, w)
        y = y.transpose(1, 2).contiguous()        # channel shuffle
        y = y.reshape(n, -1, h, w)                # back to (n, 8, h, w)
        y = F.relu(self.conv2(y))
        # reshape to (n, 8, h*w), mean over spatial positions
        s = y.reshape(y.shape[0], y.shape[1], y.shape[2] * y.shape[3]).mean(dim=2)
        t = y.flatten(start_dim=1)                # (n, 8*h*w)
        t = t.view(n, 8, -1).amax(dim=2)          # (n, 8)
        return self.fc(s + t)


def make_shapechain():
    seed_all(4)
    m = ShapeChain()
    x = torch.randn(2, 3, 16, 20)
    export(m, (x,), "shapechain_opset12.onnx", 12,
           input_names=["input"], output_names=["output"],
           dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"},
                         "output": {0: "batch"}})


# ---------------------------------------------------------------------------
# 5. sigmoid_head_opset14: (x - mean) / std prologue, conv backbone, Sigmoid
# ---------------------------------------------------------------------------
class SigmoidHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.backbone = nn.Sequential(
            ConvBNReLU(3, 8, 3, 2),
            ConvBNReLU(8, 16, 3, 2),
            ConvBNReLU(16, 16, 3, 1),
        )
        self.head = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        x = (x - self.mean) / self.std
        return torch.sigmoid(self.head(self.backbone(x)))


def make_sigmoid_head():
    seed_all(5)
    m = randomize_batchnorm(SigmoidHead())
    x = torch.rand(1, 3, 64, 64)
    export(m, (x,), "sigmoid_head_opset14.onnx", 14,
           input_names=["image"], output_names=["prob"],
           training=torch.onnx.TrainingMode.PRESERVE)


# ---------------------------------------------------------------------------
# 6. transformer_tiny_opset14: nn.TransformerEncoderLayer, dynamic seq len
# ---------------------------------------------------------------------------
class TinyTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(
            d_model=32, nhead=2, dim_feedforward=64, dropout=0.0,
            batch_first=True)

    def forward(self, x):
        return self.layer(x)


def make_transformer():
    seed_all(6)
    m = TinyTransformer().eval()
    # Give the LayerNorms non-trivial affine params too.
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.LayerNorm):
                mod.weight.copy_(torch.randn_like(mod.weight) * 0.5 + 1.0)
                mod.bias.copy_(torch.randn_like(mod.bias) * 0.2)
    x = torch.randn(1, 7, 32)
    # Grad must be enabled (params require grad) so that eval-mode
    # TransformerEncoderLayer does not take the fused "fast path"
    # (aten::_transformer_encoder_layer_fwd has no ONNX symbolic in torch 1.13).
    export(m, (x,), "transformer_tiny_opset14.onnx", 14, grad_enabled=True,
           input_names=["tokens"], output_names=["hidden"],
           dynamic_axes={"tokens": {1: "seq"}, "hidden": {1: "seq"}})


# ---------------------------------------------------------------------------
# 7. paddle_style_constants: built by hand, every tensor is a Constant node
# ---------------------------------------------------------------------------
def make_paddle_style():
    seed_all(7)
    rng = np.random.RandomState(SEED + 7)
    nodes = []
    counter = [0]

    def const(name_hint, arr, raw):
        counter[0] += 1
        out = f"{name_hint}.const_{counter[0]}"
        arr = np.asarray(arr)
        if raw:
            t = numpy_helper.from_array(arr, name=out)  # raw_data
        else:
            dt = onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[arr.dtype]
            t = helper.make_tensor(out, dt, list(arr.shape), arr.flatten().tolist())
        nodes.append(helper.make_node("Constant", [], [out], name=f"Constant_{counter[0]}", value=t))
        return out

    def f32(*shape, scale=0.2):
        return (rng.randn(*shape) * scale).astype(np.float32)

    def conv_bn_relu(x, cin, cout, k, stride, idx):
        w = const(f"conv2d_{idx}.w_0", f32(cout, cin, k, k), raw=True)
        y = f"conv2d_{idx}.tmp_0"
        nodes.append(helper.make_node("Conv", [x, w], [y], name=f"p2o.Conv.{idx}",
                                      dilations=[1, 1], group=1, kernel_shape=[k, k],
                                      pads=[k // 2] * 4, strides=[stride, stride]))
        scale = const(f"batch_norm_{idx}.w_0", (rng.rand(cout) + 0.5).astype(np.float32), raw=False)
        bias = const(f"batch_norm_{idx}.b_0", f32(cout), raw=False)
        mean = const(f"batch_norm_{idx}.w_1", f32(cout, scale=0.5), raw=True)
        var = const(f"batch_norm_{idx}.w_2", (rng.rand(cout) + 0.25).astype(np.float32), raw=True)
        z = f"batch_norm_{idx}.tmp_2"
        nodes.append(helper.make_node("BatchNormalization", [y, scale, bias, mean, var], [z],
                                      name=f"p2o.BatchNormalization.{idx}",
                                      epsilon=1e-5, momentum=0.9))
        r = f"relu_{idx}.tmp_0"
        nodes.append(helper.make_node("Relu", [z], [r], name=f"p2o.Relu.{idx}"))
        return r

    x = "x"
    # Input scaling prologue: x * (1/255) + (-0.5), with scalar Constants.
    s = const("scale_0.tmp", np.array(1.0 / 255.0, dtype=np.float32), raw=False)
    nodes.append(helper.make_node("Mul", [x, s], ["scale_0.tmp_0"], name="p2o.Mul.0"))
    b = const("scale_0.tmp_b", np.array(-0.5, dtype=np.float32), raw=True)
    nodes.append(helper.make_node("Add", ["scale_0.tmp_0", b], ["scale_0.tmp_1"], name="p2o.Add.0"))

    h = conv_bn_relu("scale_0.tmp_1", 3, 8, 3, 2, 0)     # (1, 8, 16, 16)
    h = conv_bn_relu(h, 8, 16, 3, 2, 1)                  # (1, 16, 8, 8)
    h = conv_bn_relu(h, 16, 16, 3, 1, 2)                 # (1, 16, 8, 8)

    # Reshape (1,16,8,8) -> (1,16,64), Transpose -> (1,64,16)
    shp = const("reshape2_0.shape", np.array([1, 16, 64], dtype=np.int64), raw=False)
    nodes.append(helper.make_node("Reshape", [h, shp], ["reshape2_0.tmp_0"], name="p2o.Reshape.0"))
    nodes.append(helper.make_node("Transpose", ["reshape2_0.tmp_0"], ["transpose_0.tmp_0"],
                                  name="p2o.Transpose.0", perm=[0, 2, 1]))
    # ReduceMean over the 64 positions (opset 11: axes attribute) -> (1, 16)
    nodes.append(helper.make_node("ReduceMean", ["transpose_0.tmp_0"], ["mean_0.tmp_0"],
                                  name="p2o.ReduceMean.0", axes=[1], keepdims=0))
    # Linear via MatMul + Add with Constant weight / bias.
    fw = const("linear_0.w_0", f32(16, 10), raw=True)
    nodes.append(helper.make_node("MatMul", ["mean_0.tmp_0", fw], ["linear_0.tmp_0"], name="p2o.MatMul.0"))
    fb = const("linear_0.b_0", f32(10), raw=False)
    nodes.append(helper.make_node("Add", ["linear_0.tmp_0", fb], ["linear_0.tmp_1"], name="p2o.Add.1"))
    # Temperature scaling: Mul by a scalar Constant, then Softmax.
    t = const("scale_1.tmp", np.array(0.5, dtype=np.float32), raw=False)
    nodes.append(helper.make_node("Mul", ["linear_0.tmp_1", t], ["scale_1.tmp_0"], name="p2o.Mul.1"))
    nodes.append(helper.make_node("Softmax", ["scale_1.tmp_0"], ["softmax_0.tmp_0"],
                                  name="p2o.Softmax.0", axis=1))
    # Final Reshape to (1, 10) through an int64 shape Constant with a -1.
    shp2 = const("reshape2_1.shape", np.array([1, -1], dtype=np.int64), raw=True)
    nodes.append(helper.make_node("Reshape", ["softmax_0.tmp_0", shp2], ["save_infer_model/scale_0.tmp_0"],
                                  name="p2o.Reshape.1"))
    # paddle2onnx-style scalar/shape constants that feed Unsqueeze / Cast chains.
    ax = const("unsqueeze2_0.axes", np.array([0], dtype=np.int64), raw=False)
    i32 = const("fill_constant_0.tmp", np.array([3], dtype=np.int32), raw=False)
    nodes.append(helper.make_node("Cast", [i32], ["cast_0.tmp_0"], name="p2o.Cast.0", to=TensorProto.INT64))
    nodes.append(helper.make_node("Add", ["cast_0.tmp_0", ax], ["add_idx.tmp_0"], name="p2o.Add.2"))
    nodes.append(helper.make_node("Unsqueeze", ["add_idx.tmp_0"], ["unsqueeze2_0.tmp_0"],
                                  name="p2o.Unsqueeze.0", axes=[0]))

    n_const = sum(1 for n in nodes if n.op_type == "Constant")
    assert n_const >= 20, n_const

    graph = helper.make_graph(
        nodes, "paddle-infer",
        inputs=[helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 32, 32])],
        outputs=[helper.make_tensor_value_info("save_infer_model/scale_0.tmp_0", TensorProto.FLOAT, [1, 10]),
                 helper.make_tensor_value_info("unsqueeze2_0.tmp_0", TensorProto.INT64, [1, 1])])
    model = helper.make_model(
        graph,
        producer_name="PaddlePaddle",
        producer_version="paddle2onnx-emulated",
        opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 6
    model.doc_string = ("Hand-built with onnx.helper to emulate a paddle2onnx export: "
                        "every weight, shape and scalar is a Constant node output.")
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(OUT_DIR, "paddle_style_constants.onnx")
    onnx.save(model, path)
    onnx.checker.check_model(onnx.load(path))
    print(f"wrote paddle_style_constants.onnx: {os.path.getsize(path)} bytes ({n_const} Constant nodes)")


# ---------------------------------------------------------------------------
# expected.json
# ---------------------------------------------------------------------------
def elem_size(data_type):
    np_dt = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[data_type]
    return np.dtype(np_dt).itemsize


def tensor_elems(t):
    n = 1
    for d in t.dims:
        n *= d
    return n


def tensor_bytes(t):
    if t.HasField("raw_data"):
        return len(t.raw_data)
    return tensor_elems(t) * elem_size(t.data_type)


def value_info_facts(vi):
    tt = vi.type.tensor_type
    if tt.HasField("shape"):
        shape = []
        for d in tt.shape.dim:
            if d.HasField("dim_value"):
                shape.append(d.dim_value)
            elif d.HasField("dim_param"):
                shape.append(d.dim_param)
            else:
                shape.append(None)
    else:
        shape = None
    return {"name": vi.name, "elem_type": tt.elem_type, "shape": shape}


def op_key(node):
    if node.domain in ("", "ai.onnx"):
        return node.op_type
    return f"{node.domain}::{node.op_type}"


def facts(path):
    m = onnx.load(path)
    g = m.graph
    hist = {}
    for n in g.node:
        k = op_key(n)
        hist[k] = hist.get(k, 0) + 1
    init_names = {t.name for t in g.initializer}
    const_elems = 0
    const_bytes = 0
    for n in g.node:
        if n.op_type == "Constant" and n.domain in ("", "ai.onnx"):
            for a in n.attribute:
                if a.name == "value":
                    const_elems += tensor_elems(a.t)
                    const_bytes += tensor_bytes(a.t)
    return {
        "file_size": os.path.getsize(path),
        "ir_version": m.ir_version,
        "producer_name": m.producer_name,
        "producer_version": m.producer_version,
        "opset_import": {o.domain: o.version for o in m.opset_import},
        "graph_name": g.name,
        "inputs": [value_info_facts(v) for v in g.input],
        "outputs": [value_info_facts(v) for v in g.output],
        "node_count": len(g.node),
        "op_histogram": dict(sorted(hist.items())),
        "initializer_count": len(g.initializer),
        "parameter_count": sum(tensor_elems(t) for t in g.initializer),
        "initializer_bytes": sum(tensor_bytes(t) for t in g.initializer),
        "inputs_that_are_initializers": sum(1 for v in g.input if v.name in init_names),
        "constant_node_value_elements": const_elems,
        "constant_node_value_bytes": const_bytes,
    }


MODELS = [
    ("convbn_opset11.onnx", make_convbn),
    ("resnet_tiny_opset13_dynbatch.onnx", make_resnet_tiny),
    ("mobilenet_opset17_initinputs.onnx", make_mobilenet),
    ("shapechain_opset12.onnx", make_shapechain),
    ("sigmoid_head_opset14.onnx", make_sigmoid_head),
    ("transformer_tiny_opset14.onnx", make_transformer),
    ("paddle_style_constants.onnx", make_paddle_style),
]


def main():
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, "
          f"onnx {onnx.__version__}, numpy {np.__version__}", flush=True)
    expected = {
        "_generator": {
            "script": "testdata/exports/generate.py",
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "onnx": onnx.__version__,
            "numpy": np.__version__,
        },
        "models": {},
    }
    for name, fn in MODELS:
        fn()
        expected["models"][name] = facts(os.path.join(OUT_DIR, name))
    with open(os.path.join(OUT_DIR, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=False)
        f.write("\n")
    print("wrote expected.json")


if __name__ == "__main__":
    main()
