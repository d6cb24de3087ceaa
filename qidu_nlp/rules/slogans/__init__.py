"""qidu_nlp.rules.slogans: the slogans of policy language, found on plain strings.

:func:`detect` finds, delimits and classifies the slogans of a text (:mod:`.detect`), from the
candidates of :mod:`.candidates`, the features and form rules of :mod:`.features`, the trained
judge of :mod:`.judge` and the word lists of :mod:`.lexicons`. Each slogan is a gold-schema span
dict with ``kind`` (numeric, motto, campaign, formula), ``norm`` (:func:`slogan_norm`),
``frame`` (the head noun after it) and ``score``.

Examples
--------
>>> [(s["norm"], s["kind"]) for s in detect("落实“三提三争”活动部署，坚决捍卫“两个确立”。")]
[('三提三争', 'numeric'), ('两个确立', 'numeric')]
"""

from .candidates import slogan_norm
from .detect import detect
from .judge import SloganModel, load_model
from .lexicons import Lexicons, load_lexicons, read_lexicons

__all__ = ["detect", "slogan_norm", "SloganModel", "load_model", "Lexicons", "load_lexicons", "read_lexicons"]
