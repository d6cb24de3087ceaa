"""qidu_nlp.resources: the one reader of the package's data files (``qidu_nlp/data/``).

Lexicons, gazetteers, taxonomies, trained models and the bundled sample all live in files
under ``qidu_nlp/data``; every module reads them through these functions, never by a path
relative to the source tree, so an installed wheel works as a checkout does.

A *folder* is anything with ``joinpath(name)`` whose entries have ``read_bytes``,
``read_text`` and ``is_file``: the package's data (``importlib.resources``), a ``Path``, or the
in-memory :class:`BytesFolder` a component builds from ``to_bytes`` data. The components read
their data from a folder, so the same loader serves the packaged data, a saved pipeline and
bytes.

Examples
--------
>>> "新发展理念\\tformula" in read_lines(data_folder("slogans"), "formulas.txt")
True
>>> sample_path().name
'qidu_2024.txt'
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Mapping, Union

__all__ = ["Folder", "BytesFolder", "data_folder", "read_bytes", "read_text", "read_lines", "read_json",
           "read_files", "sample_path", "SAMPLE_ID"]

Folder = Union[Traversable, Path, "BytesFolder"]
SAMPLE_ID = "qidu-2024"


class _Entry:
    def __init__(self, data: bytes | None, name: str):
        self._data, self.name = data, name

    def is_file(self) -> bool:
        return self._data is not None

    def read_bytes(self) -> bytes:
        if self._data is None:
            raise FileNotFoundError(self.name)
        return self._data

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.read_bytes().decode(encoding)


class BytesFolder:
    """A folder held in memory: file name → bytes (what a component's ``to_bytes`` carries).

    Examples
    --------
    >>> f = BytesFolder({"a.txt": "甲\\n# comment\\n乙".encode()})
    >>> read_lines(f, "a.txt"), f.joinpath("b.txt").is_file()
    (['甲', '乙'], False)
    """

    def __init__(self, files: Mapping[str, bytes]):
        self.files = dict(files)

    def joinpath(self, name: str) -> _Entry:
        return _Entry(self.files.get(name), name)


def data_folder(*parts: str) -> Traversable:
    """The packaged data folder ``qidu_nlp/data/<parts>``."""
    return resources.files("qidu_nlp").joinpath("data", *parts)


def read_bytes(folder: Folder, name: str) -> bytes:
    """The bytes of ``name`` in ``folder``."""
    return folder.joinpath(name).read_bytes()


def read_text(folder: Folder, name: str) -> str:
    """The UTF-8 text of ``name`` in ``folder``."""
    return folder.joinpath(name).read_text(encoding="utf-8")


def read_lines(folder: Folder, name: str) -> list[str]:
    """The lines of a word list: stripped, blank lines and ``#`` comments left out."""
    lines = (line.strip() for line in read_text(folder, name).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_json(folder: Folder, name: str):
    """A JSON file of ``folder``, parsed."""
    return json.loads(read_text(folder, name))


def read_files(folder: Folder, names) -> dict[str, bytes]:
    """``{name: bytes}`` of the files ``names`` that exist in ``folder`` (a component's data)."""
    return {name: folder.joinpath(name).read_bytes() for name in names if folder.joinpath(name).is_file()}


def sample_path() -> Path:
    """The bundled sample corpus: the 2024 government work report of 齐都镇 (Linzi, Zibo)."""
    return Path(str(data_folder("samples", "qidu_2024.txt")))
