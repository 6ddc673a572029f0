"""Writes the interop fixtures into packages/interop/fixtures/<case>/ with real PyTorch / scikit-learn:

    model.safetensors   the model's state dict in its own naming (F32; PCA: F64)
    inputs.safetensors  x [n, d] float32 (and z [n, k] for decoder-only checks)
    outputs.safetensors what the model computes, float32, computed in float64 from the float32 weights
    case.json           source, naming, config, and what each output is

Fixed seeds; rerunning writes byte-identical files (checked by tests/test_fixtures.py), but for the last bits of
scikit-learn's PCA, whose SVD depends on the CPU's OpenBLAS kernels and thread count.
Run: /usr/bin/python3 packages/torch/scripts/make_fixtures.py [out_dir]
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.dont_write_bytecode = True  # no __pycache__ in packages/models/bench
sys.path[:0] = [os.path.join(HERE, ".."), HERE, os.path.join(ROOT, "packages", "models", "bench")]

from latentlab_torch.io import save_latentlab  # noqa: E402
from latentlab_torch.models import LatentlabAutoencoder, LatentlabVae  # noqa: E402
from latentlab_torch.safetensors import save_file, write_atomic  # noqa: E402
from pythae_mlp import PythaeModel  # noqa: E402
from pytorch_examples_vae import VAE  # noqa: E402

N = 8  # rows per fixture
F32_NOTE = "float32, computed in float64 from the float32 weights and inputs, then rounded to float32"


def f32(t):
    return t.detach().to(torch.float32).numpy()


def state(model):
    return {k: v.detach().numpy() for k, v in model.state_dict().items()}


def write_case(out, name, model_tensors, inputs, outputs, case, metadata=None):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    if model_tensors is not None:
        save_file(model_tensors, os.path.join(d, "model.safetensors"), metadata or {"format": "pt"})
    save_file(inputs, os.path.join(d, "inputs.safetensors"), {"format": "pt"})
    save_file(outputs, os.path.join(d, "outputs.safetensors"), {"format": "pt"})
    write_atomic(os.path.join(d, "case.json"), (json.dumps(case, indent=2) + "\n").encode())


def uniform(gen, n, d):
    return torch.rand(n, d, generator=gen, dtype=torch.float32)


def pytorch_examples_vae(out):
    torch.manual_seed(1)
    model = VAE()
    gen = torch.Generator().manual_seed(2)
    x, z = uniform(gen, N, 784), torch.randn(N, 20, generator=gen)
    m = VAE().double()
    m.load_state_dict(model.state_dict())
    with torch.no_grad():
        mu, log_var = m.encode(x.double())
        logits = m.fc4(torch.relu(m.fc3(mu)))
        logits_z = m.fc4(torch.relu(m.fc3(z.double())))
    write_case(out, "pytorch-examples-vae", state(model), {"x": x.numpy(), "z": z.numpy()},
               {"mu": f32(mu), "log_var": f32(log_var), "logits": f32(logits), "logits_z": f32(logits_z)}, {
                   "source": "pytorch/examples vae/main.py VAE (packages/models/bench/pytorch_examples_vae.py), "
                             "default PyTorch init, torch.manual_seed(1)",
                   "naming": "pytorch-examples",
                   "latentlab": {"kind": "vae", "config": {"inputShape": [784], "latentDim": 20,
                                                           "architecture": "mlp", "hiddenUnits": [400],
                                                           "activation": "relu", "decoder": "bernoulli"}},
                   "outputs": {"mu": "fc21(relu(fc1(x)))", "log_var": "fc22(relu(fc1(x)))",
                               "logits": "fc4(relu(fc3(mu))): decoder logits at z = mu (before the sigmoid)",
                               "logits_z": "fc4(relu(fc3(z))) for the given z"},
                   "precision": F32_NOTE, "inputs": "x ~ U[0, 1) [8, 784], z ~ N(0, I) [8, 20], seed 2"})


def pythae_case(out, vae):
    input_dim, k = (1, 8, 8), 4
    torch.manual_seed(3 if vae else 4)
    model = PythaeModel(input_dim, k, vae)
    gen = torch.Generator().manual_seed(5)
    x, z = uniform(gen, N, 64), torch.randn(N, k, generator=gen)
    m = PythaeModel(input_dim, k, vae).double()
    m.load_state_dict(model.state_dict())
    with torch.no_grad():
        mu, log_var = m.encoder(x.double())
        logits, recon = m.decoder(mu)
        logits_z, _ = m.decoder(z.double())
    outputs = {"logits": f32(logits), "reconstruction": f32(recon), "logits_z": f32(logits_z)}
    outputs.update({"mu": f32(mu), "log_var": f32(log_var)} if vae else {"z": f32(mu)})
    name = "pythae-vae" if vae else "pythae-ae"
    latentlab = ({"kind": "vae", "config": {"inputShape": [64], "latentDim": k, "architecture": "mlp",
                                            "hiddenUnits": [512], "activation": "relu", "decoder": "bernoulli"}}
                 if vae else
                 {"kind": "autoencoder", "config": {"inputShape": [64], "latentDim": k, "architecture": "mlp",
                                                    "hiddenUnits": [512], "activation": "relu",
                                                    "reconstruction": "bernoulli"}})
    code = "mu" if vae else "z"
    write_case(out, name, state(model), {"x": x.numpy(), "z": z.numpy()}, outputs, {
        "source": f"pythae {'VAE' if vae else 'AE'} with its default MLP networks "
                  f"({'Encoder_VAE_MLP' if vae else 'Encoder_AE_MLP'}, Decoder_AE_MLP), input_dim (1, 8, 8), "
                  f"latent_dim {k}; modules rebuilt with pythae's names (packages/torch/scripts/pythae_mlp.py)",
        "naming": "pythae",
        "latentlab": latentlab,
        "outputs": {
            **({"mu": "encoder.embedding(relu(encoder.layers.0.0(x)))",
                "log_var": "encoder.log_var(...): pythae's log_covariance, the log-variance"} if vae else
               {"z": "encoder.embedding(relu(encoder.layers.0.0(x)))"}),
            "logits": f"decoder.layers.1.0(relu(decoder.layers.0.0({code}))): pre-sigmoid values at z = {code}",
            "reconstruction": "sigmoid(logits): pythae's decoder output (it ends in a Sigmoid)",
            "logits_z": "pre-sigmoid decoder values for the given z"},
        "precision": F32_NOTE, "inputs": f"x ~ U[0, 1) [8, 64], z ~ N(0, I) [8, {k}], seed 5"})


def latentlab_case(out, name, model, seed, outputs_of):
    d, k = model.config["inputShape"][0], model.config["latentDim"]
    gen = torch.Generator().manual_seed(seed)
    x, z = uniform(gen, N, d), torch.randn(N, k, generator=gen)
    m = type(model)(model.config).double()
    m.load_state_dict(model.state_dict())
    with torch.no_grad():
        outputs, described = outputs_of(m, x.double(), z.double())
    path = os.path.join(out, name)
    os.makedirs(path, exist_ok=True)
    save_latentlab(model, os.path.join(path, "model.safetensors"))
    write_case(out, name, None, {"x": x.numpy(), "z": z.numpy()}, {k2: f32(v) for k2, v in outputs.items()}, {
        "source": "latentlab_torch.models (packages/torch), saved with save_latentlab; the Latentlab JSON is in "
                  "the file's __metadata__.latentlab and in model.json",
        "naming": "latentlab-pytorch (the interop contract)",
        "latentlab": {"kind": model.kind, "config": model.config},
        "outputs": described, "precision": F32_NOTE,
        "inputs": f"x ~ U[0, 1) [8, {d}], z ~ N(0, I) [8, {k}], seed {seed}"})


def latentlab_ae(out):
    torch.manual_seed(6)
    model = LatentlabAutoencoder({"inputShape": [784], "latentDim": 4, "architecture": "mlp",
                                  "hiddenUnits": [64, 32], "activation": "tanh", "reconstruction": "bernoulli"})
    latentlab_case(out, "latentlab-mlp-ae", model, 7, lambda m, x, z: (
        {"z": m.encode(x), "logits": m.decode(m.encode(x)), "logits_z": m.decode(z)},
        {"z": "encode(x)", "logits": "decode(encode(x)), pre-sigmoid (reconstruction 'bernoulli')",
         "logits_z": "decode(z) for the given z"}))


def latentlab_vae(out):
    torch.manual_seed(8)
    model = LatentlabVae({"inputShape": [64], "latentDim": 4, "architecture": "mlp", "hiddenUnits": [32, 16],
                          "activation": "leakyRelu", "decoder": "gaussian", "decoderVariance": "learned"})
    with torch.no_grad():
        model.decoder.log_c.fill_(-1.5)
    latentlab_case(out, "latentlab-mlp-vae", model, 9, lambda m, x, z: (
        {"mu": m.encode(x)[0], "log_var": m.encode(x)[1], "mean": m.decode(m.encode(x)[0]), "mean_z": m.decode(z)},
        {"mu": "encode(x)[0]", "log_var": "encode(x)[1]", "mean": "decode(mu): the Gaussian decoder's mean",
         "mean_z": "decode(z) for the given z", "decoder.log_c": "-1.5 (set before saving)"}))


def sklearn_pca(out):
    from sklearn.datasets import load_digits
    from sklearn.decomposition import PCA
    x = load_digits().data[:500]  # [500, 64], integers 0..16 (bundled with scikit-learn)
    k = 5
    pca = PCA(n_components=k, svd_solver="full").fit(x)
    total = float(pca.explained_variance_[0] / pca.explained_variance_ratio_[0])
    info = {"formatVersion": 1, "kind": "pca", "config": {"nComponents": k},
            "pca": {"n": int(pca.n_samples_), "d": int(x.shape[1]), "k": k, "totalVariance": total}}
    tensors = {"mean": pca.mean_, "components": pca.components_, "explained_variance": pca.explained_variance_}
    rows = x[:N]
    zs = pca.transform(rows)
    write_case(out, "sklearn-pca", tensors, {"x": rows.astype(np.float32)},
               {"z": zs.astype(np.float32), "z_f64": zs.astype(np.float64)}, {
                   "source": "sklearn.decomposition.PCA(n_components=5, svd_solver='full') fitted on "
                             "load_digits().data[:500]",
                   "naming": "latentlab-pca (mean, components [k, d], explained_variance; F64)",
                   "latentlab": info,
                   "outputs": {"z": "pca.transform(x) = (x - mean) components^T, float64 rounded to float32",
                               "z_f64": "the same in float64"},
                   "inputs": "x: the first 8 training rows (integers, exact in float32)"},
               metadata={"format": "pt", "latentlab": json.dumps(info, separators=(",", ":"))})


def main(out):
    torch.set_num_threads(1)
    pytorch_examples_vae(out)
    pythae_case(out, True)
    pythae_case(out, False)
    latentlab_ae(out)
    latentlab_vae(out)
    sklearn_pca(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "packages", "interop", "fixtures"))
