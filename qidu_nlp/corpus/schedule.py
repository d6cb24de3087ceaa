"""qidu_nlp.corpus.schedule: the work of a corpus run, cut and handed out by size.

With several workers the time of a run is that of the busiest worker. Handing out documents
in corpus order, a batch of documents at a time, leaves one worker with the last long batch
while the others wait (with eight documents per batch, one of two workers got eight of the
twelve national reports). :func:`tasks` instead

- reads the corpus a window at a time (about :data:`WINDOW_CHARS` characters), so that memory
  stays bounded: results are written in corpus order, and a finished document waits at most
  for the documents of its own and the previous window;
- cuts every document longer than the piece limit into pieces at line ends
  (:func:`qidu_nlp.corpus.longdocs.chunk_offsets`; merged back after);
- hands out the items of a window largest first, a large one alone and small ones together
  (up to :data:`SMALL_TASK_CHARS` characters and ``batch_size`` documents per task), so the
  work ends with small tasks that even out the workers.

The pieces depend on the document alone and every document is analysed the same wherever it
runs, so the results are those of a one-process run for any number of workers and any batch
size (tested).

Examples
--------
>>> from qidu_nlp.corpus.ingest import Record
>>> recs = [Record("a", "甲" * 3), Record("b", "乙" * 50), Record("c", "丙" * 7)]
>>> [[item.id for item in task] for task in tasks(iter(recs), limit=40, batch_size=8, small=10)]
[['b'], ['b'], ['c', 'a']]
"""

from __future__ import annotations

from typing import Callable, Iterator

from .ingest import Record
from .longdocs import Piece, chunk_offsets

__all__ = ["tasks", "Item", "WINDOW_CHARS", "SMALL_TASK_CHARS"]

WINDOW_CHARS = 1_000_000
SMALL_TASK_CHARS = 20_000

Item = Record | Piece


def _size(item: Item) -> int:
    return len(item.text)


def tasks(records: Iterator[Record], *, limit: int, batch_size: int, window: int = WINDOW_CHARS,
          small: int = SMALL_TASK_CHARS, prepare: Callable[[Record], str] | None = None,
          on_pieces: Callable[[Record, list[Piece]], None] | None = None) -> Iterator[list[Item]]:
    """The tasks of a corpus run, each a list of records and pieces of long records.

    Parameters
    ----------
    records : iterator of Record
        The documents to analyse, in corpus order.
    limit : int
        A document longer than this is cut into pieces of at most ``limit`` characters.
    batch_size : int
        Most documents in one task.
    window : int
        Characters read ahead and reordered at once.
    small : int
        Items shorter than this share a task, up to this many characters.
    prepare : callable, optional
        The text a long record is analysed as (its simplified form,
        :func:`qidu_nlp.corpus.analyze.prepare`); the pieces are cut from it. Default: its text.
    on_pieces : callable, optional
        Called with each long record and its pieces before they are handed out.
    """
    while True:
        items: list[Item] = []
        chars = 0
        for rec in records:
            text = rec.text
            if len(text) > limit:  # folding to simplified keeps the length
                text = prepare(rec) if prepare is not None else text
                chunks = chunk_offsets(text, limit)
                parts = [Piece(rec.id, i, len(chunks), s, e, text[s:e]) for i, (s, e) in enumerate(chunks)]
                if on_pieces is not None:
                    on_pieces(rec, parts)
                items.extend(parts)
            else:
                items.append(rec)
            chars += len(text)
            if chars >= window:
                break
        if not items:
            return
        yield from _largest_first(items, batch_size, small)


def _largest_first(items: list[Item], batch_size: int, small: int) -> Iterator[list[Item]]:
    order = sorted(range(len(items)), key=lambda i: -_size(items[i]))  # stable: corpus order among equals
    task: list[Item] = []
    chars = 0
    for i in order:
        item = items[i]
        size = _size(item)
        if task and (chars + size > small or len(task) >= batch_size):
            yield task
            task, chars = [], 0
        task.append(item)
        chars += size
    if task:
        yield task
