"""The reference modules: the contract's state-dict keys, Latentlab-style files loaded with strict=True, the
fixtures' outputs reproduced, and the pytorch/examples and pythae models rebuilt under Latentlab naming compute
what the original modules compute."""
import json
import os

import numpy as np
import pytest
import torch
from conftest import FIXTURES

from latentlab_torch import LatentlabAutoencoder, LatentlabVae, load_file, load_latentlab, save_latentlab
from latentlab_torch.models import ACTIVATIONS
from latentlab_torch.safetensors import SafetensorsError, save_file

TOL = 1e-5


def fixture(case, name):
    return load_file(os.path.join(FIXTURES, case, name))[0]


def close(actual, expected):
    a = actual.detach().numpy() if isinstance(actual, torch.Tensor) else actual
    assert a.shape == expected.shape
    assert np.max(np.abs(a - expected)) <= TOL


def test_state_dict_keys_follow_the_contract():
    vae = LatentlabVae({"inputShape": [10], "latentDim": 3, "hiddenUnits": [8, 6], "decoder": "gaussian",
                        "decoderVariance": "learned"})
    shapes = {k: tuple(v.shape) for k, v in vae.state_dict().items()}
    assert shapes == {
        "encoder.0.weight": (8, 10), "encoder.0.bias": (8,), "encoder.1.weight": (6, 8), "encoder.1.bias": (6,),
        "encoder.mu.weight": (3, 6), "encoder.mu.bias": (3,), "encoder.log_var.weight": (3, 6),
        "encoder.log_var.bias": (3,), "decoder.0.weight": (6, 3), "decoder.0.bias": (6,),
        "decoder.1.weight": (8, 6), "decoder.1.bias": (8,), "decoder.2.weight": (10, 8), "decoder.2.bias": (10,),
        "decoder.log_c": ()}
    ae = LatentlabAutoencoder({"inputShape": [10], "latentDim": 3, "architecture": "linear"})
    assert list(ae.state_dict()) == ["encoder.z.weight", "encoder.z.bias", "decoder.0.weight", "decoder.0.bias"]


def test_activations_are_latentlabs():
    x = torch.tensor([-2.0, -0.5, 0.0, 1.5])
    assert torch.equal(ACTIVATIONS["leakyRelu"](x), torch.where(x > 0, x, 0.2 * x))
    assert torch.allclose(ACTIVATIONS["elu"](x), torch.where(x > 0, x, torch.exp(x) - 1))
    assert torch.equal(ACTIVATIONS["linear"](x), x)


def test_conv_and_unknown_settings_are_refused():
    with pytest.raises(ValueError, match="architecture"):
        LatentlabVae({"architecture": "conv", "inputShape": [28, 28, 1]})
    with pytest.raises(ValueError, match="activation"):
        LatentlabAutoencoder({"activation": "gelu"})


@pytest.mark.parametrize("case", ["latentlab-mlp-ae", "latentlab-mlp-vae"])
def test_latentlab_files_load_strictly_and_reproduce_the_fixture(case):
    model = load_latentlab(os.path.join(FIXTURES, case, "model.safetensors"))
    inputs, outputs = fixture(case, "inputs.safetensors"), fixture(case, "outputs.safetensors")
    x, z = torch.from_numpy(inputs["x"]), torch.from_numpy(inputs["z"])
    with torch.no_grad():
        if case == "latentlab-mlp-ae":
            close(model.encode(x), outputs["z"])
            close(model(x), outputs["logits"])
            close(model.decode(z), outputs["logits_z"])
        else:
            mu, log_var = model.encode(x)
            close(mu, outputs["mu"])
            close(log_var, outputs["log_var"])
            close(model.decode(mu), outputs["mean"])
            close(model.decode(z), outputs["mean_z"])
            assert model.decoder.log_c.item() == -1.5


def test_the_config_file_stands_in_for_missing_metadata(tmp_path):
    src = os.path.join(FIXTURES, "latentlab-mlp-ae")
    tensors, _ = load_file(os.path.join(src, "model.safetensors"))
    save_file(tensors, str(tmp_path / "m.safetensors"))  # no latentlab metadata
    with open(os.path.join(src, "model.json"), encoding="utf-8") as f:
        (tmp_path / "m.json").write_text(f.read())
    model = load_latentlab(str(tmp_path / "m.safetensors"))
    assert model.config["hiddenUnits"] == [64, 32] and model.config["activation"] == "tanh"


def test_save_then_load_is_bit_identical(tmp_path):
    src = os.path.join(FIXTURES, "latentlab-mlp-vae", "model.safetensors")
    model = load_latentlab(src)
    out = tmp_path / "again.safetensors"
    save_latentlab(model, str(out))
    with open(src, "rb") as f:
        assert out.read_bytes() == f.read()
    assert json.loads((tmp_path / "again.json").read_text())["kind"] == "vae"
    fresh = LatentlabAutoencoder({"inputShape": [5], "latentDim": 2, "hiddenUnits": [4]})
    save_latentlab(fresh, str(tmp_path / "fresh.safetensors"))
    back = load_latentlab(str(tmp_path / "fresh.safetensors"))
    assert all(torch.equal(back.state_dict()[k], v) for k, v in fresh.state_dict().items())
    assert back.config == fresh.config


