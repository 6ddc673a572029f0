"""Data-parallel training of Latentlab's MLP VAE in PyTorch (DistributedDataParallel), exported for Latentlab.

    torchrun --nproc_per_node 2 -m latentlab_torch.train --train mnist --epochs 10 --out runs/vae   # gloo on CPU
    torchrun --nproc_per_node 8 -m latentlab_torch.train ...                   # NCCL, one GPU per process
    python3 -m latentlab_torch.train --train data.csv --out runs/csv           # one process

Every process reads the data (IDX, gzip or raw, bytes scaled v/255; CSV; 'mnist'), a ``DistributedSampler``
gives each its share of every epoch's shuffled order, and each step minimises pytorch/examples' objective,
sum_b [BCE-with-logits(x_b, f(z_b)) + KL_b], with Adam; ``--batch-size`` is the global batch (split over the
processes). After every epoch rank 0 evaluates nothing alone: the test rows are split over the processes, each
row with its own fixed ε, and the sums are all-reduced; rank 0 then writes ``checkpoint.safetensors``
atomically. ``--resume`` continues from it (same process count: the same run). At the end rank 0 writes
``model.safetensors`` + ``model.json`` (the Latentlab export) and ``result.json``, and prints the result as JSON:
``testLoss`` is the mean negative ELBO per test example in nats (one z per example), as Latentlab's
``evaluate`` reports it, ``testLossMean`` the same averaged over ``--eval-samples`` draws of z, each with the
standard deviation owed to the random z (see :func:`test_loss`).
"""
import argparse
import json
import os
import sys
import time
from datetime import timedelta

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from .checkpoint import load_checkpoint, save_checkpoint
from .data import load_rows
from .io import save_latentlab
from .loss import Elbo, per_example
from .models import ACTIVATIONS, LatentlabVae
from .safetensors import write_atomic


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="latentlab_torch.train", description=__doc__.split("\n\n")[0])
    p.add_argument("--train", default="mnist", help="'mnist', an IDX file (raw or .gz) or a .csv file")
    p.add_argument("--test", default=None, help="test data (default: MNIST's test split for 'mnist', else --train)")
    p.add_argument("--limit-train", type=int, default=None, help="keep the first N training rows")
    p.add_argument("--limit-test", type=int, default=None, help="keep the first N test rows")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128, help="global batch, split over the processes")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--latent-dim", type=int, default=20)
    p.add_argument("--hidden-units", default="400", help="comma-separated widths, e.g. 512,256")
    p.add_argument("--activation", default="relu", choices=list(ACTIVATIONS))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--eval-samples", type=int, default=10,
                   help="z draws per test example (>= 2) for the final testLossMean")
    p.add_argument("--out", required=True, help="run directory (checkpoint, model.safetensors, result.json)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.safetensors if present")
    p.add_argument("--backend", default="auto", choices=["auto", "gloo", "nccl"])
    p.add_argument("--timeout", type=float, default=1800,
                   help="seconds a process waits for the others (start-up, every collective) before it fails")
    p.add_argument("--stop-after", type=int, default=None, help=argparse.SUPPRESS)  # tests: exit after epoch N
    a = p.parse_args(argv)
    a.hidden = [int(h) for h in a.hidden_units.split(",") if h.strip()]
    if a.epochs < 1 or a.eval_samples < 2 or a.batch_size < 1 or a.latent_dim < 1 or any(h < 1 for h in a.hidden):
        p.error("--epochs, --batch-size, --latent-dim and --hidden-units must be >= 1, --eval-samples >= 2")
    if not a.timeout > 0:
        p.error(f"--timeout: expected seconds > 0, found {a.timeout}")
    return a


