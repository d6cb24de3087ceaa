"""qidu_nlp.rules: what the library finds, as pure functions over strings.

Every module here takes a text (and, where it has them, the segmenter's token boundaries and
the sentence offsets) and returns plain candidates or span dicts with character offsets; none
imports spaCy, so each rule runs and is tested without a pipeline. The components of
:mod:`qidu_nlp.pipeline` call them.

- :mod:`.slogans`: slogan candidates, features, the trained judge, kinds;
- :mod:`.entities`: the seven entity labels, one module per label family, and the flat layer;
- :mod:`.quantities`: numbers with their units;
- :mod:`.indicators`: indicator statements (targets and achievements);
- :mod:`.themes`: policy themes (taxonomy, keywords, the trained classifier).
"""
