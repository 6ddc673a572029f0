"""pythae's default MLP networks (src/pythae/models/nn/default_architectures.py: Encoder_VAE_MLP,
Encoder_AE_MLP, Decoder_AE_MLP), rebuilt with the same module names so their state-dict keys are pythae's:

    encoder.layers.0.0 (d -> 512, then ReLU), encoder.embedding (512 -> k), encoder.log_var (512 -> k, VAE)
    decoder.layers.0.0 (k -> 512, then ReLU), decoder.layers.1.0 (512 -> d, then Sigmoid)

A pythae model (``VAE``, ``AE``) holds them as ``.encoder`` / ``.decoder``, so its ``model.pt`` state dict
carries these keys. The hidden width 512 is fixed by pythae.
"""
import numpy as np
import torch
from torch import nn

PYTHAE_HIDDEN = 512


class PythaeMlpEncoder(nn.Module):
    """Encoder_AE_MLP (``log_var=False``) or Encoder_VAE_MLP (``log_var=True``): x -> (embedding, log_covariance)."""

    def __init__(self, input_dim, latent_dim, log_var):
        super().__init__()
        d = int(np.prod(input_dim))
        self.input_dim = input_dim
        self.layers = nn.ModuleList([nn.Sequential(nn.Linear(d, PYTHAE_HIDDEN), nn.ReLU())])
        self.embedding = nn.Linear(PYTHAE_HIDDEN, latent_dim)
        if log_var:
            self.log_var = nn.Linear(PYTHAE_HIDDEN, latent_dim)

    def forward(self, x):
        h = self.layers[0](x.reshape(x.shape[0], -1))
        return self.embedding(h), (self.log_var(h) if hasattr(self, "log_var") else None)


class PythaeMlpDecoder(nn.Module):
    """Decoder_AE_MLP: z -> (pre-sigmoid logits, reconstruction = sigmoid(logits)), both [batch, d]."""

    def __init__(self, input_dim, latent_dim):
        super().__init__()
        d = int(np.prod(input_dim))
        self.layers = nn.ModuleList([
            nn.Sequential(nn.Linear(latent_dim, PYTHAE_HIDDEN), nn.ReLU()),
            nn.Sequential(nn.Linear(PYTHAE_HIDDEN, d), nn.Sigmoid()),
        ])

    def forward(self, z):
        logits = self.layers[1][0](self.layers[0](z))
        return logits, self.layers[1][1](logits)


class PythaeModel(nn.Module):
    """The part of pythae's ``VAE`` / ``AE`` that holds weights: ``.encoder`` and ``.decoder``."""

    def __init__(self, input_dim, latent_dim, vae):
        super().__init__()
        self.encoder = PythaeMlpEncoder(input_dim, latent_dim, vae)
        self.decoder = PythaeMlpDecoder(input_dim, latent_dim)
