"""The outputs folder's record: ``outputs/manifest.json`` (one entry per report, rewritten
atomically after every change), the index pages made from it, and the other formats of the
reports (PDF, Word, workbook) written once a build's reports are done.
"""

from __future__ import annotations

import json
from pathlib import Path

from baocao.build.changes import sha256_bytes, sha256_json
from baocao.build.plans import Plan
from baocao.io.filestamps import FileHashes, source_hash
from baocao.io.tables import atomic_write_text

MANIFEST = "manifest.json"
INDEX = "index.html"
FORMAT = 1
EXTRA_FORMATS = (
    "xlsx",
    "pdf",
    "docx",
)  # made from a report's HTML and notebook after it is written (baocao.export.formats)


# ---------------------------------------------------------------- manifest


class Manifest:
    """``outputs/manifest.json``: one entry per report, rewritten atomically after every change."""

    def __init__(self, outputs: Path, hashes: FileHashes | None = None):
        self.outputs = Path(outputs)
        self.hashes = hashes or FileHashes()
        self.path = self.outputs / MANIFEST
        self.data: dict = {"format": FORMAT, "reports": {}}
        self.warning = ""
        self._verified: dict[str, str] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(data, dict) or not isinstance(data.get("reports"), dict):
                    raise ValueError("no 'reports' mapping")
                if data.get("format", FORMAT) != FORMAT:
                    raise ValueError(f"format {data.get('format')!r}, this baocao writes format {FORMAT}")
                self.data = data
            except (ValueError, OSError) as exc:
                self.warning = (
                    f"{self.path}: không đọc được manifest ({exc}), mọi báo cáo được lập lại / unreadable "
                    "manifest; every report is rebuilt"
                )

    @property
    def reports(self) -> dict:
        return self.data["reports"]

    def output_problem(self, key: str) -> str:
        """ "" when every output the entry claims exists with the recorded hash, else the reason."""
        entry = self.reports.get(key) or {}
        outs = entry.get("outputs") or {}
        if entry.get("status") in ("ok", "skipped") and not {"html", "ipynb"} <= set(outs):
            return "output missing"
        for out in outs.values():
            problem = self._problem(out)
            if problem:
                return problem
        return ""

    def intact(self, out: dict) -> bool:
        """The output ``out`` (an entry's ``{"path", "sha256", …}``) is on disk as recorded."""
        return not self._problem(out)

    def _problem(self, out: dict) -> str:
        """ "" when the output ``out`` is on disk as recorded, else "output missing" or "output changed"."""
        path = out.get("path") or ""
        if not path or Path(path).is_absolute() or ".." in Path(path).parts:
            return "output missing"
        digest = self._verified.get(path) or self.hashes.sha256(self.outputs / path)
        if digest is None:
            return "output missing"
        if digest != out.get("sha256"):
            return "output changed"
        self._verified[path] = digest
        return ""

    def last_good_page(self, key: str) -> dict:
        """What a report that fails now keeps of its last successful run: ``{"outputs": the page's
        files as recorded (HTML, notebook, other formats), "page": {"started", "title",
        "headline", "marks"}}``, or ``{}`` when there is no such page or its HTML or notebook is no longer
        as recorded. A page kept through several failures keeps the date of its own run."""
        entry = self.reports.get(key) or {}
        if entry.get("status") in ("ok", "skipped"):
            page = {k: entry.get(k) for k in ("started", "title", "headline", "marks")}
        else:
            page = entry.get("page")
        outs = {k: o for k, o in (entry.get("outputs") or {}).items() if k != "failed_ipynb"}
        if not page or not {"html", "ipynb"} <= set(outs):
            return {}
        kept = {k: o for k, o in outs.items() if self.intact(o)}
        if not {"html", "ipynb"} <= set(kept):
            return {}
        return {"outputs": kept, "page": dict(page)}

    def verified(self, path: str, digest: str | None) -> None:
        """Remember the hash of an output this build wrote (None: removed)."""
        if digest is None:
            self._verified.pop(path, None)
        else:
            self._verified[path] = digest

    def save(self) -> None:
        atomic_write_text(
            self.path, json.dumps(self.data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        )


# ---------------------------------------------------------------- index pages and formats


def index_entries(manifest: Manifest, keys=None) -> list[dict]:
    """The index page's entries: every report of the manifest, or those of ``keys`` (one plan)."""
    from baocao.export.formats import is_made  # PDF, Word, Excel beside a page (light: no pandas)

    out = []
    for key, e in sorted(manifest.reports.items()):
        if keys is not None and key not in keys:
            continue
        status = "failed" if e.get("status") == "failed" else "ok"
        if status == "ok" and manifest.output_problem(key):
            continue  # a report whose files are gone is not listed
        outs = e.get("outputs") or {}
        # a failed report's last good page, linked and marked out of date (while it is intact)
        page = e.get("page") if status == "failed" and "html" in outs else None
        if page and not all(manifest.intact(outs[k]) for k in ("html", "ipynb") if k in outs):
            page = None
        shown = status == "ok" or page is not None
        failed_nb = outs.get("failed_ipynb", {}).get("path", "")
        out.append(
            {
                "notebook": e["notebook"],
                "notebook_title": e.get("notebook_title") or e["notebook"],
                "unit_code": e["unit"],
                "unit_name": e.get("unit_name") or e["unit"],
                "level": e.get("level") or "",
                "year": e["year"],
                "year_from": e.get("year_from"),
                "href": outs["html"]["path"] if shown else "",
                "status": status,
                "headline": [tuple(p) for p in (page or e).get("headline") or []],
                "marks": (page or e).get("marks") or {},
                "lang": e.get("lang") or "vi",
                "files": {fmt: o["path"] for fmt, o in outs.items() if is_made(fmt) and shown},
                "error": (e.get("error", "") + (f" — {failed_nb}" if failed_nb else ""))
                if status == "failed"
                else "",
                **({"page_date": str(page.get("started") or "")[:10]} if page else {}),
            }
        )
    return out


def plan_index(plan: Plan) -> str:
    """File name of a plan's own index page: ``index-thoai_son.html`` for params/thoai_son.yml."""
    import re

    return "index-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(plan.path).stem).strip("-.") or "plan") + ".html"


def write_index(manifest: Manifest, plan: Plan) -> None:
    """The plan's own index page (its reports only: plans sharing an output folder never
    overwrite each other's) and ``index.html``, the top page linking every plan's index. Not even
    rendered when both pages on disk are the ones rendered last time from the same entries, plans,
    title, language and baocao source (rendering loads jinja2 and bs4: a no-op build needs neither)."""
    title = plan.title or ("Báo cáo" if plan.lang == "vi" else "Reports")
    entries = index_entries(manifest, {r.key for r in plan.reports})
    name = plan_index(plan)
    plans = manifest.data.setdefault("plans", {})
    # the plan's file name only: no folder of this machine on the page
    plans[name] = {
        "name": Path(plan.path).name,
        "title": title,
        "index": name,
        "lang": plan.lang,
        "reports": len(entries),
        "failed": sum(e["status"] == "failed" for e in entries),
        "illustrative": any((e.get("marks") or {}).get("banner") for e in entries),
    }
    listed = [p for n, p in sorted(plans.items()) if n == name or (manifest.outputs / n).is_file()]
    paths = [manifest.outputs / name, manifest.outputs / INDEX]
    hashes = manifest.hashes
    key = sha256_json(
        {
            "entries": entries,
            "title": title,
            "lang": plan.lang,
            "plans": listed,
            "source": source_hash(hashes),
            "paths": [str(p.resolve()) for p in paths],
        }
    )
    known = hashes.recall("index", key)
    if known and [hashes.sha256(p) for p in paths] == known:
        return
    from baocao.build.html import render_index, render_plans

    pages = [
        render_index(entries, title=title, lang=plan.lang, home=INDEX),
        render_plans(listed, title="Báo cáo" if plan.lang == "vi" else "Reports", lang=plan.lang),
    ]
    for path, page in zip(paths, pages, strict=True):
        if not path.exists() or path.read_text(encoding="utf-8") != page:
            atomic_write_text(path, page)
    hashes.remember("index", key, [sha256_bytes(p.encode("utf-8")) for p in pages])
    hashes.save()


def finish_outputs(manifest: Manifest, plan: Plan, items: list, console, before_index=None) -> None:
    """The other formats of the plan's reports (PDF, Word, workbook: :mod:`baocao.export.formats`),
    recorded in their manifest entries, then ``before_index()`` (the builder's check that every
    page it claims exists), then the index pages."""
    from baocao.export.formats import write_formats

    spent = write_formats(
        manifest.outputs,
        manifest.reports,
        [i.key for i in items],
        plan.formats,
        signed=plan.date,
        issuers=plan.issuer,
        console=console,
        on_saved=manifest.verified,
    )
    if spent:
        manifest.save()
        console.print(
            "formats: "
            + ", ".join(f"{n} {fmt} ({s:.1f} s, {s / n:.2f} s each)" for fmt, (s, n) in spent.items())
        )
    if before_index is not None:
        before_index()
    write_index(manifest, plan)
