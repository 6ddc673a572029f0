"""The trainer under torchrun: 2 processes (gloo) train one epoch on 2000 MNIST rows, checkpoint, resume, and
the resumed run equals an uninterrupted one bit for bit; its reported test loss is the mean negative ELBO per
test example, recomputed here from the exported model in one process."""
import gzip
import json
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest
import torch
from conftest import PACKAGE

from latentlab_torch import load_file, load_latentlab
from latentlab_torch.data import mnist_file, read_idx

TORCHRUN = os.path.join(os.path.dirname(sys.executable), "torchrun")
COMMON = ["--limit-train", "2000", "--limit-test", "500", "--eval-samples", "2", "--epochs", "2"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A run takes ≈ 15 s on 2 idle cores and ≈ 50 s with them oversubscribed 3×. A process that waits on a peer for
# GLOO_TIMEOUT seconds fails on its own (train.py's --timeout); one stuck anywhere else (torch's teardown) is
# stopped at STUCK_AFTER with every process's Python stack (faulthandler on SIGABRT).
GLOO_TIMEOUT, STUCK_AFTER = 300, 600


class Stuck(Exception):
    pass


def abort_one_by_one(group):
    """SIGABRT to each process of the group, workers before the agent (its leader), one at a time so that the
    Python stacks they print (faulthandler) do not interleave."""
    def in_group(pid):
        try:
            return os.getpgid(pid) == group
        except ProcessLookupError:
            return False
    pids = sorted((int(p) for p in os.listdir("/proc") if p.isdigit() and in_group(int(p))), key=lambda p: p == group)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGABRT)
        except ProcessLookupError:
            pass
        time.sleep(1)


def torchrun_once(logs, out, extra):
    # --redirects 1 --tee 1: Debian's torch 1.13 under Python 3.11 crashes on the defaults (0), see the README.
    cmd = [TORCHRUN, "--nproc_per_node", "2", "--redirects", "1", "--tee", "1", "--log_dir", str(logs),
           "--master_addr", "127.0.0.1", "--master_port", str(free_port()),
           "-m", "latentlab_torch.train", *COMMON, "--backend", "gloo", "--timeout", str(GLOO_TIMEOUT),
           "--out", str(out), *extra]
    env = {**os.environ, "PYTHONPATH": PACKAGE, "PYTHONFAULTHANDLER": "1"}
    # stdin closed: with stdin an open pipe, rank 0 was seen to hang after writing its result (interop's
    # torchrun-import.node.test.ts found it first). Its own session: the agent and its workers form one process
    # group, so a stuck run is stopped whole; no core files from the SIGABRT.
    with subprocess.Popen(cmd, cwd=PACKAGE, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          start_new_session=True, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
                          ) as run:
        try:
            stdout, stderr = run.communicate(timeout=STUCK_AFTER)
        except subprocess.TimeoutExpired:
            abort_one_by_one(run.pid)
            try:
                stdout, stderr = run.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGKILL)
                stdout, stderr = run.communicate()
            raise Stuck(f"{' '.join(cmd)}\nstuck after {STUCK_AFTER} s; the stacks:\n{stderr[-20000:]}") from None
    assert run.returncode == 0, stdout[-3000:] + stderr[-3000:]


def torchrun(tmp, out, *extra):
    """One run of the trainer under torchrun, tried again once if it got stuck, with the stuck try's stacks
    reported as a warning. Seen once in CI: the --resume run gave no output for 1 200 s, with stdin an open pipe (as
    interop's torchrun test once saw), before --timeout and the stacks existed; 32 runs here with the CPUs
    oversubscribed 3× did not repeat it. A run that fails, or whose results differ, fails the test."""
    logs = tmp / "logs" / f"{out.name}{''.join(extra)}"
    try:
        torchrun_once(logs / "try1", out, extra)
    except Stuck as stuck:
        warnings.warn(str(stuck))
        torchrun_once(logs / "try2", out, extra)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("train")
    torchrun(tmp, tmp / "resumed", "--stop-after", "1")
    after_one = {"files": sorted(os.listdir(tmp / "resumed")),
                 "checkpoint": json.loads(load_file(str(tmp / "resumed" / "checkpoint.safetensors"))[1]["checkpoint"])}
    torchrun(tmp, tmp / "resumed", "--resume")
    torchrun(tmp, tmp / "straight")
    return tmp, after_one


def test_one_epoch_writes_a_checkpoint_and_no_export(runs):
    _, after_one = runs
    assert after_one["files"] == ["checkpoint.safetensors"]
    assert after_one["checkpoint"]["epoch"] == 1
    assert after_one["checkpoint"]["step"] == math.ceil(2000 / 2 / 64)  # 1000 rows per process, 64 per step


