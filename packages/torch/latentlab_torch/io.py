"""Latentlab model files for PyTorch: ``load_latentlab(path)`` and ``save_latentlab(model, path)``.

A Latentlab export is ``<name>.safetensors`` (F32 tensors in PyTorch naming, see :mod:`latentlab_torch.models`)
whose ``__metadata__`` holds ``"format": "pt"`` and ``"latentlab"``: the JSON string
``{"formatVersion": 1, "kind": "vae" | "autoencoder", "config": {...}}``; the same JSON is in ``<name>.json``.

Example::

    model = load_latentlab("run/model.safetensors")     # LatentlabVae, weights loaded with strict=True
    save_latentlab(model, "out/model.safetensors")      # + out/model.json
"""
import json
import os

import numpy as np
import torch

from .models import build_model
from .safetensors import SafetensorsError, load_file, save_file, write_atomic

FORMAT_VERSION = 1


def config_path(path):
    """``dir/name.safetensors`` -> ``dir/name.json`` (the config file beside it)."""
    root, ext = os.path.splitext(path)
    return (root if ext == ".safetensors" else path) + ".json"


def parse_latentlab_json(text, where):
    """Parses and checks the ``latentlab`` JSON (formatVersion 1, kind, config object)."""
    try:
        info = json.loads(text)
    except ValueError as e:
        raise SafetensorsError(f"{where}: latentlab metadata: expected JSON, found {e}") from None
    if not isinstance(info, dict) or info.get("formatVersion") != FORMAT_VERSION:
        raise SafetensorsError(f"{where}: latentlab metadata: expected formatVersion {FORMAT_VERSION}, "
                               f"found {info.get('formatVersion') if isinstance(info, dict) else info!r}")
    if info.get("kind") not in ("vae", "autoencoder", "pca") or not isinstance(info.get("config"), dict):
        raise SafetensorsError(f"{where}: latentlab metadata: expected kind vae/autoencoder/pca and a config "
                               f"object, found kind {info.get('kind')!r}")
    return info


def load_latentlab(path):
    """Reads a Latentlab-exported ``.safetensors`` (its metadata, else ``<name>.json`` beside it) into a
    ``LatentlabVae`` / ``LatentlabAutoencoder`` with ``load_state_dict(strict=True)``; the original metadata
    JSON is kept as ``model.latentlab_json`` so :func:`save_latentlab` writes it back unchanged."""
    tensors, metadata = load_file(path)
    text = metadata.get("latentlab")
    if text is None:
        with open(config_path(path), encoding="utf-8") as f:
            text = f.read(1 << 20)
    info = parse_latentlab_json(text, path)
    if info["kind"] == "pca":
        raise SafetensorsError(f"{path}: kind: expected 'vae' or 'autoencoder', found 'pca' (see sklearn export)")
    model = build_model(info["kind"], info["config"])
    state = {name: torch.from_numpy(np.asarray(t, dtype=np.float32)) for name, t in tensors.items()}
    model.load_state_dict(state, strict=True)
    model.latentlab_json = text
    return model


def latentlab_json(model):
    """The metadata JSON of ``model``: the one it was loaded with, else built from its config."""
    text = getattr(model, "latentlab_json", None)
    if text is not None:
        return text
    info = {"formatVersion": FORMAT_VERSION, "kind": model.kind, "config": model.config}
    return json.dumps(info, separators=(",", ":"), ensure_ascii=False)


def save_latentlab(model, path):
    """Writes ``model``'s state dict as F32 safetensors (sorted names, ``format: pt`` + ``latentlab`` metadata)
    and the same JSON as ``<name>.json``, both atomically."""
    tensors = {k: v.detach().cpu().to(torch.float32).numpy() for k, v in model.state_dict().items()}
    text = latentlab_json(model)
    save_file(tensors, path, {"format": "pt", "latentlab": text})
    write_atomic(config_path(path), text.encode("utf-8"))
