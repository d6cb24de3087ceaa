"""qidu_nlp.pipeline: the spaCy pipeline, one component per file.

- :mod:`.loader`: :func:`load`, the pipeline (spaCy ``zh`` with pkuseg and the components);
  :mod:`.language` its language class; :mod:`.download` the pkuseg model;
- the components, each a factory with every setting in its ``default_config``:
  :mod:`.structure` (``qidu_structure``), :mod:`.slogans` (``qidu_slogans``),
  :mod:`.entities` (``qidu_entities``), :mod:`.quantities` (``qidu_quantities``),
  :mod:`.themes` (``qidu_themes``); :mod:`.scorers` how ``nlp.evaluate`` scores them;
- :mod:`.extensions` (``span._.qidu``, ``doc._.qidu``), :mod:`.spans` (character offsets to spans),
  :mod:`.docs` (what the components read of a Doc), :mod:`.datafiles` (the data a component
  saves), :mod:`.rows` (a Doc as plain rows for the tables).

Importing this package registers the extensions, the scorers and the factories.
"""

from . import extensions, scorers  # noqa: F401  (registers the extensions and the scorers)
from . import entities, quantities, slogans, structure, themes  # noqa: F401  (registers the factories)
from .loader import COMPONENTS, load

__all__ = ["load", "COMPONENTS"]
