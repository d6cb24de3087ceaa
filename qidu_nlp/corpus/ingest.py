"""qidu_nlp.corpus.ingest: from files and folders to document records.

Reads ``.txt`` and ``.md`` (UTF-8, UTF-8 with BOM, UTF-16 and GB18030/GBK detected, never a
silent mojibake), ``.docx``, and corpus files in JSONL (``{"id", "text", ...}`` per line, read
one line at a time so a large corpus is never held in memory). A folder is read recursively in
sorted order. Metadata come from the record's own fields, a sidecar ``NAME.meta.json`` next to a
text file, and the report header (:func:`qidu_nlp.text.header.parse_header`), in that priority.

Every input that cannot be read becomes a :class:`Failure` naming the file (and line) and the
reason; iteration goes on with the next input.
"""

from __future__ import annotations

import codecs
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from charset_normalizer import from_bytes

from ..errors import Errors
from ..text.chars import is_cjk
from ..text.header import parse_header

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | {".docx", ".json"}
META_SUFFIX = ".meta.json"


@dataclass
class Record:
    """One document: its id, its text exactly as read, and its metadata."""

    id: str
    text: str
    meta: dict = field(default_factory=dict)

    def as_tuple(self) -> tuple[str, dict]:
        return self.text, {**self.meta, "id": self.id}


