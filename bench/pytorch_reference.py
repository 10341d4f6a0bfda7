"""PyTorch side of Nascent's throughput benchmark (bench/Nascent.Bench, `throughput`).

Builds the same networks as the C# side, module for module as src/Nascent/Nn builds them -- the small plain CNN, a
standalone NAS-Bench-201 network, a standalone ENAS micro child, the InstaNAS meta-graph under its MobileNetV2-like
selection and with every module on, and the LSTM word-level language model -- and trains them with the same step as
Nascent.Training.Trainer: for images SGD (Nesterov momentum 0.9, weight decay 3e-4, clipping at norm 5, loss.item()
and a correct count per step) on real MNIST read from the IDX files; for the language model plain SGD (weight decay
5e-7, clipping at 0.25, no correct count) on windows of 35 random tokens, the hidden state carried and detached. It
runs as a server: each line on stdin `MODEL STEPS` (MODEL: cnn, nb201, enas-micro, instanas-mbv2, instanas-full or
lstm-lm) trains that many steps and answers one line `MODEL STEPS SECONDS`, so the C# side can interleave its own
blocks with these.
"""
import argparse
import os
import re
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]


def parse_nb201(text):
    choices = []
    for group in text.strip().split("+"):
        for part in group.strip("|").split("|"):
            op, _ = part.split("~")
            choices.append(OPS.index(op))
    return choices


class ReluConvBn(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(F.relu(x)))


class Pool(nn.Module):
    def forward(self, x):
        return F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)


class Identity(nn.Module):
    def forward(self, x):
        return x


class Cell(nn.Module):
    def __init__(self, c, choices):
        super().__init__()
        self.choices = choices
        make = {1: Identity, 2: lambda: ReluConvBn(c, c, 1, 1), 3: lambda: ReluConvBn(c, c, 3, 1), 4: Pool}
        self.edges = nn.ModuleList([make[op]() if op != 0 else Identity() for op in choices])

    def forward(self, x):
        nodes = [x, None, None, None]
        for k, (to, frm) in enumerate(EDGES):
            if self.choices[k] == 0:
                continue
            if nodes[frm] is None:
                nodes[frm] = torch.zeros_like(x)
            out = self.edges[k](nodes[frm])
            nodes[to] = out if nodes[to] is None else nodes[to] + out
        return nodes[3] if nodes[3] is not None else torch.zeros_like(x)


