"""Writes the export corpus for the rules library (issue 5): small-width versions of common
architectures, exported by torch.onnx with random weights and non-trivial BN statistics.
Run with Debian's python3-torch and python3-torchvision:  /usr/bin/python3 generate.py
Widths are reduced so that each file stays small; the graph structure is what torchvision exports.
TrainingMode.PRESERVE on eval() models keeps BatchNormalization nodes unfused, as training exports have them."""
import torch
import torchvision

torch.manual_seed(0)


def randomize_bn(model):
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d) or isinstance(m, torch.nn.BatchNorm1d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    return model.eval()


def export(model, name, shape=(1, 3, 64, 64), dynamic_batch=False, opset=13):
    model = randomize_bn(model)
    x = torch.randn(*shape)
    axes = {"input": {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None
    torch.onnx.export(model, x, name + ".onnx", opset_version=opset, input_names=["input"],
                      output_names=["output"], dynamic_axes=axes, do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE)  # keeps BatchNormalization nodes (eval mode)
    print("wrote", name)


class TinyResNet(torch.nn.Module):
    """torchvision's BasicBlock in a ResNet-18 layout at 1/8 of the width."""

    def __init__(self):
        super().__init__()
        from torchvision.models.resnet import BasicBlock
        self.stem = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 7, 2, 3, bias=False), torch.nn.BatchNorm2d(8),
                                        torch.nn.ReLU(inplace=True), torch.nn.MaxPool2d(3, 2, 1))
        layers, c = [], 8
        for i, w in enumerate([8, 16, 32, 64]):
            stride = 1 if i == 0 else 2
            down = None
            if stride != 1 or c != w:
                down = torch.nn.Sequential(torch.nn.Conv2d(c, w, 1, stride, bias=False), torch.nn.BatchNorm2d(w))
            layers += [BasicBlock(c, w, stride, down), BasicBlock(w, w)]
            c = w
        self.layers = torch.nn.Sequential(*layers)
        self.head = torch.nn.Linear(64, 10)

    def forward(self, x):
        return self.head(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(self.layers(self.stem(x)), 1), 1))


class RepVggTrain(torch.nn.Module):
    """RepVGG blocks in their training form: 3×3 conv+BN, 1×1 conv+BN and identity BN, summed."""

    class Block(torch.nn.Module):
        def __init__(self, c_in, c_out, stride):
            super().__init__()
            self.dense = torch.nn.Sequential(torch.nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), torch.nn.BatchNorm2d(c_out))
            self.one = torch.nn.Sequential(torch.nn.Conv2d(c_in, c_out, 1, stride, 0, bias=False), torch.nn.BatchNorm2d(c_out))
            self.identity = torch.nn.BatchNorm2d(c_in) if c_in == c_out and stride == 1 else None

        def forward(self, x):
            y = self.dense(x) + self.one(x)
            if self.identity is not None:
                y = y + self.identity(x)
            return torch.relu(y)

    def __init__(self):
        super().__init__()
        self.blocks = torch.nn.Sequential(self.Block(3, 16, 2), self.Block(16, 16, 1), self.Block(16, 32, 2),
                                          self.Block(32, 32, 1), self.Block(32, 32, 1))
        self.head = torch.nn.Linear(32, 10)

    def forward(self, x):
        return self.head(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(self.blocks(x), 1), 1))


class YoloHead(torch.nn.Module):
    """A YOLO-style detector: a Conv-BN-SiLU backbone and a head with sigmoid objectness and box decoding."""

    def __init__(self):
        super().__init__()

        def cbs(a, b, s):
            return torch.nn.Sequential(torch.nn.Conv2d(a, b, 3, s, 1, bias=False), torch.nn.BatchNorm2d(b), torch.nn.SiLU())
        self.backbone = torch.nn.Sequential(cbs(3, 8, 2), cbs(8, 16, 2), cbs(16, 32, 2))
        self.detect = torch.nn.Conv2d(32, 3 * 6, 1)

    def forward(self, x):
        p = self.detect(self.backbone(x))
        n, _, h, w = p.shape
        p = p.view(n, 3, 6, h, w).permute(0, 1, 3, 4, 2).contiguous()
        return torch.sigmoid(p).view(n, -1, 6)


class TinyEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        layer = torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.1, batch_first=True)
        self.encoder = torch.nn.TransformerEncoder(layer, num_layers=2)

    def forward(self, x):
        return self.encoder(x)


export(TinyResNet(), "resnet18_w8")
export(torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10), "mobilenet_v2_w025")
export(torchvision.models.mobilenet_v3_small(width_mult=0.25, num_classes=10), "mobilenet_v3_small_w025")
export(torchvision.models.shufflenetv2.ShuffleNetV2([2, 2, 2], [8, 16, 32, 64, 128], num_classes=10),
       "shufflenet_v2_small_dynbatch", dynamic_batch=True)
export(torchvision.models.efficientnet.EfficientNet(
    torchvision.models.efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=0.25)[0],
    dropout=0.2, num_classes=10), "efficientnet_b0_w025")
export(RepVggTrain(), "repvgg_train")
export(YoloHead(), "yolo_head")
export(TinyEncoder(), "transformer_encoder", shape=(1, 16, 32), opset=14)
