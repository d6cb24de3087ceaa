"""qidu_nlp.pipeline.quantities: the ``qidu_quantities`` component.

Writes ``doc.spans["quantities"]`` (label ``QUANTITY``): every number with its unit or counter,
with ``span._.qidu.value`` (a float, 万/亿 multiplied out), ``unit`` (canonical), ``dimension``,
``si_value``/``si_unit`` and ``approx`` (over, under, about). The work is
:func:`qidu_nlp.rules.quantities.find_quantities`; a quantity never crosses a sentence. Its data
(the unit table and the context rules) are saved with the pipeline.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("qidu_quantities")
>>> doc = nlp("连续三年增长5%左右")
>>> [(s.text, s._.qidu.value, s._.qidu.unit) for s in doc.spans["quantities"]]
[('三年', 3.0, '年'), ('5%左右', 5.0, '%')]
"""

from __future__ import annotations

import bisect
from typing import Callable, Iterable, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..resources import BytesFolder, data_folder, read_bytes
from ..rules.quantities import DATA_FILES, QuantityData, find_quantities, read_data
from ..schema import QUANTITIES_KEY
from .datafiles import DataFiles, SavedAsDataFiles
from .docs import doc_text, sentence_offsets
from .spans import write_spans

__all__ = ["QuantityMatcher", "make_quantities"]


class QuantityMatcher(SavedAsDataFiles):
    """The ``qidu_quantities`` component.

    Parameters
    ----------
    nlp : Language
        The pipeline.
    name : str
        The component name.
    spans_key : str
        The span group to write.
    scorer : callable
        Scores the component (span P/R/F and value accuracy).
    """

    data_files = DATA_FILES  # what to_disk writes and from_disk reads back

    def __init__(self, nlp: Language, name: str = "qidu_quantities", *, spans_key: str = QUANTITIES_KEY,
                 scorer: Optional[Callable] = None):
        self.name = name
        self.spans_key = spans_key
        self.scorer = scorer
        self.files: DataFiles | None = None
        self.data: QuantityData | None = None

    def initialize(self, get_examples: Callable[[], Iterable] | None = None, *, nlp: Language | None = None) -> None:
        """Read the packaged unit table and rules."""
        self._load(DataFiles({"units.json": read_bytes(data_folder(), "units.json"),
                              "rules.json": read_bytes(data_folder("quantities"), "rules.json")}))

    def _load(self, files: DataFiles) -> None:
        self.files = files
        self.data = read_data(BytesFolder(files.files))

    def match(self, doc: Doc) -> list[dict]:
        """The quantity items of ``doc`` (no sentence may be crossed)."""
        if self.data is None:
            self.initialize()
        items = find_quantities(doc_text(doc), data=self.data)
        if doc.has_annotation("SENT_START"):
            bounds = [s for s, _ in sentence_offsets(doc)]  # sorted

            def crosses(q: dict) -> bool:  # a sentence start strictly inside the span
                i = bisect.bisect_right(bounds, q["start"])
                return i < len(bounds) and bounds[i] < q["end"]

            items = [q for q in items if not crosses(q)]
        return items

    def __call__(self, doc: Doc) -> Doc:
        write_spans(doc, self.spans_key, self.match(doc))
        return doc

    def score(self, examples: Iterable, **kwargs) -> dict:
        """Span P/R/F and value accuracy of the ``quantities`` group (see :mod:`.scorers`)."""
        return self.scorer(examples, spans_key=self.spans_key, **kwargs)


@Language.factory(
    "qidu_quantities",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"spans_key": QUANTITIES_KEY, "scorer": {"@scorers": "qidu.quantities_scorer.v1"}},
    default_score_weights={f"spans_{QUANTITIES_KEY}_f": 1.0, f"spans_{QUANTITIES_KEY}_p": 0.0,
                           f"spans_{QUANTITIES_KEY}_r": 0.0, f"spans_{QUANTITIES_KEY}_value_acc": 0.0},
)
def make_quantities(nlp: Language, name: str, spans_key: str, scorer: Callable) -> QuantityMatcher:
    """Build the ``qidu_quantities`` component."""
    return QuantityMatcher(nlp, name, spans_key=spans_key, scorer=scorer)
