"""Trains pytorch/examples vae/main.py's VAE (fc1, fc21, fc22, fc3, fc4) as main.py does — batch 128, shuffled,
Adam 1e-3, pytorch/examples' loss summed over the batch (its BCE taken from fc4's logits) — and writes what an
importer needs:

    OUT/model.safetensors  the state dict in pytorch/examples naming (F32, metadata format: pt)
    OUT/result.json        epochs, seconds, and the test figures of latentlab_torch.train (testLoss: mean
                           negative ELBO per test example in nats, one z each; testLossMean over --eval-samples)

For the "trained 10 epochs in PyTorch, imported into Latentlab" comparison (generated at bench time, not
committed: 2.6 MB).
Run: /usr/bin/python3 packages/torch/scripts/train_pytorch_examples.py --epochs 10 --out /tmp/pytorch-examples-vae
"""
import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in packages/models/bench
sys.path[:0] = [os.path.join(HERE, ".."), os.path.join(HERE, "..", "..", "models", "bench")]

from latentlab_torch.data import load_rows  # noqa: E402
from latentlab_torch.models import LatentlabVae  # noqa: E402
from latentlab_torch.safetensors import save_file, write_atomic  # noqa: E402
from latentlab_torch.train import test_loss  # noqa: E402
from pytorch_examples_vae import VAE  # noqa: E402

#: pytorch/examples names -> the interop contract's Latentlab/PyTorch names.
TO_LATENTLAB = {"fc1": "encoder.0", "fc21": "encoder.mu", "fc22": "encoder.log_var", "fc3": "decoder.0",
                "fc4": "decoder.1"}


def as_latentlab(model):
    """The same weights in a LatentlabVae (784-400-20, relu, Bernoulli), for the shared test-loss code."""
    vae = LatentlabVae({"inputShape": [784], "latentDim": 20, "hiddenUnits": [400]})
    vae.load_state_dict({TO_LATENTLAB[k.split(".")[0]] + "." + k.split(".")[1]: v
                         for k, v in model.state_dict().items()}, strict=True)
    return vae


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--limit-train", type=int, default=None)
    p.add_argument("--limit-test", type=int, default=None)
    p.add_argument("--eval-samples", type=int, default=10)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    torch.manual_seed(args.seed)
    x_train = torch.from_numpy(load_rows("mnist", "train", args.limit_train))
    x_test = torch.from_numpy(load_rows("mnist", "test", args.limit_test))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train), batch_size=128, shuffle=True)
    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        total = 0.0
        for (x,) in loader:
            mu, log_var = model.encode(x)
            logits = model.fc4(torch.relu(model.fc3(model.reparameterize(mu, log_var))))
            bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="sum")
            loss = bce - 0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(json.dumps({"epoch": epoch, "trainLoss": total / len(x_train)}), flush=True)
    seconds = time.perf_counter() - started
    os.makedirs(args.out, exist_ok=True)
    save_file({k: v.detach().numpy() for k, v in model.state_dict().items()},
              os.path.join(args.out, "model.safetensors"), {"format": "pt"})
    args.latent_dim = 20
    figures = test_loss(as_latentlab(model), x_test, args, 0, 1, torch.device("cpu"), args.eval_samples)
    result = {"source": "pytorch/examples vae/main.py VAE", "naming": "pytorch-examples", "epochs": args.epochs,
              "seed": args.seed, "trainExamples": int(x_train.shape[0]), "trainSeconds": seconds, **figures}
    write_atomic(os.path.join(args.out, "result.json"), (json.dumps(result, indent=2) + "\n").encode())
    print(json.dumps({"result": result}), flush=True)


if __name__ == "__main__":
    main()
