"""qidu_nlp: slogans, named entities, quantities and co-occurrence graphs of Chinese policy text.

The package is built in floors, each importing only the floors below it:
:mod:`qidu_nlp.text` → :mod:`qidu_nlp.rules` → :mod:`qidu_nlp.pipeline` → :mod:`qidu_nlp.graph`
→ :mod:`qidu_nlp.corpus` → :mod:`qidu_nlp.evaluation` → :mod:`qidu_nlp.training` →
:mod:`qidu_nlp.indicators`, :mod:`qidu_nlp.cli`; :mod:`qidu_nlp.schema`, :mod:`qidu_nlp.resources`,
:mod:`qidu_nlp.files` and :mod:`qidu_nlp.errors` are the ground floor.

>>> import qidu_nlp
>>> nlp = qidu_nlp.load()            # spaCy zh + pkuseg + the qidu components
>>> doc = nlp("围绕“1221”工作体系，全年完成一般公共预算收入1.43亿元。")
"""

import logging

from .about import __version__
from .corpus import Corpus, Result
from .pipeline import load

logging.getLogger("qidu_nlp").addHandler(logging.NullHandler())

__all__ = ["load", "Corpus", "Result", "__version__"]
