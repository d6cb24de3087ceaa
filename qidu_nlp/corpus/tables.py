"""qidu_nlp.corpus.tables: the output tables of a run, kept on disk as they grow.

A corpus run produces four tables (documents, mentions, indicators, errors). Their columns and
types are those of :mod:`qidu_nlp.schema`, so that a table built in memory, written to Parquet
and read back is the same DataFrame (strings or None, int64, nullable Int64, float64), and the
CSV files are the same whichever way they were made.

:class:`Spool` appends rows to a Parquet file in row groups while a run goes on, so the rows
of a large corpus are never all in memory, and (optionally) to the CSV file of the table, so
that no CSV is left to write after the last document; :class:`Store` reads them back whole,
by columns, filtered by label, or chunk by chunk (the CSV writer and the report use the chunks).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..schema import TABLES, frame, typed

__all__ = ["write_parquet", "Spool", "Store", "write_csv_chunks", "temporary_folder"]

def _arrow_schema(table: str):
    types = {"str": pa.string(), "int": pa.int64(), "Int": pa.int64(), "float": pa.float64()}
    return pa.schema([(col, types[kind]) for col, kind in TABLES[table].items()])


def _to_arrow(table: str, df: pd.DataFrame, *, framed: bool = False):
    """``df`` as an Arrow table of ``table``'s schema (``framed``: ``df`` is already a :func:`~qidu_nlp.schema.frame`)."""
    # nthreads=1: pyarrow would start a thread pool for every part (a third of a part's cost),
    # and the worker processes already use the cores
    return pa.Table.from_pandas(df if framed else frame(table, df), schema=_arrow_schema(table),
                                preserve_index=False, nthreads=1)


def write_parquet(table: str, df: pd.DataFrame, where) -> None:
    """Write ``df`` as the Parquet file of ``table`` (its schema), to a path or an open binary file."""
    pq.write_table(_to_arrow(table, df), where)


class Spool:
    """Rows of one table appended to a Parquet file, a row group per :meth:`flush`.

    Parameters
    ----------
    table : str
        The table name (its columns and types come from :data:`TABLES`).
    path : path
        The Parquet file to write (created at the first flush; an empty table at :meth:`close`).
    flush_rows : int
        Rows buffered before a row group is written.
    on_flush : callable, optional
        Called with each flushed DataFrame (the run counts co-occurrences there).
    csv_path : path, optional
        Also append each flushed part to this CSV file (header first), as :func:`write_csv_chunks`
        would write the whole table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "errors.parquet"
    >>> spool = Spool("errors", path, flush_rows=1)
    >>> spool.add([{"source": "a.txt", "id": "a", "reason": "empty"}])
    >>> spool.close().name
    'errors.parquet'
    >>> Store({"errors": path}).read("errors")["reason"].tolist()
    ['empty']
    """

    def __init__(self, table: str, path: str | Path, *, flush_rows: int = 10_000,
                 on_flush: Callable[[pd.DataFrame], None] | None = None, csv_path: str | Path | None = None):
        self.table, self.path, self.flush_rows, self.on_flush = table, Path(path), flush_rows, on_flush
        self.csv_path = Path(csv_path) if csv_path is not None else None
        self._buffer: list[dict] = []
        self._writer = None
        self._csv = None
        self.rows = 0

    def add(self, rows: Sequence[dict]) -> None:
        """Buffer rows (whole documents: a flush never splits the rows given in one call)."""
        self._buffer.extend(rows)
        if len(self._buffer) >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        df = frame(self.table, self._buffer)
        self._buffer = []
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, _arrow_schema(self.table))
        self._writer.write_table(_to_arrow(self.table, df, framed=True))
        if self.csv_path is not None:
            if self._csv is None:
                self._csv = open(self.csv_path, "w", encoding="utf-8", newline="")
                df.to_csv(self._csv, index=False)
            else:
                df.to_csv(self._csv, index=False, header=False)
        self.rows += len(df)
        if self.on_flush is not None:
            self.on_flush(df)

    def close(self) -> Path:
        """Write what is buffered and close the file (an empty table if nothing came)."""
        self.flush()
        if self._writer is None:
            pq.write_table(_arrow_schema(self.table).empty_table(), self.path)
        else:
            self._writer.close()
            self._writer = None
        if self._csv is not None:
            self._csv.close()
            self._csv = None
        return self.path

    def csv(self) -> Path | None:
        """The CSV file written alongside, once closed (None when nothing was flushed)."""
        return self.csv_path if self.csv_path is not None and self.rows and self._csv is None else None


