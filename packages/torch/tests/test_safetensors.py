"""latentlab_torch.safetensors: exact layout, round trips, F16/BF16 reads against torch's own conversions, and
the typed error for every malformed file."""
import json
import os
import random
import struct

import numpy as np
import pytest
import torch

from latentlab_torch.safetensors import MAX_HEADER_BYTES, SafetensorsError, dump_bytes, load_bytes, load_file, save_file


def raw_file(header, data=b"", pad=True):
    text = json.dumps(header).encode()
    if pad:
        text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def test_layout_follows_the_format():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([1.5, -2.0], dtype=np.float64)
    buf = dump_bytes({"b": b, "a": a}, {"format": "pt"})
    (n,) = struct.unpack("<Q", buf[:8])
    assert n % 8 == 0
    header = json.loads(buf[8:8 + n])
    assert list(header) == ["__metadata__", "a", "b"]  # metadata, then sorted names
    assert header["a"] == {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}
    assert header["b"] == {"dtype": "F64", "shape": [2], "data_offsets": [24, 40]}
    assert buf[8 + n:] == a.astype("<f4").tobytes() + b.astype("<f8").tobytes()
    assert len(buf) == 8 + n + 40


def test_round_trip_through_a_file(tmp_path):
    rng = np.random.default_rng(0)
    tensors = {"w": rng.standard_normal((3, 4)).astype(np.float32), "scalar": np.array(2.5, np.float32),
               "empty": np.zeros((0, 5), np.float32), "f64": rng.standard_normal(7)}
    path = tmp_path / "m.safetensors"
    save_file(tensors, str(path), {"format": "pt", "note": "é"})
    back, metadata = load_file(str(path))
    assert metadata == {"format": "pt", "note": "é"}
    assert set(back) == set(tensors)
    for k, v in tensors.items():
        assert back[k].dtype == v.dtype and back[k].shape == v.shape
        assert np.array_equal(back[k], v)
    assert dump_bytes(back, metadata) == path.read_bytes()  # re-serialising is bit-identical
    assert "é".encode() in path.read_bytes()  # UTF-8 in the header, as JSON.stringify writes it
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []


def test_save_replaces_a_planted_symlink_instead_of_following_it(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    link = tmp_path / "m.safetensors"
    link.symlink_to(victim)
    save_file({"x": np.ones(2, np.float32)}, str(link))
    assert victim.read_bytes() == b"keep"
    assert not link.is_symlink()


def test_reads_f16_and_bf16_as_torch_converts_them():
    values = torch.tensor([0.1, -3.3, 65504.0, 1e-7, float("inf")], dtype=torch.float32)
    half, bf = values.to(torch.float16), values.to(torch.bfloat16)
    data = half.numpy().astype("<f2").tobytes() + bf.view(torch.int16).numpy().astype("<i2").tobytes()
    buf = raw_file({"h": {"dtype": "F16", "shape": [5], "data_offsets": [0, 10]},
                    "b": {"dtype": "BF16", "shape": [5], "data_offsets": [10, 20]}}, data)
    tensors, _ = load_bytes(buf)
    assert tensors["h"].dtype == np.float32 and tensors["b"].dtype == np.float32
    assert np.array_equal(tensors["h"], half.float().numpy())
    assert np.array_equal(tensors["b"], bf.float().numpy())


GOOD = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}

MALFORMED = {
    "shorter than the length field": b"\x01\x02",
    "header length past the end": struct.pack("<Q", 1000) + b"{}",
    "header length over the bound": struct.pack("<Q", MAX_HEADER_BYTES + 8) + b"{}" + b" " * 6,
    "header length 2^64 - 1": struct.pack("<Q", 2**64 - 1) + b"{}",
    "header not JSON": struct.pack("<Q", 8) + b"{nope   ",
    "header not UTF-8": struct.pack("<Q", 8) + b"\xff\xfe{}    ",
    "header a list": raw_file([1, 2]),
    "unknown dtype": raw_file({"a": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}, bytes(8)),
    "negative dimension": raw_file({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, bytes(4)),
    "fractional dimension": raw_file({"a": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}, bytes(4)),
    "shape not a list": raw_file({"a": {"dtype": "F32", "shape": 2, "data_offsets": [0, 8]}}, bytes(8)),
    "offsets past the data": raw_file({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, bytes(4)),
    "offsets reversed": raw_file({"a": {"dtype": "F32", "shape": [0], "data_offsets": [4, 0]}}, bytes(4)),
    "offsets not integers": raw_file({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, "8"]}}, bytes(8)),
    "byte length against shape": raw_file({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, bytes(8)),
    "huge shape": raw_file({"a": {"dtype": "F32", "shape": [2**40, 2**40], "data_offsets": [0, 8]}}, bytes(8)),
    "overlapping tensors": raw_file({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                     "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, bytes(12)),
    "a gap between tensors": raw_file({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                                       "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}, bytes(12)),
    "trailing bytes": raw_file(GOOD, bytes(12)),
    "metadata not strings": raw_file({"__metadata__": {"n": 1}, **GOOD}, bytes(8)),
    "a name given twice": struct.pack("<Q", 24) + b'{"a":{},"a":{}}         ',
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_files_raise_the_typed_error(case):
    with pytest.raises(SafetensorsError, match="safetensors: .*expected"):
        load_bytes(MALFORMED[case])


def test_the_error_names_the_tensor():
    with pytest.raises(SafetensorsError, match="tensor 'b' "):
        load_bytes(MALFORMED["overlapping tensors"])


def test_oversized_files_are_refused_before_reading(tmp_path):
    path = tmp_path / "big.safetensors"
    path.write_bytes(dump_bytes({"x": np.zeros(1000, np.float32)}))
    with pytest.raises(SafetensorsError, match="at most 100 bytes"):
        load_file(str(path), max_bytes=100)


def test_the_writer_refuses_what_it_does_not_write():
    with pytest.raises(SafetensorsError, match="float32 or float64"):
        dump_bytes({"x": np.zeros(2, np.int64)})
    with pytest.raises(SafetensorsError, match="__metadata__"):
        dump_bytes({"__metadata__": np.zeros(2, np.float32)})


def test_fuzzed_files_load_or_raise_the_typed_error():
    good = dump_bytes({"a": np.arange(4, dtype=np.float32), "b": np.ones((2, 2), np.float64)}, {"format": "pt"})
    rng = random.Random(13)
    outcomes = {"loaded": 0, "rejected": 0}
    for _ in range(2000):
        buf = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(buf))
            buf[i] = rng.randrange(256)
        if rng.random() < 0.2:
            buf = buf[:rng.randrange(len(buf))]
        try:
            load_bytes(bytes(buf))
            outcomes["loaded"] += 1
        except SafetensorsError:
            outcomes["rejected"] += 1
    assert outcomes["rejected"] > 0 and outcomes["loaded"] > 0
