"""Reproducible to the byte, and nothing of the machine in what we share."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BAOCAO = str(Path(sys.executable).parent / "baocao")
PLAN = (
    "title: Tái lập\nlang: vi\nyears: [2023]\n"
    "reports:\n  - notebooks: [district_report, data_quality]\n    district: 894\n"
    "  - notebook: commune_report\n    communes: [30727]\n"
)

pytestmark = pytest.mark.slow


def _build(
    procs, plan: Path, out: Path, cwd: Path, env: dict | None = None, wrap: list[str] | None = None
) -> None:
    cmd = [*(wrap or []), BAOCAO, "build", str(plan), "--outputs", str(out), "--force", "--jobs", "2"]
    res = procs.run(
        cmd, cwd=cwd, env={**os.environ, "BAOCAO_HOME": str(ROOT), **(env or {})}
    )  # bounded; stacks if it hangs
    assert res.returncode == 0, res.stdout


def _shared_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in (".html", ".ipynb"))


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("plan") / "small.yml"
    p.write_text(PLAN, encoding="utf-8")
    return p


def test_two_clean_builds_are_byte_identical(plan, tmp_path, procs):
    a, b = tmp_path / "a", tmp_path / "b"
    _build(procs, plan, a, ROOT)
    _build(procs, plan, b, ROOT)
    files_a = _shared_files(a)
    assert len(files_a) >= 7  # 3 reports × (html + ipynb) + index
    assert [p.relative_to(a) for p in files_a] == [p.relative_to(b) for p in _shared_files(b)]
    for p in files_a:
        assert p.read_bytes() == (b / p.relative_to(a)).read_bytes(), (
            f"{p.relative_to(a)} differs between two clean builds"
        )


def test_nothing_of_the_machine_leaks(plan, tmp_path, procs):
    odd_cwd = tmp_path / "thư mục lạ ĐẶC_BIỆT"
    odd_cwd.mkdir()
    out = tmp_path / "outputs"
    user = "nguoidung_bimat_4711"
    env = {"USER": user, "LOGNAME": user, "HOME": str(tmp_path / "home-of-" / user)}
    wrap = None
    host = socket.gethostname()
    if os.geteuid() == 0 and shutil.which("unshare"):
        host = "may-bi-mat-4711"
        wrap = ["unshare", "--uts", "sh", "-c", f'hostname {host} && exec "$0" "$@"']
    _build(procs, plan, out, odd_cwd, env=env, wrap=wrap)
    secrets = [str(ROOT), str(tmp_path), str(odd_cwd), user, host, "/root", "/home/", "/tmp/"]
    files = _shared_files(out)
    assert files
    for p in files:
        text = p.read_text(encoding="utf-8")
        for s in secrets:
            assert s not in text, f"{p.relative_to(out)} reveals {s!r}"