@dataclass
class Failure:
    """An input that could not be read: where, and why."""

    source: str
    reason: str
    id: str = ""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file and return ``(text, encoding)``.

    Tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32); strict UTF-8; UTF-16 without a
    BOM (recognised by its NUL pattern); strict GB18030 (a superset of GBK and GB2312); then
    charset-normalizer's best guess if it is confident. Refuses binary data.

    Raises
    ------
    ValueError
        With a coded message (Q005 binary, Q006 unknown encoding).

    Examples
    --------
    >>> decode_bytes("政府工作报告".encode("gb18030"))
    ('政府工作报告', 'gb18030')
    >>> decode_bytes(codecs.BOM_UTF8 + "各位代表".encode("utf-8"))
    ('各位代表', 'utf-8-sig')
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise ValueError(Errors.Q006 + f" ({enc} BOM but {exc.reason})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if b"\x00" in sample:
        # UTF-16 without a BOM: Chinese text has few NULs (only its ASCII), so judge the decoding
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _plausible(text):
                return text, enc
        raise ValueError(Errors.Q005.format(detail=f"{sample.count(0)} NUL bytes in the first {len(sample)}"))
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None and best.chaos < 0.2:
        return str(best), best.encoding
    raise ValueError(Errors.Q006)


def _plausible(text: str) -> bool:
    """True when decoded text looks like prose: printable, with CJK or letters, no NULs."""
    if not text or "\x00" in text:
        return False
    head = text[:2000]
    printable = sum(1 for ch in head if ch.isprintable() or ch in "\n\r\t")
    cjk = sum(1 for ch in head if is_cjk(ch))
    return printable / len(head) > 0.97 and (cjk / len(head) > 0.2 or head.isascii())


def read_docx(path: Path) -> str:
    """Return the paragraphs of a .docx file joined by line breaks (tables row by row)."""
    try:
        import docx  # start-up: python-docx (80 ms to import) is needed only for .docx inputs
        from docx.opc.exceptions import PackageNotFoundError  # start-up: as above
    except ImportError:  # pragma: no cover - python-docx is a core dependency
        raise ImportError("Reading .docx needs python-docx: pip install python-docx") from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValueError(Errors.Q009.format(detail=exc)) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _header_meta(text: str) -> dict:
    header = parse_header(text)
    return {k: v for k, v in header.as_dict().items() if v is not None}


def make_record(doc_id: str, text: str, meta: dict | None = None, *, source: str = "") -> Record:
    """Build a record, filling metadata the caller did not give from the report header.

    Examples
    --------
    >>> r = make_record("x", "政府工作报告\\n——2024年1月12日在齐都镇第二十届人民代表大会第三次会议上\\n镇长 刘菁华\\n各位代表：")
    >>> r.meta["date"], r.meta["place"], r.meta["speaker"]
    ('2024-01-12', '齐都镇', '刘菁华')
    """
    merged = _header_meta(text)
    merged.update({k: v for k, v in (meta or {}).items() if v not in (None, "")})
    if source:
        merged.setdefault("source", source)
    if "year" not in merged and isinstance(merged.get("date"), str) and merged["date"][:4].isdigit():
        merged["year"] = int(merged["date"][:4])
    return Record(str(doc_id), text, merged)


def read_text_file(path: Path, *, doc_id: str | None = None) -> Record:
    """Read one text, Markdown or .docx file into a record (raises ValueError on bad input)."""
    if path.suffix.lower() == ".docx":
        text, encoding = read_docx(path), "docx"
    else:
        text, encoding = decode_bytes(path.read_bytes())
    if not text.strip():
        raise ValueError(Errors.Q004)
    meta: dict = {"encoding": encoding}
    sidecar = path.with_name(path.stem + META_SUFFIX)
    if sidecar.is_file():
        meta.update(json.loads(sidecar.read_text(encoding="utf-8")))
    rid = doc_id or meta.pop("id", None) or path.stem
    meta.pop("id", None)
    return make_record(rid, text, meta, source=str(path))


def iter_jsonl(path: Path, *, text_field: str = "text") -> Iterator[Record | Failure]:
    """Yield the records of a JSONL corpus one line at a time; bad lines become Failures."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield Failure(str(path), f"cannot open: {exc.strerror or exc}")
        return
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield Failure(where, Errors.Q007.format(line=lineno, detail=exc))
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get(text_field, obj.get("zh")), str):
                yield Failure(where, Errors.Q008.format(line=lineno, field=text_field))
                continue
            text = obj.get(text_field, obj.get("zh"))
            rid = str(obj.get("id", f"{path.stem}:{lineno}"))
            if not text.strip():
                yield Failure(where, Errors.Q004, id=rid)
                continue
            meta = {k: v for k, v in obj.items() if k not in (text_field, "id", "spans") and not isinstance(v, (dict, list))}
            meta.update({k: v for k, v in (obj.get("meta") or {}).items() if not isinstance(v, (dict, list))})
            meta["source"] = where
            yield make_record(rid, text, meta)


def walk(path: Path) -> Iterator[Path]:
    if path.is_dir():
        # list the folder once, up front: a file that vanishes later is then reported when it
        # cannot be read, not silently skipped
        listed = [child for child in sorted(path.rglob("*"))
                  if child.is_file() and child.suffix.lower() in SUFFIXES and not child.name.endswith(META_SUFFIX)
                  and not any(part.startswith(".") for part in child.relative_to(path).parts)]
        yield from listed
    else:
        yield path


def iter_records(paths: Iterable[str | Path]) -> Iterator[Record | Failure]:
    """Yield a :class:`Record` for every readable document under ``paths``, a :class:`Failure` otherwise.

    Parameters
    ----------
    paths : iterable of path
        Files (.txt, .md, .docx, .json, .jsonl) and folders (read recursively, sorted).

    Yields
    ------
    Record or Failure
        In a deterministic order: paths in the order given, files sorted within a folder, lines
        in file order.

    Examples
    --------
    >>> from pathlib import Path
    >>> from qidu_nlp.resources import sample_path
    >>> recs = list(iter_records([sample_path(), Path("missing.txt")]))
    >>> recs[0].id, recs[0].meta["place"], type(recs[1]).__name__
    ('qidu-2024', '齐都镇', 'Failure')
    """
    yield from unique_ids(_iter_records(paths))


def unique_ids(items: Iterable[Record | Failure]) -> Iterator[Record | Failure]:
    """Records with a repeated id get ``~2``, ``~3`` … appended, in corpus order (the tables and
    the co-occurrence counts key documents by id).

    Examples
    --------
    >>> recs = unique_ids([make_record("a", "甲"), make_record("a", "乙"), make_record("b", "丙")])
    >>> [r.id for r in recs]
    ['a', 'a~2', 'b']
    """
    seen: dict[str, int] = {}
    for item in items:
        if isinstance(item, Record):
            n = seen.get(item.id, 0)
            seen[item.id] = n + 1
            if n:
                item.id = f"{item.id}~{n + 1}"
        yield item


def _iter_records(paths: Iterable[str | Path]) -> Iterator[Record | Failure]:
    for given in paths:
        given = Path(given)
        if not given.exists():
            yield Failure(str(given), Errors.Q003.format(path=given))
            continue
        for path in walk(given):
            suffix = path.suffix.lower()
            if suffix in JSONL_SUFFIXES:
                items: Iterable[Record | Failure] = iter_jsonl(path)
            elif suffix == ".json":
                items = _read_json(path)
            elif suffix in TEXT_SUFFIXES or suffix == ".docx":
                items = [_safe_read(path)]
            else:
                items = [Failure(str(path), Errors.Q010.format(suffix=suffix))]
            yield from items


def _safe_read(path: Path) -> Record | Failure:
    try:
        return read_text_file(path)
    except ValueError as exc:
        return Failure(str(path), str(exc))
    except OSError as exc:
        return Failure(str(path), f"cannot read: {exc.strerror or exc}")


def _read_json(path: Path) -> list[Record | Failure]:
    try:
        text, _ = decode_bytes(path.read_bytes())
        obj = json.loads(text)
    except (ValueError, OSError) as exc:
        return [Failure(str(path), f"not a JSON document: {exc}")]
    objs = obj if isinstance(obj, list) else [obj]
    out: list[Record | Failure] = []
    for i, item in enumerate(objs):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            out.append(Failure(f"{path}[{i}]", Errors.Q008.format(line=i, field="text")))
            continue
        meta = {k: v for k, v in item.items() if k not in ("text", "id", "spans") and not isinstance(v, (dict, list))}
        out.append(make_record(str(item.get("id", f"{path.stem}-{i}")), item["text"], meta, source=str(path)))
    return out


def from_records(items: Iterable[dict]) -> Iterator[Record | Failure]:
    """Turn plain dicts (``{"id", "text", **meta}``) into records, as the JSONL reader does
    (repeated ids made unique as :func:`unique_ids` does)."""
    yield from unique_ids(_from_records(items))


def _from_records(items: Iterable[dict]) -> Iterator[Record | Failure]:
    for i, obj in enumerate(items):
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            yield Failure(f"record {i}", Errors.Q008.format(line=i, field="text"), id=str(obj.get("id", "")) if isinstance(obj, dict) else "")
            continue
        meta = {k: v for k, v in obj.items() if k not in ("text", "id", "spans")}
        meta.update(obj.get("meta") or {})
        meta.pop("meta", None)
        yield make_record(str(obj.get("id", f"record-{i}")), obj["text"], meta)
