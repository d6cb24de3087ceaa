"""qidu_nlp.text: what every rule needs to read a text, as pure functions over strings.

- :mod:`.normalize`: the length-preserving normalised view (offsets never move);
- :mod:`.chars`: character classes (Chinese characters, numeral characters), defined once;
- :mod:`.numerals`: the numerals of policy text as floats;
- :mod:`.scripts`: traditional or simplified characters, and folding one to the other;
- :mod:`.structure`: paragraphs, sentences, headings, section paths;
- :mod:`.header`: the report header and the year a document refers to.
"""