class Store:
    """The tables of a run, in Parquet files, read on demand.

    Parameters
    ----------
    paths : dict
        Table name → Parquet file.
    owned : path, optional
        A temporary folder holding the files, removed by :meth:`discard`.
    csv : dict, optional
        Table name → its CSV file, when the run wrote it as it went (:class:`Spool`).
    """

    def __init__(self, paths: dict[str, str | Path], *, owned: str | Path | None = None,
                 csv: dict[str, str | Path] | None = None):
        self.paths = {name: Path(p) for name, p in paths.items()}
        self.owned = Path(owned) if owned is not None else None
        self.csv = {name: Path(p) for name, p in (csv or {}).items()}  # tables whose CSV file is written

    def __contains__(self, table: str) -> bool:
        return table in self.paths and self.paths[table].exists()

    def read(self, table: str, *, columns: Sequence[str] | None = None, labels: Sequence[str] | None = None) -> pd.DataFrame:
        """The table (or some of its columns, or only the rows of some labels) as a DataFrame."""
        cols = list(columns) if columns else list(TABLES[table])
        if labels is None:
            return typed(table, pq.read_table(self.paths[table], columns=cols).to_pandas(), cols)
        # batch by batch, keeping only the rows of these labels: memory is what is kept
        read = cols if "label" in cols else [*cols, "label"]
        kept = list(self._batches(table, read, labels, 20_000))
        tab = pa.Table.from_batches(kept, schema=pa.schema([_arrow_schema(table).field(c) for c in read]))
        return typed(table, tab.to_pandas(), cols)

    def _batches(self, table: str, columns: list[str], labels: Sequence[str] | None, rows: int):
        wanted = pa.array(list(labels), type=pa.string()) if labels is not None else None
        # one thread, no pre-buffering: fewer buffers alive at once (memory, not speed, matters here)
        pf = pq.ParquetFile(self.paths[table], pre_buffer=False)
        for batch in pf.iter_batches(batch_size=rows, columns=columns, use_threads=False):
            yield batch if wanted is None else batch.filter(pc.is_in(batch.column("label"), value_set=wanted))

    def chunks(self, table: str, rows: int = 20_000, *, columns: Sequence[str] | None = None,
               labels: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
        """The table (or some of its columns, the rows of some labels) in DataFrames of at most
        ``rows`` rows, in order."""
        cols = list(columns) if columns else list(TABLES[table])
        read = cols if labels is None or "label" in cols else [*cols, "label"]
        for batch in self._batches(table, read, labels, rows):
            yield typed(table, batch.to_pandas(), cols)

    def n_rows(self, table: str) -> int:
        return pq.ParquetFile(self.paths[table]).metadata.num_rows

    def discard(self) -> None:
        """Remove the temporary folder (if the store owns one)."""
        if self.owned is not None:
            shutil.rmtree(self.owned, ignore_errors=True)
            self.owned = None


def write_csv_chunks(chunks: Iterable[pd.DataFrame], handle) -> None:
    """Write DataFrame chunks as one CSV (a header once), as ``DataFrame.to_csv`` would."""
    first = True
    for chunk in chunks:
        chunk.to_csv(handle, index=False, header=first)
        first = False


def temporary_folder(parent: str | Path | None, prefix: str = ".qidu-spool-") -> Path:
    """A new folder for a run's spool: inside ``parent`` (the output folder) when given, so the
    tables stay on the same disk as the outputs, else in the system's temporary folder."""
    if parent is not None:
        Path(parent).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=os.fspath(parent) if parent is not None else None))
