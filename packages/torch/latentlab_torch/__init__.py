"""latentlab_torch: Latentlab's models in PyTorch, safetensors I/O, and a DistributedDataParallel trainer."""
from .io import load_latentlab, save_latentlab
from .models import LatentlabAutoencoder, LatentlabVae, build_model
from .safetensors import SafetensorsError, load_file, save_file

__all__ = ["LatentlabVae", "LatentlabAutoencoder", "build_model", "load_latentlab", "save_latentlab",
           "load_file", "save_file", "SafetensorsError"]
