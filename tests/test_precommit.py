"""The pre-commit hook, run by pre-commit itself (`pre-commit try-repo` on this repository)
in a temporary git repository with a failing and a passing article.

pre-commit builds the hook's environment from this repository (``pip install .``). So that the
test fits CI (no model, no torch download), that install is told ``PIP_NO_DEPS=1`` and the
hook's interpreter finds the dependencies through PYTHONPATH in this test's environment; the
hook definition, the build of the package and the run are pre-commit's own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD = "Yesterday, le président a offert une voiture à son homologue lors de la visite officielle à Paris. Le desk a publié un fact-checking.\n"
GOOD = "Le président a offert une voiture à son homologue lors de la visite officielle à Paris.\n"


@pytest.fixture(scope="module")
def precommit():
    exe = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(exe).exists():
        pytest.skip("pre-commit is not installed (it is in the dev extra)")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit try-repo needs one")
    return exe


def _run(precommit, repo: Path, home: Path, *files: str):
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PIP_NO_DEPS": "1",
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.run(
        [precommit, "try-repo", str(ROOT), "mtaudit", "--files", *files],
        cwd=repo, capture_output=True, text=True, env=env, timeout=300,
    )


def test_hook_fails_on_a_translated_article_and_passes_a_french_one(precommit, tmp_path):
    repo = tmp_path / "newsroom"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "."], cwd=repo, check=True)
    (repo / "bad.md").write_text(BAD, encoding="utf-8")
    (repo / "good.md").write_text(GOOD, encoding="utf-8")
    (repo / "notes.py").write_text("x = 'Yesterday'\n", encoding="utf-8")  # not an article: not checked
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    home = tmp_path / "pc-home"
    bad = _run(precommit, repo, home, "bad.md", "good.md", "notes.py")
    out = bad.stdout
    assert bad.returncode == 1, out + bad.stderr
    assert "Failed" in out and "- hook id: mtaudit" in out
    # messages in French by default, the sentence-initial capital kept in the fix (issue 14)
    assert "bad.md:1:1: EN101 major «Yesterday» Anglais non traduit (mot) → Hier" in out
    assert "good.md" not in out and "notes.py" not in out
    good = _run(precommit, repo, home, "good.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
