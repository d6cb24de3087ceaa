"""qidu_nlp.corpus.cache: finished documents kept on disk, so that an interrupted run resumes.

With an ``output_dir``, finished documents go into shard files ``OUT/.qidu-cache/KEY/*.jsonl``
(each written atomically), keyed by a hash of the text and of the pipeline's configuration
(:func:`config_key`). ``resume=True`` reuses them and retries every document that failed or was
never reached; an interrupted run (Ctrl-C, a killed process) leaves only whole shards.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
import uuid
from dataclasses import asdict
from pathlib import Path

from ..about import __version__
from ..files import atomic_write
from ..schema import columns
from .analyze import Options
from .ingest import Record

__all__ = ["Cache", "config_key", "text_hash", "with_identity", "CACHE_DIR"]

logger = logging.getLogger("qidu_nlp")

CACHE_DIR = ".qidu-cache"
SHARD_DOCS = 64
SHARD_SECONDS = 20.0
DOC_COLUMNS = columns("documents")


def text_hash(text: str, config_hash: str = "") -> str:
    """The key of a processed document: a hash of its text and of the pipeline's configuration."""
    return hashlib.sha256((config_hash + "\x00" + text).encode("utf-8")).hexdigest()[:24]


def config_key(loader_kwargs: dict | None = None, nlp=None, options: Options = Options()) -> str:
    """The pipeline part of a document's cache key.

    A hash of the loader arguments (or of ``nlp.config`` when a pipeline object is given), the
    per-document options, the library version, and the bytes of the package's code and data
    files, so that any change of rules, lexicons or models invalidates earlier results.
    """
    h = hashlib.sha256()
    settings = {k: v for k, v in asdict(options).items() if k != "doc_timeout"}  # a budget changes no result
    h.update(json.dumps({"loader": loader_kwargs or {}, "options": settings, "version": __version__},
                        sort_keys=True, default=str).encode())
    if nlp is not None:
        h.update(nlp.config.to_str().encode())
    h.update(_package_digest().encode())
    return h.hexdigest()[:16]


_DIGEST: str | None = None


def _package_digest() -> str:
    global _DIGEST
    if _DIGEST is None:
        root = Path(__file__).resolve().parents[1]  # the qidu_nlp package
        h = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
        _DIGEST = h.hexdigest()
    return _DIGEST


class Cache:
    """Shard files of finished documents under ``OUT/.qidu-cache/KEY/``."""

    def __init__(self, output_dir: Path, key: str, resume: bool):
        root = Path(output_dir) / CACHE_DIR
        if not resume and root.exists():
            shutil.rmtree(root)
        self.folder = root / key
        self.folder.mkdir(parents=True, exist_ok=True)
        # key → (shard, byte offset of its line): the rows stay on disk until a document is released
        self.known: dict[str, tuple[Path, int]] = {}
        if resume:
            for shard in sorted(self.folder.glob("part-*.jsonl")):
                with open(shard, "rb") as f:
                    while True:
                        offset = f.tell()
                        line = f.readline()
                        if not line:
                            break
                        key = _line_key(line)
                        if key:
                            self.known[key] = (shard, offset)
        self.buffer: list[str] = []
        self.flushed = time.monotonic()
        self.seq = len(list(self.folder.glob("part-*.jsonl")))

    def __contains__(self, key: str) -> bool:
        return key in self.known

    def get(self, key: str) -> dict | None:
        where = self.known.get(key)
        if where is None:
            return None
        with open(where[0], "rb") as f:
            f.seek(where[1])
            return json.loads(f.readline())["rows"]

    def add(self, key: str, rows: dict) -> None:
        self.buffer.append(json.dumps({"key": key, "rows": rows}, ensure_ascii=False, default=str))
        if len(self.buffer) >= SHARD_DOCS or time.monotonic() - self.flushed > SHARD_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            lines, self.buffer = self.buffer, []
            name = f"part-{self.seq:06d}-{uuid.uuid4().hex[:8]}.jsonl"
            self.seq += 1
            atomic_write(self.folder / name, lambda f: f.write("\n".join(lines) + "\n"), text=True)
        self.flushed = time.monotonic()


_KEY_PREFIX = b'{"key": "'


def _line_key(line: bytes) -> str | None:
    """The key of a shard line, read from its start (``{"key": "…", "rows": …}``)."""
    if line.startswith(_KEY_PREFIX):
        end = line.find(b'"', len(_KEY_PREFIX))
        if end > 0:
            return line[len(_KEY_PREFIX):end].decode("ascii", "replace")
    try:
        return json.loads(line)["key"]
    except (ValueError, KeyError, TypeError):
        logger.warning("unreadable line in a resume shard; that document is analysed again")
        return None


def with_identity(rows: dict, rec: Record) -> dict:
    """Cached rows of the same text under this record's id and metadata."""
    rows = json.loads(json.dumps(rows))
    doc = rows["document"]
    for col in DOC_COLUMNS:
        if col in rec.meta:
            doc[col] = rec.meta[col]
    doc["id"] = rec.id
    for row in rows["mentions"]:
        row["doc_id"] = rec.id
    for row in rows["indicators"]:
        if "doc_id" in row:
            row["doc_id"] = rec.id
    return rows
