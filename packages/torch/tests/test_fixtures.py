"""The committed fixtures are what scripts/make_fixtures.py makes: rerunning it writes byte-identical files."""
import os
import subprocess
import sys

from conftest import FIXTURES, PACKAGE


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
            with open(os.path.join(FIXTURES, case, name), "rb") as f:
                assert (tmp_path / case / name).read_bytes() == f.read(), f"{case}/{name} differs"
