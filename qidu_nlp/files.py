"""qidu_nlp.files: writing output files so that an interrupted run never leaves half a file, and
reading JSON Lines files whose errors name the file and line.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> atomic_write(path, lambda f: f.write("齐都"), text=True)
>>> path.read_text(encoding="utf-8")
'齐都'
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import InputError

__all__ = ["atomic_write", "json_lines", "write_json"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def atomic_write(path: Path, write: Callable, *, text: bool = False) -> None:
    """Write ``path`` through a temporary file in the same folder and rename it into place.

    Parameters
    ----------
    path : Path
        The file to write.
    write : callable
        Called with the open temporary file.
    text : bool
        Open it in text mode (UTF-8, no newline translation) instead of binary.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w" if text else "wb", **({"encoding": "utf-8", "newline": ""} if text else {})) as f:
            write(f)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; give them the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def json_lines(path: str | Path) -> Iterator[tuple[str, Any]]:
    r"""The values of a JSON Lines file with where each stands (``"file:line"``), blank lines
    skipped, a UTF-8 byte-order mark allowed.

    Raises
    ------
    InputError
        Naming the file (it does not exist) or the file and line (malformed JSON).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = path.write_text('{"id": "a"}\n\n{"id": ', encoding="utf-8")
    >>> next(json_lines(path))[1]
    {'id': 'a'}
    >>> list(json_lines(path))
    Traceback (most recent call last):
    ...
    qidu_nlp.errors.InputError: ...a.jsonl:3: malformed JSON (Expecting value at column 8)
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "file does not exist")
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}", f"malformed JSON ({exc.msg} at column {exc.colno})") from None
            yield f"{path}:{n}", value


def write_json(path: str | Path, value: Any) -> None:
    """Write ``value`` as indented UTF-8 JSON (atomically; the folder is created).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out" / "a.json"
    >>> write_json(path, {"地区": "齐都镇"})
    >>> json.loads(path.read_text(encoding="utf-8"))
    {'地区': '齐都镇'}
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda fh: fh.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n"), text=True)
