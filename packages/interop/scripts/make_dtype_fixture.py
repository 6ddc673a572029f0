"""Writes fixtures/dtypes/dtypes.safetensors: F16, BF16 and F64 tensors and their float32 values as PyTorch
converts them (`.float()`), for @latentlab/interop's decoding test. Independent of the TypeScript reader: the
file is assembled here with struct + json (the safetensors layout), the conversions are torch's.

    /usr/bin/python3 packages/interop/scripts/make_dtype_fixture.py
"""
import json
import pathlib
import struct

import torch

out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "dtypes" / "dtypes.safetensors"

# Every binary16 bit pattern (subnormals, ±0, ±inf, NaNs included).
f16 = torch.arange(65536, dtype=torch.int32).to(torch.int16).view(torch.float16)
# bfloat16: every 16th pattern plus the special ones.
bf16_bits = torch.cat([torch.arange(0, 65536, 16, dtype=torch.int32), torch.tensor([1, 0x7F80, 0xFF80, 0x7FC1, 0x8001])])
bf16 = bf16_bits.to(torch.int16).view(torch.bfloat16)
g = torch.Generator().manual_seed(3)
f64 = torch.cat([
    torch.randn(500, generator=g, dtype=torch.float64) * 10.0 ** torch.randint(-40, 40, (500,), generator=g),
    torch.tensor([0.0, -0.0, 1e-310, 3.4028235677973366e38, 3.5e38, -1e300, float("inf"), 0.1, 1 / 3], dtype=torch.float64),
])

tensors = {
    "f16": ("F16", f16),
    "f16_as_f32": ("F32", f16.float()),
    "bf16": ("BF16", bf16),
    "bf16_as_f32": ("F32", bf16.float()),
    "f64": ("F64", f64),
    "f64_as_f32": ("F32", f64.float()),
}
header, blobs, offset = {}, [], 0
for name in sorted(tensors):
    dtype, t = tensors[name]
    data = t.contiguous().view(torch.uint8).numpy().tobytes()  # little-endian on every platform torch runs on here
    header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
header["__metadata__"] = {"source": "packages/interop/scripts/make_dtype_fixture.py (torch " + torch.__version__ + ")"}
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
out.parent.mkdir(parents=True, exist_ok=True)
out.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))
print(out, out.stat().st_size, "bytes")
