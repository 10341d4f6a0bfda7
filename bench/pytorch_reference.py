"""PyTorch side of Nascent's throughput benchmark (bench/Nascent.Bench, `throughput`).

Builds the same networks as the C# side -- the small plain CNN and a standalone NAS-Bench-201 network as
src/Nascent/Nn builds it -- and trains them with the same step as Nascent.Training.Trainer (SGD, Nesterov momentum
0.9, weight decay 3e-4, gradient clipping at norm 5, loss.item() and a correct count per step) on real MNIST read from
the IDX files. It runs as a server: each line on stdin `MODEL STEPS` (MODEL: cnn or nb201) trains that many steps
and answers one line `MODEL STEPS SECONDS`, so the C# side can interleave its own blocks with these.
"""
import argparse
import os
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
