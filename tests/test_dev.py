"""``python3 dev.py`` repairs an environment whose creation was interrupted (a venv without pip)."""

from __future__ import annotations

import importlib.util
import subprocess
import venv
from pathlib import Path
from types import ModuleType

from site_fixtures import ROOT


def _dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_venv_left_without_pip_is_created_again(tmp_path: Path) -> None:
    dev = _dev()
    broken = tmp_path / ".venv"
    venv.EnvBuilder(with_pip=False).create(broken)  # what an interrupted `python3 dev.py` leaves
    python = broken / "bin" / "python"
    assert subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, check=False).returncode != 0
    assert not dev.venv_works(broken)
    dev.ensure_venv(broken)
    assert dev.venv_works(broken)
    assert subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, check=False).returncode == 0


def test_a_venv_without_its_python_is_created_again(tmp_path: Path) -> None:
    dev = _dev()
    broken = tmp_path / ".venv"
    (broken / "bin").mkdir(parents=True)
    (broken / "pyvenv.cfg").write_text("home = /nowhere\n")
    assert not dev.venv_works(broken)
    dev.ensure_venv(broken)
    assert dev.venv_works(broken)
