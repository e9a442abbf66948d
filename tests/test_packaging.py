"""The wheel carries what an installed tagger needs: its code and the bundled model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_an_installed_wheel_tags_with_the_bundled_model(tmp_path):
    source = tmp_path / "source"  # a copy, so building leaves no build/ or egg-info in the tree
    for name in ("tagger", "models"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    build = ["wheel", "--no-build-isolation", "--no-deps", "--no-index", "--quiet", "--wheel-dir"]
    subprocess.run(
        [sys.executable, "-m", "pip", *build, str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("tagger-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    packed = site / "tagger" / "_models" / "default.joblib"
    assert packed.read_bytes() == (ROOT / "models" / "default.joblib").read_bytes()

    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("TAGGER_MODEL", None)
    seed = ROOT / "seeds" / "002_b7a2f105e4d17e60.txt"
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tagger.tagging as t; print(t.__file__, t.default_model_path())",
        ],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert found == [str(site / "tagger" / "tagging.py"), str(packed)]
    command = [sys.executable, "-m", "tagger", "tag", str(seed), "-f", "json"]
    installed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    assert all(article["topics"] for article in json.loads(installed.stdout))
    env.pop("PYTHONPATH")  # the same command from the source tree: the same tags
    assert installed.stdout == subprocess.check_output(command, env=env, text=True)
