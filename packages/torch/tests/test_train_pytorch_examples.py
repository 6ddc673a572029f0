"""scripts/train_pytorch_examples.py: its export is a pytorch/examples state dict (loads strictly into main.py's
VAE) and its test figure is the mean negative ELBO of that model."""
import json
import os
import subprocess
import sys

import torch
from conftest import PACKAGE

from latentlab_torch import load_file


def test_trains_and_exports_in_pytorch_examples_naming(tmp_path):
    from pytorch_examples_vae import VAE

    script = os.path.join(PACKAGE, "scripts", "train_pytorch_examples.py")
    cmd = [sys.executable, script, "--epochs", "1", "--limit-train", "600", "--limit-test", "200", "--out",
           str(tmp_path)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    tensors, metadata = load_file(str(tmp_path / "model.safetensors"))
    assert metadata == {"format": "pt"}
    model = VAE()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["testExamples"] == 200 and result["epochs"] == 1
    # E[negative ELBO] ≥ the KL term alone, and the one-draw figure lies within 6 noise stds of the 10-draw mean
    assert result["testLoss"] > result["kl"] > 0
    assert abs(result["testLoss"] - result["testLossMean"]) < 6 * result["testLossNoiseStd"]