def test_a_state_dict_that_does_not_match_the_config_is_refused(tmp_path):
    src = os.path.join(FIXTURES, "latentlab-mlp-ae", "model.safetensors")
    tensors, metadata = load_file(src)
    del tensors["decoder.0.bias"]
    save_file(tensors, str(tmp_path / "m.safetensors"), metadata)
    with pytest.raises(RuntimeError, match="decoder.0.bias"):
        load_latentlab(str(tmp_path / "m.safetensors"))
    save_file(tensors, str(tmp_path / "bad.safetensors"), {"latentlab": '{"formatVersion": 2}'})
    with pytest.raises(SafetensorsError, match="formatVersion"):
        load_latentlab(str(tmp_path / "bad.safetensors"))


def renamed(tensors, names):
    return {names[k.rsplit(".", 1)[0]] + "." + k.rsplit(".", 1)[1]: torch.from_numpy(v) for k, v in tensors.items()}


def test_pytorch_examples_vae_under_latentlab_naming():
    from pytorch_examples_vae import VAE

    case = "pytorch-examples-vae"
    tensors, inputs, outputs = (fixture(case, n) for n in ("model.safetensors", "inputs.safetensors",
                                                            "outputs.safetensors"))
    original = VAE()
    original.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)
    model = LatentlabVae({"inputShape": [784], "latentDim": 20, "hiddenUnits": [400]})
    model.load_state_dict(renamed(tensors, {"fc1": "encoder.0", "fc21": "encoder.mu", "fc22": "encoder.log_var",
                                            "fc3": "decoder.0", "fc4": "decoder.1"}), strict=True)
    x, z = torch.from_numpy(inputs["x"]), torch.from_numpy(inputs["z"])
    with torch.no_grad():
        mu, log_var = model.encode(x)
        ref_mu, ref_log_var = original.encode(x)
        assert torch.allclose(mu, ref_mu, atol=TOL) and torch.allclose(log_var, ref_log_var, atol=TOL)
        close(mu, outputs["mu"])
        close(log_var, outputs["log_var"])
        close(model.decode(mu), outputs["logits"])
        close(model.decode(z), outputs["logits_z"])
        assert torch.allclose(torch.sigmoid(model.decode(z)), original.decode(z), atol=TOL)


@pytest.mark.parametrize("case", ["pythae-vae", "pythae-ae"])
def test_pythae_models_under_latentlab_naming(case):
    from pythae_mlp import PythaeModel

    vae = case == "pythae-vae"
    tensors, inputs, outputs = (fixture(case, n) for n in ("model.safetensors", "inputs.safetensors",
                                                            "outputs.safetensors"))
    original = PythaeModel((1, 8, 8), 4, vae)
    original.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)
    names = {"encoder.layers.0.0": "encoder.0", "encoder.embedding": "encoder.mu" if vae else "encoder.z",
             "encoder.log_var": "encoder.log_var", "decoder.layers.0.0": "decoder.0",
             "decoder.layers.1.0": "decoder.1"}
    config = {"inputShape": [64], "latentDim": 4, "hiddenUnits": [512]}
    model = LatentlabVae(config) if vae else LatentlabAutoencoder({**config, "reconstruction": "bernoulli"})
    model.load_state_dict(renamed(tensors, names), strict=True)
    x, z = torch.from_numpy(inputs["x"]), torch.from_numpy(inputs["z"])
    with torch.no_grad():
        code = model.encode(x)[0] if vae else model.encode(x)
        close(code, outputs["mu" if vae else "z"])
        if vae:
            close(model.encode(x)[1], outputs["log_var"])
        close(model.decode(code), outputs["logits"])
        close(torch.sigmoid(model.decode(code)), outputs["reconstruction"])
        close(model.decode(z), outputs["logits_z"])
        assert torch.allclose(torch.sigmoid(model.decode(z)), original.decoder(z)[1], atol=TOL)


def test_sklearn_pca_export_reproduces_transform():
    tensors, metadata = load_file(os.path.join(FIXTURES, "sklearn-pca", "model.safetensors"))
    info = json.loads(metadata["latentlab"])
    inputs, outputs = fixture("sklearn-pca", "inputs.safetensors"), fixture("sklearn-pca", "outputs.safetensors")
    k, d = info["pca"]["k"], info["pca"]["d"]
    assert tensors["components"].shape == (k, d) and tensors["components"].dtype == np.float64
    z = (inputs["x"].astype(np.float64) - tensors["mean"]) @ tensors["components"].T
    assert np.max(np.abs(z - outputs["z_f64"])) < 1e-10
    assert np.allclose(tensors["components"] @ tensors["components"].T, np.eye(k), atol=1e-12)
    assert info["pca"]["totalVariance"] >= tensors["explained_variance"].sum()