class ResidualReduction(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.first = ReluConvBn(cin, cout, 3, 2)
        self.second = ReluConvBn(cout, cout, 3, 1)
        self.shortcut = nn.Sequential(nn.AvgPool2d(2, stride=2), nn.Conv2d(cin, cout, 1, bias=False))

    def forward(self, x):
        return self.second(self.first(x)) + self.shortcut(x)


class Nb201Network(nn.Module):
    def __init__(self, choices, channels=16, cells=1, classes=10):
        super().__init__()
        c = channels
        self.stem = nn.Sequential(nn.Conv2d(1, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        layers = []
        for stage in range(3):
            if stage > 0:
                layers.append(ResidualReduction(c, 2 * c))
                c *= 2
            layers.extend(Cell(c, choices) for _ in range(cells))
        self.layers = nn.Sequential(*layers)
        self.last_bn = nn.BatchNorm2d(c)
        self.classifier = nn.Linear(c, classes)

    def forward(self, x):
        x = F.relu(self.last_bn(self.layers(self.stem(x))))
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


class PlainCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


MICRO_OPS = ["sep_conv_3x3", "sep_conv_5x5", "avg_pool_3x3", "max_pool_3x3", "identity"]


def parse_micro(text):
    """Nascent's ENAS micro string form -> [normal nodes, reduce nodes], each node (input a, op a, input b, op b)."""
    cells = []
    for part in text.split(";"):
        _, body = part.split(":", 1)
        found = re.findall(r"\(\s*([a-z0-9_]+)~(\d+)\s*,?\s*([a-z0-9_]+)~(\d+)\s*\)", body)
        cells.append([(int(ia), MICRO_OPS.index(oa), int(ib), MICRO_OPS.index(ob)) for oa, ia, ob, ib in found])
    return cells


class SepConv(nn.Module):
    """ENAS's separable convolution, stacked twice: (ReLU, depthwise k x k, pointwise 1 x 1, BN) x 2."""

    def __init__(self, c, k):
        super().__init__()
        self.stages = nn.ModuleList(nn.Sequential(
            nn.Conv2d(c, c, k, padding=k // 2, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))
            for _ in range(2))

    def forward(self, x):
        for stage in self.stages:
            x = stage(F.relu(x))
        return x


class FactorizedReduce(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.even = nn.Conv2d(cin, cout // 2, 1, stride=2, bias=False)
        self.odd = nn.Conv2d(cin, cout - cout // 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = F.relu(x)
        shifted = F.pad(x[:, :, 1:, 1:], (0, 1, 0, 1))
        return self.bn(torch.cat([self.even(x), self.odd(shifted)], 1))


class MaxPool(nn.Module):
    def forward(self, x):
        return F.max_pool2d(x, 3, stride=1, padding=1)


def micro_op(op, c):
    return [lambda: SepConv(c, 3), lambda: SepConv(c, 5), Pool, MaxPool, Identity][op]()


class MicroCell(nn.Module):
    """src/Nascent/Nn/EnasMicroCell.cs for one architecture: both inputs calibrated, node = op_a(in_a) + op_b(in_b),
    the loose ends (cell inputs included) through ReLU and their own 1 x 1 convolutions, summed, then BN."""

    def __init__(self, nodes, pp_c, pp_reduce, p_c, c, reduce):
        super().__init__()
        self.nodes = nodes

        def calibrate(cin):
            return Identity() if cin == c else ReluConvBn(cin, c, 1, 1)
        self.cal_pp = FactorizedReduce(pp_c, c) if reduce or pp_reduce else calibrate(pp_c)
        self.cal_p = FactorizedReduce(p_c, c) if reduce else calibrate(p_c)
        self.ops = nn.ModuleList(micro_op(op, c) for (_, oa, _, ob) in nodes for op in (oa, ob))
        used = {i for (ia, _, ib, _) in nodes for i in (ia, ib)}
        self.loose = [i for i in range(len(nodes) + 2) if i not in used]
        self.out_convs = nn.ModuleList(nn.Conv2d(c, c, 1, bias=False) for _ in self.loose)
        self.out_bn = nn.BatchNorm2d(c)

    def forward(self, pp, p):
        states = [self.cal_pp(pp), self.cal_p(p)]
        for b, (ia, _, ib, _) in enumerate(self.nodes):
            states.append(self.ops[2 * b](states[ia]) + self.ops[2 * b + 1](states[ib]))
        total = None
        for conv, i in zip(self.out_convs, self.loose):
            y = conv(F.relu(states[i]))
            total = y if total is None else total + y
        return self.out_bn(total)


class MicroNetwork(nn.Module):
    """src/Nascent/Nn/EnasMicroNetwork.cs: stem, (cells normal, reduce) x 2, cells normal, ReLU, pool, linear."""

    def __init__(self, arch, channels=16, cells=1, classes=10):
        super().__init__()
        normal, reduce = arch
        c = channels
        self.stem = nn.Sequential(nn.Conv2d(1, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        layers, pp, p, p_reduced = [], c, c, False
        for stage in range(3):
            if stage > 0:
                c *= 2
                layers.append(MicroCell(reduce, pp, False, p, c, True))
                pp, p, p_reduced = p, c, True
            for _ in range(cells):
                layers.append(MicroCell(normal, pp, p_reduced, p, c, False))
                pp, p, p_reduced = p, c, False
        self.cells = nn.ModuleList(layers)
        self.classifier = nn.Linear(c, classes)

    def forward(self, x):
        pp = self.stem(x)
        p = pp
        for cell in self.cells:
            pp, p = p, cell(pp, p)
        return self.classifier(F.adaptive_avg_pool2d(F.relu(p), 1).flatten(1))


class ConvBnAct(nn.Module):
    def __init__(self, cin, cout, k, stride, act, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = act

    def forward(self, x):
        x = self.bn(self.conv(x))
        return F.relu(x) if self.act == "relu" else F.relu6(x) if self.act == "relu6" else x


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, k, e, stride):
        super().__init__()
        h = cin * e
        self.layers = nn.Sequential(ConvBnAct(cin, h, 1, 1, "relu"), ConvBnAct(h, h, k, stride, "relu", groups=h),
                                    ConvBnAct(h, cout, 1, 1, None))
        self.identity = stride == 1 and cin == cout

    def forward(self, x):
        y = self.layers(x)
        return y.add_(x) if self.identity else y


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.layers = nn.Sequential(ConvBnAct(cin, cout, 3, stride, "relu"), ConvBnAct(cout, cout, 3, 1, "relu6"))

    def forward(self, x):
        return self.layers(x)


INSTANAS_MODULES = [(3, 3), (3, 6), (5, 3), (5, 6), None]  # ir3e3, ir3e6, ir5e3, ir5e6, basic
MOBILENETV2_MODULE = 1


class MetaGraph(nn.Module):
    """src/Nascent/Nn/InstaNasNetwork.cs: stem (conv, BN, ReLU), blocks of every candidate module, pool, linear. A
    selection [block][module] runs only the modules on (every block here has one on), their outputs summed."""

    def __init__(self, stages, selection, stem=16, classes=10):
        super().__init__()
        self.stem = ConvBnAct(1, stem, 3, 1, "relu")
        blocks, c = [], stem
        for part in stages.split(","):
            width, rest = part.split("x")
            count, stride = (int(v) for v in rest.split("s"))
            for b in range(count):
                s = int(stride) if b == 0 else 1
                blocks.append(nn.ModuleList(
                    BasicBlock(c, int(width), s) if m is None else InvertedResidual(c, int(width), m[0], m[1], s)
                    for m in INSTANAS_MODULES))
                c = int(width)
        self.blocks = nn.ModuleList(blocks)
        self.selection = selection(len(blocks))
        self.classifier = nn.Linear(c, classes)

    def forward(self, x):
        x = self.stem(x)
        for block, on in zip(self.blocks, self.selection):
            total = None
            for module, active in zip(block, on):
                if active:
                    y = module(x)
                    total = y if total is None else total.add_(y)
            x = total
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


class LstmLanguageModel(nn.Module):
    """src/Nascent/Nn/LanguageModel.cs's LstmLanguageModel: embedding, one-layer LSTM, decoder tied to the embedding
    with its own bias; variational dropout of the embedded inputs (0.2) and of the outputs (0.3), one mask per window."""

    def __init__(self, vocabulary=10000, hidden=128, dropout_input=0.2, dropout_output=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, hidden)
        self.lstm = nn.LSTM(hidden, hidden)
        self.decoder_bias = nn.Parameter(torch.zeros(vocabulary))
        self.hidden, self.dropout_input, self.dropout_output = hidden, dropout_input, dropout_output
        for p in self.parameters():
            nn.init.uniform_(p, -0.1, 0.1)
        with torch.no_grad():
            self.decoder_bias.zero_()

    @staticmethod
    def mask(sequence, p):
        return torch.empty(sequence.shape[1], sequence.shape[2]).bernoulli_(1 - p) / (1 - p)

    def forward(self, tokens, state):
        x = self.embedding(tokens)
        x = x * self.mask(x, self.dropout_input)
        out, (h, c) = self.lstm(x, (state[0].unsqueeze(0), state[1].unsqueeze(0)))
        out = out * self.mask(out, self.dropout_output)
        return F.linear(out.reshape(-1, self.hidden), self.embedding.weight, self.decoder_bias), torch.cat([h, c], 0)


class LanguageModelRun:
    """LanguageModelTrainer.Step with LanguageModelTrainer.DefaultOptions: SGD at 20, weight decay 5e-7, clip 0.25."""

    def __init__(self, model, batch=32, bptt=35, vocabulary=10000):
        self.model, self.bptt = model, bptt
        generator = torch.Generator().manual_seed(3)
        self.stream = torch.randint(0, vocabulary, (bptt * 64 + 1, batch), generator=generator)
        self.params = list(model.parameters())
        self.opt = torch.optim.SGD(self.params, lr=20, weight_decay=5e-7)
        self.state, self.window = torch.zeros(2, batch, model.hidden), 0

    def step(self):
        windows = (self.stream.shape[0] - 1) // self.bptt
        start = (self.window % windows) * self.bptt
        self.window += 1
        x, y = self.stream[start:start + self.bptt], self.stream[start + 1:start + 1 + self.bptt]
        self.model.train()
        self.model.zero_grad(set_to_none=True)
        logits, state = self.model(x, self.state)
        self.state = state.detach()
        loss = F.cross_entropy(logits, y.reshape(-1))
        value = loss.item()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in self.params if p.grad is not None], 0.25)
        self.opt.step()
        return value


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


class Sampler:
    """Shuffled batches gathered with index_select, as Nascent's BatchSampler does."""

    def __init__(self, images, labels, batch):
        self.images, self.labels, self.batch = images, labels, batch
        self.order, self.at = torch.randperm(len(labels)), 0

    def next(self):
        if self.at + self.batch > len(self.order):
            self.order, self.at = torch.randperm(len(self.labels)), 0
        index = self.order[self.at:self.at + self.batch]
        self.at += self.batch
        return self.images.index_select(0, index), self.labels.index_select(0, index)


class Run:
    def __init__(self, net, sampler):
        self.net, self.sampler = net, sampler
        self.params = list(net.parameters())
        self.opt = torch.optim.SGD(self.params, lr=0.05, momentum=0.9, nesterov=True, weight_decay=3e-4)

    def step(self):
        x, y = self.sampler.next()
        self.net.train()
        self.net.zero_grad(set_to_none=True)
        logits = self.net(x)
        loss = F.cross_entropy(logits, y)
        value = loss.item()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in self.params if p.grad is not None], 5.0)
        self.opt.step()
        (logits.argmax(1) == y).sum().item()
        return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=os.path.expanduser("~/.nascent/data/mnist"))
    parser.add_argument("--arch", required=True)
    parser.add_argument("--micro-arch", required=True, help="an ENAS micro architecture in Nascent's string form")
    parser.add_argument("--stages", default="16x1s2,24x2s2,32x2s1,48x1s2", help="the InstaNAS meta-graph's stages")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    images = read_idx(os.path.join(args.data_dir, "train-images-idx3-ubyte")).float().div_(255).unsqueeze(1)
    labels = read_idx(os.path.join(args.data_dir, "train-labels-idx1-ubyte")).long()
    images = (images - images.mean()) / images.std()
    runs = {
        "cnn": Run(PlainCnn(), Sampler(images, labels, args.batch)),
        "nb201": Run(Nb201Network(parse_nb201(args.arch)), Sampler(images, labels, args.batch)),
        "enas-micro": Run(MicroNetwork(parse_micro(args.micro_arch)), Sampler(images, labels, args.batch)),
        "instanas-mbv2": Run(MetaGraph(args.stages, lambda n: [[m == MOBILENETV2_MODULE for m in range(5)]] * n),
                             Sampler(images, labels, args.batch)),
        "instanas-full": Run(MetaGraph(args.stages, lambda n: [[True] * 5] * n), Sampler(images, labels, args.batch)),
        "lstm-lm": LanguageModelRun(LstmLanguageModel()),
    }
    print(f"ready torch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
    for line in sys.stdin:
        model, steps = line.split()
        run, steps = runs[model], int(steps)
        start = time.perf_counter()
        for _ in range(steps):
            run.step()
        print(f"{model} {steps} {time.perf_counter() - start:.6f}", flush=True)


if __name__ == "__main__":
    main()
