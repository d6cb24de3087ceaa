"""qidu_nlp.rules.themes: the policy themes of paragraphs and sentences.

:mod:`.taxonomy` (the themes and their keywords), :mod:`.keywords` (themes by keywords; weak
labels for training), :mod:`.model` and :mod:`.char_tfidf` (the trained classifier as stored and
applied), :mod:`.scores` (the two together).
"""
