"""Latentlab's MLP/linear VAE and autoencoder as PyTorch modules, with the interop contract's state-dict keys.

Latentlab weight ``encoder/<i>/w`` [in, out] (y = x W + b) is PyTorch ``encoder.<i>.weight`` [out, in]
(y = x W^T + b); the heads are ``encoder.mu`` / ``encoder.log_var`` (VAE) or ``encoder.z`` (autoencoder), the
decoder layers ``decoder.<i>`` (the last one outputs the d logits or means, no activation) and, for a Gaussian
VAE with learned variance, the scalar ``decoder.log_c``. Hidden layers use the config's activation.

    VAE:  h = g(x),  mu = h W_mu^T + b_mu,  log_var = h W_v^T + b_v,  out = f(z)   (logits for 'bernoulli')
    AE:   z = g(x) W_z^T + b_z,  out = f(z)

Example::

    vae = LatentlabVae({"inputShape": [784], "latentDim": 20, "hiddenUnits": [400]})
    mu, log_var = vae.encode(torch.rand(8, 784))      # [8, 20] each
    logits = vae.decode(mu)                           # [8, 784]
"""
import torch
from torch import nn
from torch.nn import functional as F

#: Latentlab's DEFAULT_VAE_CONFIG (packages/models/src/config.ts): the pytorch/examples vae/main.py model.
DEFAULT_VAE_CONFIG = {
    "inputShape": [784], "latentDim": 20, "architecture": "mlp", "hiddenUnits": [400], "convFilters": [32, 64],
    "kernelSize": 3, "activation": "relu", "init": "torch", "seed": 0, "decoder": "bernoulli",
    "decoderVariance": 1, "beta": 1, "klWarmupSteps": 0, "freeBits": 0,
}
#: Latentlab's DEFAULT_AUTOENCODER_CONFIG: 784-256-32-256-784, ReLU, MSE.
DEFAULT_AUTOENCODER_CONFIG = {
    "inputShape": [784], "latentDim": 32, "architecture": "mlp", "hiddenUnits": [256], "convFilters": [16, 32],
    "kernelSize": 3, "activation": "relu", "init": "torch", "seed": 0, "reconstruction": "mse",
}

#: Latentlab's activations (packages/models/src/layers/activation.ts); leakyRelu has slope 0.2.
ACTIVATIONS = {
    "relu": F.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "elu": F.elu,
    "leakyRelu": lambda x: F.leaky_relu(x, 0.2),
    "linear": lambda x: x,
}


def _resolve(config, defaults, architectures, kind):
    if not isinstance(config, dict):
        raise ValueError(f"{kind}: config: expected a dict, found {type(config).__name__}")
    c = {**defaults, **{k: v for k, v in config.items() if v is not None}}
    if c["architecture"] not in architectures:
        raise ValueError(f"{kind}: architecture: expected one of {architectures}, found {c['architecture']!r}"
                         " (convolutional models are out of scope here)")
    shape = c["inputShape"]
    if not (isinstance(shape, list) and len(shape) == 1 and isinstance(shape[0], int) and shape[0] >= 1):
        raise ValueError(f"{kind}: inputShape: expected [d] with d >= 1, found {shape!r}")
    if not (isinstance(c["latentDim"], int) and c["latentDim"] >= 1):
        raise ValueError(f"{kind}: latentDim: expected an integer >= 1, found {c['latentDim']!r}")
    if not (isinstance(c["hiddenUnits"], list) and all(isinstance(h, int) and h >= 1 for h in c["hiddenUnits"])):
        raise ValueError(f"{kind}: hiddenUnits: expected a list of integers >= 1, found {c['hiddenUnits']!r}")
    if c["activation"] not in ACTIVATIONS:
        raise ValueError(f"{kind}: activation: expected one of {list(ACTIVATIONS)}, found {c['activation']!r}")
    return c


