"""The HTTP side of ``baocao preview``: serve ``outputs/`` and nothing else, with live reload.

A request path is decoded once (``%2e%2e`` is ``..``, ``%2F`` is ``/``) and refused (403) when
it holds ``..`` or ``.`` segments, a hidden name (``.baocao.lock``, temp files), a backslash or
a NUL byte, or when the file it names — symlinks resolved — lies outside ``outputs/``. Folders
are served as their ``index.html``, never listed. HTML pages get the reload script inserted
before ``</body>`` as they are sent; the files themselves are not changed.

``GET /__baocao/state?page=/2024/30682/commune_report.html`` answers the script (JSON):
``{"version", "status": "ok|failed|running|queued|unknown", "error", "problem"}``. A failed
report's page, whose HTML the build removed, is served as a page showing the error.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

STATE_PATH = "/__baocao/state"
POLL_MS = 50  # between two answers of the state (each held until something changes, or HOLD_SECONDS)
HOLD_SECONDS = 1.0  # < baocao.build.preview.OPEN_SECONDS: a page waiting for an answer still counts as open

RELOAD_SCRIPT = """<script id="__baocao_preview">(function () {
  var page = location.pathname, served = %(version)s, shown = "", status = "";
  function banner(text, error) {
    var b = document.getElementById("__baocao_banner");
    if (!text) { if (b) b.remove(); shown = ""; return; }
    if (text === shown) return;
    if (!b) {
      b = document.createElement("div"); b.id = "__baocao_banner"; b.setAttribute("role", "status");
      b.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;padding:.6em 1em;" +
        "font:14px/1.4 system-ui,sans-serif;white-space:pre-wrap;color:#fff;box-shadow:0 -2px 6px rgba(0,0,0,.3)";
      document.body.appendChild(b);
    }
    b.style.background = error ? "#b00020" : "#37474f"; b.textContent = text; shown = text;
  }
  function poll() {
    fetch("%(state)s?page=" + encodeURIComponent(page) + "&v=" + encodeURIComponent(served) + "&s=" + status, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      status = s.status;
      if (s.version !== served && s.status !== "running" && s.status !== "queued") { location.reload(); return; }
      if (s.problem) banner("Lỗi / problem: " + s.problem, true);
      else if (s.status === "failed") banner("Báo cáo lỗi / report failed: " + s.error, true);
      else if (s.status === "running" || s.status === "queued") banner("Đang dựng lại… / rebuilding…", false);
      else banner("", false);
      setTimeout(poll, %(poll)d);
    }, function () { banner("Mất kết nối với baocao preview / preview stopped", true); setTimeout(poll, 1000); });
  }
  setTimeout(poll, %(poll)d);
})();</script>"""

FAILED_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Lỗi: %(key)s</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}
pre{white-space:pre-wrap;background:#fdecea;border-left:4px solid #b00020;padding:1em}</style></head>
<body><h1>Báo cáo lỗi / report failed</h1><p><code>%(key)s</code></p><pre id="error">%(error)s</pre>
<p>Sửa notebook hoặc số liệu rồi lưu lại: trang sẽ tự tải lại. / Fix the notebook or the data and save: this page reloads itself.</p>
</body></html>"""


def page_key(page: str) -> str:
    """``/2024/30682/commune_report.html`` -> ``2024/30682/commune_report`` ("" for other pages)."""
    p = unquote(request_path(page)).strip("/")
    return p[: -len(".html")] if p.endswith(".html") and p != "index.html" else ""


def request_path(target: str) -> str:
    """The path of a request target, still percent-encoded: ``//x/y`` is a path, not a host."""
    if target.startswith("/"):
        return target.split("?", 1)[0].split("#", 1)[0]
    return urlsplit(target).path or "/"  # absolute form: http://host/path


def resolve(root: Path, target: str) -> tuple[int, Path | None]:
    """The file a request target names inside ``root``: (200, path), (403, None) or (404, None)."""
    raw = request_path(target)
    decoded = unquote(raw)
    if "\\" in raw or "\\" in decoded or "\x00" in decoded:
        return HTTPStatus.FORBIDDEN, None
    parts = [p for p in decoded.split("/") if p]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        return HTTPStatus.FORBIDDEN, None
    base = os.path.realpath(root)
    target = os.path.realpath(os.path.join(base, *parts)) if parts else base
    if target != base and not target.startswith(base + os.sep):
        return HTTPStatus.FORBIDDEN, None  # a symlink out of outputs/
    if os.path.isdir(target):
        target = os.path.join(target, "index.html")
    if not os.path.isfile(target):
        return HTTPStatus.NOT_FOUND, None
    return HTTPStatus.OK, Path(target)


def inject(page: bytes, version: str) -> bytes:
    """The page with the reload script before its last ``</body>`` (or at its end)."""
    script = (RELOAD_SCRIPT % {"version": json.dumps(version), "state": STATE_PATH, "poll": POLL_MS}).encode(
        "utf-8"
    )
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


class Handler(BaseHTTPRequestHandler):
    server_version = "baocao-preview"
    protocol_version = "HTTP/1.1"

    @property
    def preview(self):
        return self.server.preview

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: the terminal shows what was rebuilt

    def send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        split = urlsplit(self.path)
        path_only = request_path(self.path)
        if path_only == STATE_PATH:
            query = parse_qs(split.query)
            page = (query.get("page") or ["/"])[0]
            if "v" in query:  # the script: answered as soon as the page's version or status changes
                state = self.preview.state(
                    page, since=(query["v"][0], (query.get("s") or [""])[0]), wait=HOLD_SECONDS
                )
            else:
                state = self.preview.state(page)
            body = json.dumps(state, ensure_ascii=False).encode("utf-8")
            return self.send(HTTPStatus.OK, body, "application/json; charset=utf-8")
        status, path = resolve(self.preview.outputs, self.path)
        if status == HTTPStatus.NOT_FOUND:
            failed = self.preview.failed_entry(path_only)
            if failed is not None:
                page = FAILED_PAGE % {
                    "key": html.escape(failed["key"]),
                    "error": html.escape(failed.get("error", "")),
                }
                body = inject(page.encode("utf-8"), self.preview.version(path_only))
                return self.send(HTTPStatus.OK, body, "text/html; charset=utf-8")
        if path is None:
            text = (
                "403 forbidden / bị từ chối"
                if status == HTTPStatus.FORBIDDEN
                else "không tìm thấy / 404 not found"
            )
            return self.send(status, text.encode("utf-8"), "text/plain; charset=utf-8")
        try:
            body = path.read_bytes()
        except OSError:
            return self.send(HTTPStatus.NOT_FOUND, b"404 not found", "text/plain; charset=utf-8")
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            body = inject(body, self.preview.version(path_only))
            ctype = "text/html; charset=utf-8"
        elif ctype.startswith("text/") or ctype == "application/json":
            ctype += "; charset=utf-8"
        return self.send(HTTPStatus.OK, body, ctype)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, preview):
        self.preview = preview
        super().__init__(address, Handler)


def make_server(preview, host: str = "127.0.0.1", port: int = 8000) -> Server:
    """The server (not yet serving); ``port`` 0 picks a free port."""
    return Server((host, port), preview)
