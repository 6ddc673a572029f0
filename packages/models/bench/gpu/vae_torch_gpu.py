"""The pytorch/examples VAE training step (784-400-20, BCE summed + KL, Adam 1e-3) on CUDA when there is one, at
the given batch sizes: one JSON line per batch size, {"path": "pytorch", "device", "batch", "samplesPerSec",
"msPerStep"}, loss.item() after every step as the example does (a read-back per step, like the tfjs paths of run.mjs).
Run by run.mjs (the GPU bench of packages/models/bench/gpu). Usage: python3 vae_torch_gpu.py STEPS BATCH..."""
import json
import sys
import time

import torch

sys.dont_write_bytecode = True
from pytorch_examples_vae import VAE, loss_function  # noqa: E402

steps = int(sys.argv[1])
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(json.dumps({"path": "pytorch", "meta": True, "torch": torch.__version__, "device": str(device),
                  "name": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"}), flush=True)
for batch in (int(b) for b in sys.argv[2:]):
    torch.manual_seed(1)
    model = VAE().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.bernoulli(torch.full((batch, 784), 0.5, device=device))

    def step():
        optimizer.zero_grad()
        recon, mu, logvar = model(x)
        loss = loss_function(recon, x, mu, logvar)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(5):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - t0
    print(json.dumps({"path": "pytorch", "device": str(device), "batch": batch, "samplesPerSec": batch * steps / seconds,
                      "msPerStep": 1000 * seconds / steps}), flush=True)
