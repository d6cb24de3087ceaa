"""qidu_nlp: slogans, named entities, quantities and co-occurrence graphs of Chinese policy text.

>>> import qidu_nlp
>>> nlp = qidu_nlp.load()            # spaCy zh + pkuseg + the qidu components
>>> doc = nlp("围绕“1221”工作体系，全年完成一般公共预算收入1.43亿元。")
"""

import logging

from . import extensions  # noqa: F401  (registers the span and doc attributes)
from . import entities, quantities, slogans, structure, themes  # noqa: F401  (registers the factories)
from .about import __version__
from .corpus import Corpus, Result
from .loader import load

logging.getLogger("qidu_nlp").addHandler(logging.NullHandler())

__all__ = ["load", "Corpus", "Result", "__version__"]
