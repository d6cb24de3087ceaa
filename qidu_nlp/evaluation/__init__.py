"""qidu_nlp.evaluation: gold files, the scorer, ``qidu predict`` and ``qidu bench``.

- :mod:`.gold`: gold files in the annotation guide's schema, read, checked, turned into Docs;
- :mod:`.scorer`: predictions against gold (strict and overlap P/R/F1, kinds, values);
- :mod:`.predict`: any detector's predictions in the gold schema;
- :mod:`.baselines`: simple reference detectors;
- :mod:`.bench`: the detector and the baselines scored side by side.
"""

from .bench import BenchReport, bench
from .gold import load_gold, read_texts, sample_gold_path, to_docbin
from .predict import load_detector, predict, predict_file
from .scorer import score

__all__ = ["bench", "BenchReport", "load_gold", "read_texts", "sample_gold_path", "to_docbin", "load_detector",
           "predict", "predict_file", "score"]