def test_resume_equals_an_uninterrupted_run(runs):
    tmp, _ = runs
    resumed = (tmp / "resumed" / "model.safetensors").read_bytes()
    assert resumed == (tmp / "straight" / "model.safetensors").read_bytes()
    result = json.loads((tmp / "resumed" / "result.json").read_text())
    assert result["worldSize"] == 2 and result["epoch"] == 2 and result["trainExamples"] == 2000


def test_reported_test_loss_is_the_mean_negative_elbo(runs):
    tmp, _ = runs
    result = json.loads((tmp / "straight" / "result.json").read_text())
    model = load_latentlab(str(tmp / "straight" / "model.safetensors")).double()
    x = torch.from_numpy(read_idx(mnist_file("test"))[:500].reshape(500, -1).astype(np.float64) / 255)
    eps = torch.randn(500, 20, generator=torch.Generator().manual_seed(1 + 7919)).double()  # train.py's ε
    with torch.no_grad():
        mu, log_var = model.encode(x)
        p = torch.sigmoid(model.decode(mu + torch.exp(0.5 * log_var) * eps)).clamp(1e-300, 1 - 1e-16)
        rec = -(x * torch.log(p) + (1 - x) * torch.log1p(-p)).sum(1)
        kl = -0.5 * (1 + log_var - mu ** 2 - log_var.exp()).sum(1)
    assert result["testExamples"] == 500
    assert abs(result["kl"] - kl.mean().item()) < 1e-3
    assert abs(result["testLoss"] - (rec + kl).mean().item()) < 1e-2
    assert 0 < result["testLossNoiseStd"] < 5


def test_one_process_trains_on_csv(tmp_path):
    rng = np.random.default_rng(0)
    rows = (rng.random((300, 16)) > 0.5).astype(np.float32)
    lines = [",".join(f"p{i}" for i in range(16))] + [",".join(f"{v:g}" for v in r) for r in rows]
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n")
    cmd = [sys.executable, "-m", "latentlab_torch.train", "--train", str(tmp_path / "data.csv"), "--epochs", "1",
           "--batch-size", "50", "--hidden-units", "8", "--latent-dim", "2", "--out", str(tmp_path / "run")]
    done = subprocess.run(cmd, cwd=PACKAGE, env={**os.environ, "PYTHONPATH": PACKAGE}, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])["result"]
    assert result["worldSize"] == 1 and result["testExamples"] == 300 and result["config"]["inputShape"] == [16]
    model = load_latentlab(str(tmp_path / "run" / "model.safetensors"))
    assert model.config["hiddenUnits"] == [8]


def test_idx_reads_raw_and_gzip_alike(tmp_path):
    raw = (tmp_path / "x-idx3-ubyte")
    data = bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(12))
    raw.write_bytes(data)
    (tmp_path / "x.gz").write_bytes(gzip.compress(data))
    a, b = read_idx(str(raw)), read_idx(str(tmp_path / "x.gz"))
    assert a.shape == (2, 2, 3) and np.array_equal(a, b) and a[1, 1, 2] == 11
    raw.write_bytes(data[:-1])
    from latentlab_torch.data import DataFormatError
    with pytest.raises(DataFormatError, match="needs 28 bytes, found 27"):
        read_idx(str(raw))


def test_a_process_whose_peer_never_comes_fails_within_its_timeout(tmp_path):
    """Rank 0 of 2, started alone: it exits with a message naming the meeting point, instead of waiting on."""
    env = {**os.environ, "PYTHONPATH": PACKAGE, "RANK": "0", "LOCAL_RANK": "0", "WORLD_SIZE": "2",
           "LOCAL_WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(free_port())}
    done = subprocess.run([sys.executable, "-m", "latentlab_torch.train", *COMMON, "--backend", "gloo",
                           "--timeout", "2", "--out", str(tmp_path / "alone")],
                          cwd=PACKAGE, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=STUCK_AFTER)
    assert done.returncode == 1, done.stderr[-3000:]
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"rank 0: expected 2 processes to meet at 127.0.0.1:{env['MASTER_PORT']} within "
                           "--timeout 2 s, found: "), last
    assert not (tmp_path / "alone").exists()  # nothing read or written before the meeting


def test_timeout_must_be_positive(tmp_path):
    done = subprocess.run([sys.executable, "-m", "latentlab_torch.train", "--timeout", "0", "--out",
                           str(tmp_path / "run")], cwd=PACKAGE, env={**os.environ, "PYTHONPATH": PACKAGE},
                          capture_output=True, text=True, timeout=STUCK_AFTER)
    assert done.returncode == 2 and "--timeout: expected seconds > 0, found 0.0" in done.stderr