def setup(backend, timeout):
    """(rank, world, device), initialising the process group when torchrun started several: a process that
    waits more than ``timeout`` seconds for the others (to start, or in a collective) raises instead of hanging."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available() and backend != "gloo"
    device = torch.device(f"cuda:{local}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    else:
        local_world = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // local_world))
    if world > 1:
        try:
            dist.init_process_group("nccl" if cuda else "gloo", timeout=timedelta(seconds=timeout))
        except RuntimeError as e:
            where = f"{os.environ.get('MASTER_ADDR')}:{os.environ.get('MASTER_PORT')}"
            raise SystemExit(f"rank {rank}: expected {world} processes to meet at {where} within --timeout "
                             f"{timeout:g} s, found: {e}") from None
    return rank, world, device


def all_sum(t, world):
    if world > 1:
        dist.all_reduce(t)
    return t


def test_loss(model, x_test, args, rank, world, device, samples):
    """The test metrics, the same for any process count (row i always gets the noise ε_i^(s), s < S):

        testLoss     = (1/n) sum_i L_i(ε_i^(0))             (Latentlab's evaluate: one z per example)
        testLossMean = (1/(S n)) sum_s sum_i L_i(ε_i^(s))   (S = ``samples`` >= 2)
        noise std of testLoss = sqrt(v / n), of testLossMean = sqrt(v / (S n)),

    v the mean over rows of the variance of L_i over its S draws (the part of the figure owed to ε)."""
    g = torch.Generator().manual_seed(args.seed + 7919)
    rows = torch.arange(rank, x_test.shape[0], world)
    x = x_test[rows].to(device)
    totals, rec0, kl0 = [], None, None
    model.eval()
    for s in range(samples):
        eps = torch.randn(x_test.shape[0], args.latent_dim, generator=g)[rows].to(device)
        rec, kl = per_example(model, x, eps)
        totals.append(rec + kl)
        if s == 0:
            rec0, kl0 = rec, kl
    model.train()
    t = torch.stack(totals)  # [S, rows]
    local = torch.stack([t[0].sum(), rec0.sum(), kl0.sum(), t.mean(0).sum(),
                         t.var(0, unbiased=True).sum(), torch.tensor(float(len(rows)), device=t.device)])
    total0, rec, kl, mean_s, var, n = all_sum(local.to(device), world).tolist()
    v = var / n
    return {"testLoss": total0 / n, "reconstruction": rec / n, "kl": kl / n,
            "testLossNoiseStd": (v / n) ** 0.5, "testLossMean": mean_s / n, "evalSamples": samples,
            "testLossMeanNoiseStd": (v / (samples * n)) ** 0.5, "testExamples": int(n)}


def main(argv=None):
    args = parse_args(argv)
    rank, world, device = setup(args.backend, args.timeout)
    if args.batch_size % world:
        raise SystemExit(f"--batch-size: expected a multiple of the {world} processes, found {args.batch_size}")
    x_train = torch.from_numpy(load_rows(args.train, "train", args.limit_train))
    test_spec = args.test or args.train
    x_test = torch.from_numpy(load_rows(test_spec, "test", args.limit_test))
    if x_test.shape[1] != x_train.shape[1]:
        raise SystemExit(f"--test: expected {x_train.shape[1]} features, found {x_test.shape[1]}")
    torch.manual_seed(args.seed)  # same initial weights on every rank (DDP also broadcasts rank 0's)
    model = LatentlabVae({"inputShape": [x_train.shape[1]], "latentDim": args.latent_dim, "architecture": "mlp",
                          "hiddenUnits": args.hidden, "activation": args.activation, "seed": args.seed,
                          "decoder": "bernoulli"}).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    os.makedirs(args.out, exist_ok=True)
    ckpt = os.path.join(args.out, "checkpoint.safetensors")
    start, step = 0, 0
    if args.resume and os.path.exists(ckpt):
        info = load_checkpoint(ckpt, model, optimizer)
        start, step = info["epoch"], info["step"]
    objective = DistributedDataParallel(Elbo(model)) if world > 1 else Elbo(model)
    sampler = DistributedSampler(TensorDataset(x_train), num_replicas=world, rank=rank, shuffle=True,
                                 seed=args.seed)
    loader = DataLoader(TensorDataset(x_train), batch_size=args.batch_size // world, sampler=sampler)
    started = time.perf_counter()
    metrics = {}
    for epoch in range(start, args.epochs):
        sampler.set_epoch(epoch)
        noise = torch.Generator().manual_seed(args.seed * 100_003 + epoch * 1009 + rank)
        train_sums = torch.zeros(2, dtype=torch.float64)
        for (xb,) in loader:
            xb = xb.to(device)
            eps = torch.randn(xb.shape[0], args.latent_dim, generator=noise).to(device)
            rec, kl = objective(xb, eps)
            loss = (rec + kl).sum()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
            train_sums += torch.tensor([loss.item(), float(xb.shape[0])], dtype=torch.float64)
        total, n = all_sum(train_sums.to(device), world).tolist()
        metrics = {"epoch": epoch + 1, "step": step, "trainLoss": total / n,
                   **test_loss(model, x_test, args, rank, world, device, 2)}  # 2 draws per epoch: cheap
        if rank == 0:
            save_checkpoint(ckpt, model, optimizer, {"epoch": epoch + 1, "step": step, "args": vars(args)})
            print(json.dumps(metrics), flush=True)
        if world > 1:
            dist.barrier()
        if args.stop_after is not None and epoch + 1 >= args.stop_after:
            break
    seconds = time.perf_counter() - started
    if not metrics:  # resumed a finished run: measure the loaded model
        metrics = {"epoch": start, "step": step}
    if metrics["epoch"] == args.epochs:  # the final figures with --eval-samples draws (same ε_i^(0), ε_i^(1))
        metrics.update(test_loss(model, x_test, args, rank, world, device, args.eval_samples))
    if rank == 0 and metrics["epoch"] == args.epochs:
        save_latentlab(model, os.path.join(args.out, "model.safetensors"))
        result = {**metrics, "worldSize": world, "device": str(device), "trainExamples": int(x_train.shape[0]),
                  "trainSeconds": seconds, "config": model.config}
        write_atomic(os.path.join(args.out, "result.json"), (json.dumps(result, indent=2) + "\n").encode())
        print(json.dumps({"result": result}), flush=True)
    if world > 1:
        dist.barrier()  # no process tears the group down while another is still in it (rank 0 writing files)
        dist.destroy_process_group()


if __name__ == "__main__":
    sys.exit(main())
