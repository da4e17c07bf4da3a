"""Every path the project uses, and the settings it reads from the environment, in one place.

The project folder is found from ``BAOCAO_HOME`` if set, else by walking up from the
working directory to a folder holding ``data/catalogue`` (so notebooks run from
``notebooks/`` find it), else the checkout this package was installed from.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

# How the README runs the command, in the project folder: every command line printed for the user to
# type (next steps, undo, the plan's header) takes this form. A bare `baocao` exists only inside the
# activated environment and gives "command not found" in a shell that follows the README.
RUN = "./run baocao"


@cache
def _home(cwd: str, env: str | None) -> Path:
    if env:
        return Path(env).resolve()
    here = Path(cwd).resolve()
    for p in (here, *here.parents):
        if (p / "data" / "catalogue").is_dir():
            return p
    return Path(__file__).resolve().parents[2]


def home() -> Path:
    return _home(os.getcwd(), os.environ.get("BAOCAO_HOME"))


def data_dir() -> Path:
    return home() / "data"


def catalogue_dir() -> Path:
    return data_dir() / "catalogue"


def default_observation_files() -> list[Path]:
    return [data_dir() / "thoai_son" / "observations.csv"]


def default_published_files() -> list[Path]:
    return [data_dir() / "thoai_son" / "published.csv"]


def notebooks_dir() -> Path:
    return home() / "notebooks"


def outputs_dir() -> Path:
    return Path(os.environ.get("BAOCAO_OUTPUTS", home() / "outputs"))


def warm_kernel_limits() -> tuple[int, float]:
    """When a build's warm kernel is replaced: after ``BAOCAO_WARM_MAX_RUNS`` reports (default 500)
    or past ``BAOCAO_WARM_MAX_MB`` MB of resident memory (default 1024). Raises ``ValueError``
    naming the variable when one is not a positive number."""
    out = []
    for name, default, kind in (("BAOCAO_WARM_MAX_RUNS", "500", int), ("BAOCAO_WARM_MAX_MB", "1024", float)):
        text = os.environ.get(name, default)
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0:
            what = "a whole number" if kind is int else "a number"
            raise ValueError(f"{name} must be {what} above 0 / phải là một số lớn hơn 0, not {text!r}")
        out.append(value)
    return out[0], out[1]
