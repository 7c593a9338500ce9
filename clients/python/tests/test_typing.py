"""The packages pass mypy --strict (the configuration is in pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent
# mypy's incremental cache (it re-checks whatever changed); outside the source tree.
CACHE = Path(os.environ.get("KUBERAY_TS_CACHE", Path.home() / ".cache" / "kuberay-ts")) / "python-client-mypy-cache"


def test_mypy_strict_passes_on_the_packages() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(CACHE), "src"],
        cwd=PKG,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_packages_are_marked_typed() -> None:
    assert (PKG / "src" / "python_client" / "py.typed").is_file()
    assert (PKG / "src" / "python_apiserver_client" / "py.typed").is_file()
