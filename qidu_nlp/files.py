"""qidu_nlp.files: writing output files so that an interrupted run never leaves half a file.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> atomic_write(path, lambda f: f.write("齐都"), text=True)
>>> path.read_text(encoding="utf-8")
'齐都'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

__all__ = ["atomic_write"]


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
