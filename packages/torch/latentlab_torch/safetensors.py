"""A small safetensors reader and writer (numpy + struct + json), following the format exactly:

    [u64 little-endian N][N bytes of JSON header][raw little-endian tensor data]

The header maps each tensor name to ``{"dtype", "shape", "data_offsets": [begin, end]}`` (offsets relative to
the end of the header) plus an optional ``"__metadata__": {str: str}``. Files are hostile until checked: the
header size is bounded, every offset lies inside the data, tensors neither overlap nor leave gaps, each byte
length equals prod(shape) * itemsize, and any breach raises :class:`SafetensorsError` naming the tensor.

Written: F32 and F64, tensors in sorted name order, contiguous, header padded with spaces to a multiple of 8
(as the reference implementation does). Read: F32, F64, F16 and BF16 (BF16 is widened to float32 exactly).

Example::

    save_file({"w": np.ones((2, 3), np.float32)}, "m.safetensors", {"format": "pt"})
    tensors, metadata = load_file("m.safetensors")   # {"w": array [2, 3] float32}, {"format": "pt"}
"""
import json
import os
import struct
import tempfile

import numpy as np

#: Largest JSON header accepted (the reference implementation's limit is 100 MB).
MAX_HEADER_BYTES = 100_000_000

_READ_DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8"), "F16": np.dtype("<f2"), "BF16": np.dtype("<u2")}
_WRITE_DTYPES = {np.dtype("float32"): "F32", np.dtype("float64"): "F64"}


class SafetensorsError(ValueError):
    """A malformed or unsupported safetensors file; the message says what was expected and what was found."""


def _fail(what, expected, found):
    raise SafetensorsError(f"safetensors: {what}: expected {expected}, found {found}")


def _unique_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        _fail("header", "unique names", "a name given twice: " + repr(sorted(k for k in keys if keys.count(k) > 1)[0]))
    return dict(pairs)


def _check_shape(name, shape):
    if not isinstance(shape, list) or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape):
        _fail(f"tensor '{name}' shape", "a list of integers >= 0", repr(shape))
    count = 1
    for s in shape:
        count *= s
    return count


def parse_header(raw, data_len):
    """Checks a decoded header against the data length; returns (entries sorted by offset, metadata)."""
    if not isinstance(raw, dict):
        _fail("header", "a JSON object", type(raw).__name__)
    metadata = raw.get("__metadata__", {})
    if not isinstance(metadata, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        _fail("__metadata__", "an object of strings", repr(metadata)[:200])
    entries = []
    for name, info in raw.items():
        if name == "__metadata__":
            continue
        if not isinstance(info, dict):
            _fail(f"tensor '{name}'", "an object {dtype, shape, data_offsets}", repr(info)[:200])
        dtype = info.get("dtype")
        if dtype not in _READ_DTYPES:
            _fail(f"tensor '{name}' dtype", "one of " + ", ".join(_READ_DTYPES), repr(dtype))
        count = _check_shape(name, info.get("shape"))
        offsets = info.get("data_offsets")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
            _fail(f"tensor '{name}' data_offsets", "[begin, end] integers", repr(offsets))
        begin, end = offsets
        if not 0 <= begin <= end <= data_len:
            _fail(f"tensor '{name}' data_offsets", f"0 <= begin <= end <= {data_len}", repr(offsets))
        size = _READ_DTYPES[dtype].itemsize
        if end - begin != count * size:
            _fail(f"tensor '{name}' byte length", f"{count} x {size} = {count * size} (shape {info['shape']})",
                  end - begin)
        entries.append((name, dtype, tuple(info["shape"]), begin, end))
    entries.sort(key=lambda e: (e[3], e[4]))
    position = 0
    for name, _, _, begin, end in entries:
        if begin != position:
            what = "overlaps the previous tensor" if begin < position else "leaves a gap before it"
            _fail(f"tensor '{name}' data_offsets", f"begin {position} (contiguous data)", f"{begin}: it {what}")
        position = end
    if position != data_len:
        _fail("data", f"{position} bytes (the end of the last tensor)", f"{data_len} bytes")
    return entries, metadata


def load_bytes(buf):
    """Parses a whole safetensors file from bytes: returns ({name: float32/float64 ndarray}, metadata)."""
    buf = memoryview(buf)
    if len(buf) < 8:
        _fail("file", "at least 8 bytes (the header length)", f"{len(buf)} bytes")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > MAX_HEADER_BYTES or n > len(buf) - 8:
        _fail("header length", f"at most {min(MAX_HEADER_BYTES, len(buf) - 8)} bytes", n)
    try:
        raw = json.loads(bytes(buf[8:8 + n]).decode("utf-8"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError) as e:
        _fail("header", "UTF-8 JSON", f"{type(e).__name__}: {e}")
    data = buf[8 + n:]
    entries, metadata = parse_header(raw, len(data))
    tensors = {}
    for name, dtype, shape, begin, end in entries:
        a = np.frombuffer(data[begin:end], dtype=_READ_DTYPES[dtype])
        if dtype == "BF16":  # bfloat16 is the top half of a float32
            a = (a.astype(np.uint32) << 16).view(np.float32)
        elif dtype == "F16":
            a = a.astype(np.float32)
        tensors[name] = a.astype(a.dtype.newbyteorder("="), copy=True).reshape(shape)
    return tensors, metadata


def load_file(path, max_bytes=4 << 30):
    """Reads a safetensors file (checking its size, at most ``max_bytes``, before reading): (tensors, metadata)."""
    size = os.path.getsize(path)
    if size > max_bytes:
        _fail(f"file {path}", f"at most {max_bytes} bytes", f"{size} bytes")
    with open(path, "rb") as f:
        return load_bytes(f.read(max_bytes + 1))


def dump_bytes(tensors, metadata=None):
    """Serialises {name: ndarray (float32 or float64)} with string metadata to safetensors bytes."""
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        if not isinstance(name, str) or name == "__metadata__":
            raise SafetensorsError(f"safetensors: tensor name: expected a string other than __metadata__, found {name!r}")
        a = np.asarray(tensors[name])
        if a.dtype not in _WRITE_DTYPES:
            _fail(f"tensor '{name}' dtype", "float32 or float64", a.dtype)
        b = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": _WRITE_DTYPES[a.dtype], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            _fail("__metadata__", "an object of strings", repr(metadata)[:200])
        header = {"__metadata__": dict(metadata), **header}
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")  # as JSON.stringify
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def write_atomic(path, data):
    """Writes bytes to ``path`` through an exclusive temp file beside it, fsync and os.replace (never through a
    planted symlink: the link itself is replaced)."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.{os.getpid()}.", suffix=".tmp", dir=directory)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 -> what open() would give
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_file(tensors, path, metadata=None):
    """Writes {name: ndarray} as a safetensors file, atomically (see :func:`write_atomic`)."""
    write_atomic(path, dump_bytes(tensors, metadata))
