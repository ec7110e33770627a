"""The README's install steps say what the Makefile and requirements.txt really do.

Windows has no make, so the README lists the same steps as plain commands; these tests
fail when the Makefile changes and that list does not (or the other way round).
"""

from __future__ import annotations

import re
import tomllib

import pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
# the make targets the Windows list stands for, in its order
WINDOWS_TARGETS = ["setup", "work", "lab", "test", "exercises"]


def recipe(target: str) -> list[str]:
    """The shell lines of a Makefile target, without silent (@) lines and optional $(if ...) steps."""
    if target == "setup":  # setup's recipe is the stamp rule's
        return recipe("$(STAMP)")
    m = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)+)", MAKEFILE, re.M)
    assert m, f"the Makefile has no target {target!r}"
    lines = [line.strip() for line in m.group(1).splitlines()]
    return [re.sub(r"\s*\$\(if [^\n]*\)$", "", line) for line in lines if line and not line.startswith(("@", "$(if"))]


def as_windows(line: str) -> str:
    line = line.replace("$(PYTHON) -m venv $(VENV)", "py -3.11 -m venv .venv")
    line = line.replace("$(BIN)/pip ", "$(BIN)/python -m pip ")
    return line.replace("$(BIN)/", ".venv\\Scripts\\")


def windows_block() -> list[str]:
    section = README.split("### Without make (Windows)", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "README's 'Without make' section has no command block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_windows_steps_are_the_makefiles():
    expected = [as_windows(line) for t in WINDOWS_TARGETS for line in recipe(t)]
    assert windows_block() == expected, (
        "README's 'Without make' commands differ from the Makefile's recipes; update one to match the other")


def test_the_quick_start_commands_exist():
    for target in re.findall(r"^make (\w[\w-]*)", README, re.M):
        assert re.search(rf"^{re.escape(target)}:", MAKEFILE, re.M), f"README says `make {target}`, the Makefile has no such target"


def test_the_cpu_only_install_uses_pytorchs_cpu_index_and_the_pinned_version():
    pin = re.search(r"^torch==(\S+)", (ROOT / "requirements.txt").read_text(), re.M)
    assert pin, "requirements.txt pins torch"
    setup = " ".join(recipe("setup"))
    assert f"torch=={pin.group(1)} --index-url $(TORCH_CPU_INDEX)" in MAKEFILE
    assert "download.pytorch.org/whl/cpu" in MAKEFILE and "TORCH=cpu" in README
    assert "pip install -r requirements.txt" in setup


def test_an_existing_pytorch_environment_gets_everything_else():
    """README's one pip line for people who already have torch installs every other requirement."""
    line = re.search(r"^pip install -e \. (.+)$", README, re.M)
    assert line, "README has no `pip install -e . ...` line for an existing PyTorch environment"
    named = set(line.group(1).split())
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    named |= {re.split(r"[<>=!~ ]", d)[0] for d in deps}
    for req in (ROOT / "requirements.txt").read_text().splitlines():
        req = req.split("#")[0].strip()
        if not req or req.startswith("-e"):
            continue
        name = re.split(r"[<>=!~ ]", req)[0]
        assert name in named, f"{name} is in requirements.txt but not in README's line for an existing environment"


def test_linux_without_an_nvidia_gpu_gets_the_cpu_build_by_default(tmp_path):
    """The Quick start's first command is right for the machine: no nvidia-smi on Linux means PyTorch's CPU index."""
    import os
    import platform
    import shutil
    import subprocess

    if platform.system() != "Linux" or shutil.which("make") is None:
        pytest.skip("the default is decided for Linux; this is not Linux or has no make")

    def dry_run(path: str, *args: str) -> str:
        env = {**os.environ, "PATH": path}
        env.pop("TORCH", None)
        return subprocess.run(["make", "-n", "-B", "setup", *args], cwd=ROOT, env=env, capture_output=True, text=True).stdout

    plain = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                            if not (Path(p) / "nvidia-smi").exists())
    assert "--index-url https://download.pytorch.org/whl/cpu" in dry_run(plain)
    assert "--index-url" not in dry_run(plain, "TORCH=pypi")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "nvidia-smi").write_text("#!/bin/sh\nexit 0\n")
    (fake / "nvidia-smi").chmod(0o755)
    assert "--index-url" not in dry_run(f"{fake}{os.pathsep}{plain}"), "with an NVIDIA GPU, PyPI's CUDA build"
