"""qidu_nlp.corpus: a corpus through the pipeline, into tables, a graph and a report.

- :mod:`.ingest`: files and folders (.txt, .md, .docx, .json, .jsonl) to document records;
- :mod:`.corpus`: :class:`Corpus`, how to read the documents; :mod:`.run` the run over them,
  :mod:`.analyze` the work per document, :mod:`.engines` where it happens (this machine or a
  Dask cluster), :mod:`.longdocs` documents too long for one Doc, :mod:`.cache` resuming,
  :mod:`.progress` the progress bar;
- :mod:`.result`: :class:`Result`, the tables (:mod:`.tables`: Parquet spools), the slogan
  inventory (:mod:`.inventory`), the graph, and the files of ``qidu analyze`` with
  ``report.html`` (:mod:`.report`).
"""

from .corpus import Corpus
from .result import Result

__all__ = ["Corpus", "Result"]
