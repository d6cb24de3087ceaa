"""qidu_nlp.corpus.engines: where the documents are analysed.

:mod:`.local` (this process, or a pool of worker processes) and :mod:`.dask` (a Dask
distributed cluster). Each engine takes batches of records and yields their outcomes
(:mod:`qidu_nlp.corpus.analyze`) in order; neither imports the other.
"""
