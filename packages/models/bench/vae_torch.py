"""The reference VAE training step of pytorch/examples vae/main.py (784-400-20 MLP, ReLU, Bernoulli decoder,
BCE summed + KL, Adam 1e-3, batch 128) on synthetic grey-level batches, timed with 1 and 2 threads.
Run by vae-throughput.bench.ts: prints one JSON line of metadata, then one per thread count.
Usage: python3 vae_torch.py QUICK  (QUICK = 1 for a short trial)"""
import json
import statistics
import sys
import time

import torch

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from pytorch_examples_vae import VAE, loss_function  # noqa: E402

quick = len(sys.argv) > 1 and sys.argv[1] == "1"
BATCH = 128


def measure(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = [torch.rand(BATCH, 784) for _ in range(4)]

    def step(x):
        optimizer.zero_grad()
        recon, mu, logvar = model(x)
        loss = loss_function(recon, x, mu, logvar)
        loss.backward()
        optimizer.step()
        return loss.item()

    warmup, rounds, steps = (3, 3, 5) if quick else (10, 7, 30)
    for i in range(warmup):
        step(batches[i % 4])
    rates = []
    cpu_rates = []
    for r in range(rounds):
        t0 = time.perf_counter()
        c0 = time.process_time()
        for s in range(steps):
            step(batches[s % 4])
        rates.append(BATCH * steps / (time.perf_counter() - t0))
        cpu_rates.append(BATCH * steps / (time.process_time() - c0))
    return statistics.median(rates), max(rates), statistics.median(cpu_rates)


build = torch.__config__.show()
capability = next((l.split(":", 1)[1].strip() for l in build.splitlines() if "CPU capability" in l), "unknown")
print(json.dumps({"meta": True, "torch": torch.__version__, "cpu": f"CPU capability {capability}, MKL-DNN {torch.backends.mkldnn.is_available()}"}))
for threads in (1, 2):
    median, best, per_cpu_second = measure(threads)
    print(json.dumps({"threads": threads, "samplesPerSec": median, "best": best, "perCpuSecond": per_cpu_second}), flush=True)
