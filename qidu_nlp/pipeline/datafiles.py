"""qidu_nlp.pipeline.datafiles: the data files a component is built from, saved and loaded whole.

A component that reads lexicons or a trained model keeps the bytes of those files in a
:class:`DataFiles`; ``to_disk``/``to_bytes`` write exactly them (data only, never a copy of the
settings, which live in ``config.cfg``) and ``from_disk``/``from_bytes`` read them back, so a saved
pipeline carries the data it was built with, not whatever the installed version ships.

Examples
--------
>>> import tempfile, pathlib
>>> files = DataFiles({"a.txt": "甲".encode()})
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "comp"
>>> files.to_disk(folder)
>>> DataFiles.from_disk(folder, ["a.txt"]).files == files.files == DataFiles.from_bytes(files.to_bytes()).files
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

import srsly
from spacy.util import SimpleFrozenList

from ..resources import BytesFolder, Folder, read_files

__all__ = ["DataFiles", "SavedAsDataFiles"]


class DataFiles:
    """File name → bytes of a component's data.

    Parameters
    ----------
    files : mapping of str to bytes
        The files.
    """

    def __init__(self, files: Mapping[str, bytes]):
        self.files = dict(files)

    @classmethod
    def read(cls, folder: Folder, names: Iterable[str]) -> "DataFiles":
        """The files ``names`` of a folder (those that exist)."""
        return cls(read_files(folder, names))

    def folder(self) -> BytesFolder:
        """The files as a folder the data loaders read."""
        return BytesFolder(self.files)

    def to_disk(self, path: str | Path) -> None:
        """Write every file into the folder ``path`` (created)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (path / name).write_bytes(data)

    @classmethod
    def from_disk(cls, path: str | Path, names: Iterable[str]) -> "DataFiles":
        """The files ``names`` of the folder ``path`` (a folder a :meth:`to_disk` wrote)."""
        return cls.read(Path(path), names)

    def to_bytes(self) -> bytes:
        """All files as one msgpack blob."""
        return srsly.msgpack_dumps(self.files)

    @classmethod
    def from_bytes(cls, data: bytes) -> "DataFiles":
        """The files of a :meth:`to_bytes` blob."""
        return cls(srsly.msgpack_loads(data))


class SavedAsDataFiles:
    """``to_disk``/``from_disk``/``to_bytes``/``from_bytes`` of a component whose state is its data
    files, the same for every component: the component keeps them in ``self.files`` (a
    :class:`DataFiles`, or None until ``initialize()`` reads the shipped ones), rebuilds itself
    from them in ``_load(files)`` and names the files a saved folder holds in ``data_files``.
    """

    data_files: tuple[str, ...] = ()
    files: DataFiles | None

    def to_disk(self, path, *, exclude=SimpleFrozenList()) -> None:
        if self.files is None:
            self.initialize()
        self.files.to_disk(path)

    def from_disk(self, path, *, exclude=SimpleFrozenList()):
        self._load(DataFiles.from_disk(path, self.data_files))
        return self

    def to_bytes(self, *, exclude=SimpleFrozenList()) -> bytes:
        if self.files is None:
            self.initialize()
        return self.files.to_bytes()

    def from_bytes(self, data: bytes, *, exclude=SimpleFrozenList()):
        self._load(DataFiles.from_bytes(data))
        return self
