"""papercat as an installed tool: the wheel, ``papercat new``, and the two ways to build a catalogue.

The wheel is built from a copy of the sources (nothing is written into the checkout) and
installed into a fresh virtual environment. Its dependencies (MkDocs, Material, scikit-learn,
...) are not downloaded again: the environment sees the test environment's site-packages
through a ``.pth`` line, which adds that folder to ``sys.path`` without running its ``.pth``
files, so the development checkout's editable install stays invisible and ``generator``,
its bundled defaults and its entry points come from the wheel alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from site_fixtures import ROOT, settled, tree_digest

pytestmark = pytest.mark.site

LISTING = ROOT / "tests" / "fixtures" / "listings" / "daily_invented.txt"


def _run(*cmd: str | Path, cwd: Path, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PAPERCAT_DEBUG", "PAPERCAT_SITE_URL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the papercat wheel installed; returns its bin folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
         "-w", tmp / "dist", source, cwd=tmp)
    (wheel,) = (tmp / "dist").glob("papercat-*.whl")
    # The wheel is built beside the sources, not in their build/: that is the catalogue's working folder,
    # which a build refuses to use once it holds files papercat did not write.
    assert not (source / "build").exists() and (source / ".setuptools-build").is_dir()
    names = zipfile.ZipFile(wheel).namelist()
    for bundled in ("generator/defaults/config/topics.yml", "generator/defaults/config/templates/pages/paper.md.j2",
                    "generator/defaults/config/theme/main.html", "generator/defaults/config/assets/papercat.css",
                    "generator/defaults/project/mkdocs.yml", "generator/defaults/project/github/workflows/site.yml",
                    "generator/plugin.py"):
        assert bundled in names, bundled

    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet",
         "--disable-pip-version-check", wheel, cwd=tmp)
    site_packages = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).stdout.strip())
    (site_packages / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    where = _run(python, "-c", "import generator; print(generator.__file__)", cwd=tmp).stdout.strip()
    assert Path(where).is_relative_to(env_dir), f"generator imported from {where}, not from the wheel"
    return bin_dir


def test_new_catalogue_builds_with_papercat_and_with_plain_mkdocs(installed: Path, tmp_path: Path) -> None:
    version = _run(installed / "papercat", "--version", cwd=tmp_path)
    assert version.stdout.startswith("papercat ")

    work = tmp_path / "work"
    work.mkdir()
    created = _run(installed / "papercat", "new", "catalogue", cwd=work)
    project = work / "catalogue"
    files = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/site.yml", ".gitignore", "README.md", "content/example.yml", "mkdocs.yml",
        "requirements.txt", "site_config/site.yml",
    ]
    assert "dev.py" not in created.stdout
    shutil.copy(LISTING, project / "content" / "daily.txt")

    build = _run(installed / "papercat", "build", cwd=project)
    output = build.stdout + build.stderr
    assert "dev.py" not in output and "Traceback" not in output
    assert "records read 7 = papers 7 + merged 0 + rejected 0 (reconciles)" in output, output
    site = project / "site"
    assert (site / "index.html").is_file() and (site / "assets" / "papercat.css").is_file()
    assert len(list((site / "papers").glob("*/index.html"))) == 7
    assert "Attention Is All You Need" in (site / "index.html").read_text(encoding="utf-8")

    plain = _run(installed / "python", "-m", "mkdocs", "build", "--strict", "--site-dir", tmp_path / "mkdocs-site", cwd=project)
    log = plain.stdout + plain.stderr
    assert "WARNING" not in log and "not included in the" not in log, log
    # The same site, byte for byte: the plugin does the same work inside `mkdocs build`.
    assert tree_digest(tmp_path / "mkdocs-site") == tree_digest(site)
    # Only the site and the build state were written into the project.
    assert sorted(p.name for p in settled(project).iterdir()) == sorted(
        [".github", ".gitignore", "README.md", "build", "content", "mkdocs.yml", "requirements.txt", "site", "site_config"]
    )

    again = _run(installed / "papercat", "new", "catalogue", cwd=work, check=False)
    assert again.returncode != 0 and "not empty" in again.stderr and "Traceback" not in again.stderr


def test_installed_commands_outside_a_checkout(installed: Path, tmp_path: Path) -> None:
    """Every command works from the installed wheel in an unrelated folder, or says clearly what it needs."""
    nothing = _run(installed / "papercat", "build", cwd=tmp_path, check=False)
    assert nothing.returncode == 2 and "mkdocs.yml" in nothing.stderr and "papercat new" in nothing.stderr
    labels = _run(installed / "papercat", "topics", "eval", cwd=tmp_path, check=False)
    assert labels.returncode == 2 and "--labels" in labels.stderr and "Traceback" not in labels.stderr


def test_mkdocs_gh_deploy_publishes_the_catalogue(installed: Path, tmp_path: Path) -> None:
    """``mkdocs gh-deploy`` builds with the plugin and pushes the whole catalogue to the gh-pages branch."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to check gh-deploy")
    work = tmp_path / "work"
    work.mkdir()
    _run(installed / "papercat", "new", "catalogue", cwd=work)
    project = work / "catalogue"
    shutil.copy(LISTING, project / "content" / "daily.txt")
    remote = tmp_path / "remote.git"
    git_env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
               "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str | Path, cwd: Path = project) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *map(str, args)], cwd=cwd, env={**os.environ, **git_env}, capture_output=True,
                              text=True, timeout=120, check=True)

    git("init", "--bare", "--quiet", remote, cwd=tmp_path)
    git("init", "--quiet", "--initial-branch", "main")
    git("add", "-A")
    git("commit", "--quiet", "-m", "catalogue")
    git("remote", "add", "origin", remote)
    deploy = subprocess.run(
        [str(installed / "python"), "-m", "mkdocs", "gh-deploy", "--force", "--no-history"], cwd=project,
        env={**os.environ, **git_env}, capture_output=True, text=True, timeout=600, check=False,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert "Traceback" not in deploy.stderr
    published = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).stdout.split()
    assert "index.html" in published and "assets/papercat.css" in published and ".nojekyll" in published
    assert len([p for p in published if p.startswith("papers/") and p.endswith("/index.html")]) == 7
    home = git("show", "gh-pages:index.html", cwd=remote).stdout
    assert "Attention Is All You Need" in home
