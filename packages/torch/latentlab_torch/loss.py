"""The pytorch/examples ``vae/main.py`` objective with a logit decoder, per example (Latentlab's Bernoulli VAE):

    rec_b = sum_i [softplus(l_bi) - x_bi l_bi]               (= BCE-with-logits summed over the d features)
    kl_b  = 1/2 sum_j (mu_bj^2 + exp(log_var_bj) - 1 - log_var_bj)
    loss  = sum_b (rec_b + kl_b)                             (training: summed over the batch, as main.py)

Latentlab reports the mean over examples of rec_b + kl_b (nats/example, one z ~ q(z|x) per example), which
is what :func:`per_example` gives summed and divided by n.

Example::

    rec, kl = elbo_terms(model, x, eps)     # [batch] each, eps ~ N(0, I) [batch, latentDim]
"""
import torch
from torch.nn import functional as F


def elbo_terms(model, x, eps):
    """Per-example reconstruction −log p(x|z) and KL(q(z|x) ‖ N(0, I)) with z = mu + exp(log_var/2) eps."""
    mu, log_var = model.encode(x)
    z = mu + torch.exp(0.5 * log_var) * eps
    logits = model.decode(z)
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)  # [batch]
    kl = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).sum(1)  # [batch]
    return rec, kl


class Elbo(torch.nn.Module):
    """``Elbo(vae)(x, eps) -> (rec, kl)``: :func:`elbo_terms` as a module's forward, so DistributedDataParallel
    can wrap it (DDP synchronises gradients only through the wrapped module's forward)."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, x, eps):
        return elbo_terms(self.vae, x, eps)


@torch.no_grad()
def per_example(model, x, eps, batch_size=1000):
    """(rec, kl) per row of ``x`` in float64, ``eps`` [n, latentDim] being row i's noise ε_i (so the result does
    not depend on how rows are batched or split over processes)."""
    recs, kls = [], []
    for start in range(0, x.shape[0], batch_size):
        rec, kl = elbo_terms(model, x[start:start + batch_size], eps[start:start + batch_size])
        recs.append(rec.double())
        kls.append(kl.double())
    return torch.cat(recs), torch.cat(kls)
