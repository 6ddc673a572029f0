"""The committed fixtures are what scripts/make_fixtures.py makes: rerunning it writes byte-identical files, except
where LAPACK computes the numbers (scikit-learn's PCA: an SVD). OpenBLAS picks its kernels for the CPU it runs on
(AVX-512 or AVX2, or as $OPENBLAS_CORETYPE says) and its thread count, so the SVD's last bits differ from one
machine to the next (seen: totalVariance 1181.822973947895 with Haswell kernels on 2 threads, …896 on 1 thread,
…8952 with AVX-512 kernels). Those files are checked value by value instead: the same names, dtypes, shapes and
text, float64 numbers within 1e-12 relative, float32 numbers (float64 results rounded) within one ulp."""
import json
import math
import os
import subprocess
import sys

import numpy as np

from conftest import FIXTURES, PACKAGE
from latentlab_torch.safetensors import load_file

LAPACK_CASES = {"sklearn-pca"}


def close_json(made, committed):
    """Whether two parsed JSON values are equal, numbers within 1e-12 relative."""
    if isinstance(committed, float) or isinstance(made, float):
        return isinstance(made, (int, float)) and math.isclose(made, committed, rel_tol=1e-12, abs_tol=0)
    if isinstance(committed, dict):
        return isinstance(made, dict) and made.keys() == committed.keys() and all(
            close_json(made[k], committed[k]) for k in committed)
    if isinstance(committed, list):
        return isinstance(made, list) and len(made) == len(committed) and all(
            close_json(a, b) for a, b in zip(made, committed))
    return made == committed


def close_arrays(made, committed):
    """float64: within 1e-12 of the array's largest magnitude; float32: within one ulp; anything else: equal."""
    if made.dtype != committed.dtype or made.shape != committed.shape:
        return False
    if committed.dtype == np.float64:
        scale = float(np.abs(committed).max(initial=0.0))
        return bool(np.all(np.abs(made - committed) <= 1e-12 * scale))
    if committed.dtype == np.float32:
        return bool(np.all(np.abs(made - committed) <= np.spacing(np.maximum(np.abs(made), np.abs(committed)))))
    return bool(np.array_equal(made, committed))


def same_values(made_path, committed_path):
    if made_path.endswith(".json"):
        with open(made_path) as a, open(committed_path) as b:
            return close_json(json.load(a), json.load(b))
    (made, made_meta), (committed, committed_meta) = load_file(made_path), load_file(committed_path)
    parse = lambda meta: {k: json.loads(v) if k == "latentlab" else v for k, v in meta.items()}  # noqa: E731
    return (made.keys() == committed.keys() and close_json(parse(made_meta), parse(committed_meta))
            and all(close_arrays(made[k], committed[k]) for k in committed))


def test_the_fixture_script_reproduces_the_committed_fixtures(tmp_path):
    script = os.path.join(PACKAGE, "scripts", "make_fixtures.py")
    subprocess.run([sys.executable, script, str(tmp_path)], check=True, timeout=600)
    cases = sorted(os.listdir(tmp_path))
    # The fixtures folder also holds cases other scripts make (the TS side's tfjs and dtype fixtures).
    committed = {c for c in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, c))}
    assert cases == sorted(
        ["pytorch-examples-vae", "pythae-vae", "pythae-ae", "latentlab-mlp-ae", "latentlab-mlp-vae", "sklearn-pca"]
    )
    assert set(cases) <= committed
    for case in cases:
        made = sorted(os.listdir(tmp_path / case))
        assert made == sorted(os.listdir(os.path.join(FIXTURES, case)))
        for name in made:
            mine, theirs = str(tmp_path / case / name), os.path.join(FIXTURES, case, name)
            with open(mine, "rb") as a, open(theirs, "rb") as b:
                if a.read() == b.read():
                    continue
            assert case in LAPACK_CASES, f"{case}/{name} differs"
            assert same_values(mine, theirs), f"{case}/{name} differs beyond the last bits of an SVD"


def test_the_lapack_comparison_tells_last_bits_from_real_changes(tmp_path):
    """same_values accepts the committed PCA fixture with one float64 moved by a few ulps (and the float32
    outputs that follow), and refuses it with one number changed in its 7th digit."""
    from latentlab_torch.safetensors import save_file
    case = os.path.join(FIXTURES, "sklearn-pca")
    tensors, meta = load_file(os.path.join(case, "model.safetensors"))
    name = sorted(tensors)[0]
    for factor, accepted in [(1 + 4e-16, True), (1 + 1e-7, False)]:
        changed = {k: v.copy() for k, v in tensors.items()}
        flat = changed[name].reshape(-1)
        i = int(np.argmax(np.abs(flat)))
        flat[i] = flat[i] * factor
        path = str(tmp_path / f"model-{accepted}.safetensors")
        save_file(changed, path, meta)
        assert same_values(path, os.path.join(case, "model.safetensors")) is accepted
    with open(os.path.join(case, "case.json")) as f:
        info = json.load(f)
    info["latentlab"]["pca"]["totalVariance"] *= 1 + 1e-9
    with open(tmp_path / "case.json", "w") as f:
        json.dump(info, f)
    assert not same_values(str(tmp_path / "case.json"), os.path.join(case, "case.json"))
