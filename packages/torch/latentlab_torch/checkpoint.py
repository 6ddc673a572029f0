"""Training checkpoints as safetensors (no pickle): the model's state dict under ``model.<name>``, Adam's
per-parameter state under ``adam.<i>.exp_avg`` / ``adam.<i>.exp_avg_sq`` / ``adam.<i>.step`` (F64 scalar), and
``__metadata__.checkpoint``: JSON ``{"epoch", "step", "args", "param_groups"}``. Written atomically
(exclusive temp file beside the target, fsync, os.replace), so a crash leaves the previous checkpoint whole.

Example::

    save_checkpoint("run/checkpoint.safetensors", model, optimizer, {"epoch": 3, "step": 705, "args": {...}})
    info = load_checkpoint("run/checkpoint.safetensors", model, optimizer)   # {"epoch": 3, ...}
"""
import json

import numpy as np
import torch

from .safetensors import SafetensorsError, load_file, save_file


def save_checkpoint(path, model, optimizer, info):
    tensors = {f"model.{k}": v.detach().cpu().float().numpy() for k, v in model.state_dict().items()}
    opt = optimizer.state_dict()
    for i, state in opt["state"].items():
        tensors[f"adam.{i}.exp_avg"] = state["exp_avg"].detach().cpu().float().numpy()
        tensors[f"adam.{i}.exp_avg_sq"] = state["exp_avg_sq"].detach().cpu().float().numpy()
        tensors[f"adam.{i}.step"] = np.asarray(float(state["step"]), dtype=np.float64)
    groups = [{k: v for k, v in g.items() if k != "params"} | {"params": g["params"]} for g in opt["param_groups"]]
    save_file(tensors, path, {"format": "pt", "checkpoint": json.dumps({**info, "param_groups": groups})})


def load_checkpoint(path, model, optimizer):
    """Restores the model (strict) and Adam's state; returns the checkpoint's info (epoch, step, args)."""
    tensors, metadata = load_file(path)
    try:
        info = json.loads(metadata["checkpoint"])
    except (KeyError, ValueError) as e:
        raise SafetensorsError(f"{path}: expected a 'checkpoint' JSON in __metadata__, found {e!r}") from None
    model.load_state_dict({k[6:]: torch.from_numpy(v) for k, v in tensors.items() if k.startswith("model.")},
                          strict=True)
    state = {}
    for name, v in tensors.items():
        if name.startswith("adam."):
            _, i, key = name.split(".")
            t = torch.from_numpy(v)  # Adam.load_state_dict moves moments to each parameter's device
            state.setdefault(int(i), {})[key] = t.float() if key == "step" else t
    optimizer.load_state_dict({"state": state, "param_groups": info["param_groups"]})
    return info
