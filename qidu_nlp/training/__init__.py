"""qidu_nlp.training: fitting the trained models that ship in ``qidu_nlp/data``.

- :mod:`.slogans`: the slogan judge, cross-validated with folds grouped by document
  (``qidu train slogans``);
- :mod:`.themes`: the theme classifier, on weak labels (``qidu train themes``);
- :mod:`.glossary`: the slogan glossary of official English renderings, from aligned
  Chinese–English segments (``qidu glossary build``), scored by :mod:`qidu_nlp.evaluation.glossary`.

Each is reproducible (seeded) and the CLI prints the held-out scores.
"""
