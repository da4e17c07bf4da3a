"""Content hashes of files, re-hashed only when a file's stat changed (a stat cache).

A build compares its inputs by content (sha256), never by modification time. Hashing every
input on every build costs little for one file but adds up (notebooks, data, the package
source, every output's hash check); :class:`FileHashes` keeps, per file, the sha256 together
with the file's *stamp* — ``(size, mtime_ns, ctime_ns, inode, device)`` — and trusts the
recorded hash while the stamp is unchanged.

Why trusting the stamp is safe:

- any write to a file, any ``touch``, rename, ``chmod`` or replacement sets its **ctime** to
  the current time, and ctime cannot be set back by ordinary means (``touch -d``, ``os.utime``
  and editors that restore the mtime set the mtime only). An edit that keeps the size and
  puts the mtime back still changes the ctime; a file replaced by another (save-by-rename,
  ``git checkout``, ``cp``) also has another inode;
- a hash is recorded only for a file whose mtime and ctime are more than
  :data:`RACY_SECONDS` in the past when it is hashed. A file written in the same clock tick
  as it was hashed could otherwise change without changing its stamp (git's "racy clean"
  problem); such a file is simply hashed again next time.

What it does not see: a change made by someone who resets the system clock, or by writing
the block device directly. ``baocao build --force`` rebuilds regardless, and deleting
``.baocao-cache/`` forgets every recorded hash.

The cache is one JSON file, written atomically; a missing, unreadable or foreign file is an
empty cache. Entries are self-checking, so two processes sharing one cache file can only
lose each other's entries, never get a wrong hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path

RACY_SECONDS = 2.0
FORMAT = 1
CACHE_DIR = ".baocao-cache"
CACHE_FILE = "file-hashes.json"


def stamp(st: os.stat_result) -> list[int]:
    """What identifies one state of a file without reading it."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder + rename (the cache is never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FileHashes:
    """sha256 of files by path, from a stat cache kept in ``path`` (None: in memory only)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else None
        self.entries: dict[str, list] = {}
        # other results keyed by the hashes they were computed from (plans, data fingerprints)
        self.memo: dict = {}
        self.used: set[str] = set()
        self.dirty = False
        self.hashed = 0  # files read this time (for tests and the bench)
        self.lock = threading.RLock()  # one instance may serve several threads (baocao preview)
        if self.path is not None:
            try:
                doc = json.loads(self.path.read_text(encoding="utf-8"))
                if (
                    doc.get("format") == FORMAT
                    and isinstance(doc.get("files"), dict)
                    and isinstance(doc.get("memo"), dict)
                ):
                    self.entries, self.memo = doc["files"], doc["memo"]
            except (OSError, ValueError, AttributeError):
                pass

    @classmethod
    def for_home(cls, home: str | os.PathLike) -> FileHashes:
        """The cache of a project folder (``.baocao-cache/file-hashes.json``); ``BAOCAO_NO_STAT_CACHE=1``:
        none.
        """
        if os.environ.get("BAOCAO_NO_STAT_CACHE"):
            return cls(None)
        return cls(Path(home) / CACHE_DIR / CACHE_FILE)

    def sha256(self, path: str | os.PathLike) -> str | None:
        """The file's sha256 (None: no such file, or not a file)."""
        key = os.path.abspath(path)
        try:
            st = os.stat(key)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not os.path.isfile(key):
            return None
        now = stamp(st)
        with self.lock:
            self.used.add(key)
            entry = self.entries.get(key)
        if entry and entry[:-1] == now:
            return entry[-1]
        try:
            digest = sha256_file(key)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        with self.lock:
            self.hashed += 1
            if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_SECONDS * 1e9:
                self.entries[key] = [*now, digest]
                self.dirty = True
            elif self.entries.pop(key, None) is not None:
                self.dirty = True
        return digest

    def forget(self, path: str | os.PathLike) -> None:
        with self.lock:
            if self.entries.pop(os.path.abspath(path), None) is not None:
                self.dirty = True

    def remember(self, name: str, key: str, value, keep: int = 4) -> None:
        """Keep ``value`` as the result ``name`` computed from inputs whose digest is ``key``
        (the last ``keep`` keys of each name are kept)."""
        with self.lock:
            slot = self.memo.setdefault(name, {})
            slot.pop(key, None)
            slot[key] = value
            for old in list(slot)[:-keep]:
                del slot[old]
            self.dirty = True

    def recall(self, name: str, key: str):
        """What :meth:`remember` kept for ``name`` and ``key`` (None: nothing)."""
        with self.lock:
            return self.memo.get(name, {}).get(key)

    def save(self) -> None:
        """Write the cache if anything changed (files no longer there are forgotten); a cache
        that cannot be written is no error."""
        with self.lock:
            if self.path is None or not self.dirty:
                return
            for key in [k for k in self.entries if k not in self.used and not os.path.exists(k)]:
                del self.entries[key]
            try:
                doc = {"format": FORMAT, "files": self.entries, "memo": self.memo}
                write_atomic(self.path, json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode())
                self.dirty = False
            except OSError:
                pass


SOURCE_SUFFIXES = (".py", ".j2", ".css", ".json", ".tpl")


def source_hash(hashes: FileHashes | None = None) -> str:
    """Hash of the baocao package source (``src/baocao/**/*.py`` and the HTML templates): a change
    makes every report out of date and replaces warm kernels;
    the sha256 of each file (from the stat cache ``hashes`` when given) under its path."""
    hashes = hashes or FileHashes()
    root = Path(__file__).resolve().parents[1]  # src/baocao
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.suffix in SOURCE_SUFFIXES and "__pycache__" not in p.parts and p.is_file():
            h.update(
                p.relative_to(root).as_posix().encode() + b"\0" + (hashes.sha256(p) or "").encode() + b"\0"
            )
    return h.hexdigest()