class _Stack(nn.Module):
    """Linear layers registered as children ``"0"``, ``"1"``, ... (then any named heads), each but the last of
    ``sizes`` followed by the activation when ``last_activation`` is False."""

    def __init__(self, sizes, activation, last_activation):
        super().__init__()
        self.n = len(sizes) - 1
        for i in range(self.n):
            self.add_module(str(i), nn.Linear(sizes[i], sizes[i + 1]))
        self.act = ACTIVATIONS[activation]
        self.last_activation = last_activation

    def trunk(self, x):
        for i in range(self.n):
            x = getattr(self, str(i))(x)
            if self.last_activation or i < self.n - 1:
                x = self.act(x)
        return x


class LatentlabVae(nn.Module):
    """Latentlab's MLP ``Vae`` (see the module doc): ``encode(x) -> (mu, log_var)``, ``decode(z) -> logits``
    (Bernoulli) or the mean (Gaussian), ``forward(x) -> (out, mu, log_var)`` with z = mu + exp(log_var/2) eps."""

    kind = "vae"

    def __init__(self, config=None):
        super().__init__()
        c = _resolve(config or {}, DEFAULT_VAE_CONFIG, ("mlp",), "LatentlabVae")
        if c["decoder"] not in ("bernoulli", "gaussian"):
            raise ValueError(f"LatentlabVae: decoder: expected 'bernoulli' or 'gaussian', found {c['decoder']!r}")
        self.config = c
        d, k, hidden = c["inputShape"][0], c["latentDim"], c["hiddenUnits"]
        self.encoder = _Stack([d, *hidden], c["activation"], True)
        width = hidden[-1] if hidden else d
        self.encoder.mu = nn.Linear(width, k)
        self.encoder.log_var = nn.Linear(width, k)
        self.decoder = _Stack([k, *reversed(hidden), d], c["activation"], False)
        if c["decoder"] == "gaussian" and c["decoderVariance"] == "learned":
            self.decoder.log_c = nn.Parameter(torch.zeros(()))

    def encode(self, x):
        h = self.encoder.trunk(x.reshape(x.shape[0], -1))
        return self.encoder.mu(h), self.encoder.log_var(h)

    def decode(self, z):
        return self.decoder.trunk(z)

    def forward(self, x):
        mu, log_var = self.encode(x)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        return self.decode(z), mu, log_var


class LatentlabAutoencoder(nn.Module):
    """Latentlab's ``Autoencoder`` ('linear' or 'mlp'): ``encode(x) -> z``, ``decode(z)`` -> logits for
    ``reconstruction: 'bernoulli'``, the reconstruction for 'mse'; ``forward(x) = decode(encode(x))``."""

    kind = "autoencoder"

    def __init__(self, config=None):
        super().__init__()
        c = _resolve(config or {}, DEFAULT_AUTOENCODER_CONFIG, ("linear", "mlp"), "LatentlabAutoencoder")
        self.config = c
        d, k = c["inputShape"][0], c["latentDim"]
        hidden = c["hiddenUnits"] if c["architecture"] == "mlp" else []
        self.encoder = _Stack([d, *hidden], c["activation"], True)
        self.encoder.z = nn.Linear(hidden[-1] if hidden else d, k)
        self.decoder = _Stack([k, *reversed(hidden), d], c["activation"], False)

    def encode(self, x):
        return self.encoder.z(self.encoder.trunk(x.reshape(x.shape[0], -1)))

    def decode(self, z):
        return self.decoder.trunk(z)

    def forward(self, x):
        return self.decode(self.encode(x))


def build_model(kind, config):
    """A fresh ``LatentlabVae`` (kind 'vae') or ``LatentlabAutoencoder`` (kind 'autoencoder') from a config."""
    if kind == "vae":
        return LatentlabVae(config)
    if kind == "autoencoder":
        return LatentlabAutoencoder(config)
    raise ValueError(f"build_model: kind: expected 'vae' or 'autoencoder', found {kind!r}")
