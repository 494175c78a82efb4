"""Text utilities shared by the stage families, for Chinese and English.

- ``words``: the one definition of a word (``count_words``, ``split_words_batch``), built on
  ``tokens`` (spaCy-compatible English tokens, Han characters or jieba words);
- ``sentences``: sentences per text, by spaCy's sentencizer rule;
- ``chinese``: which documents are judged as Chinese, and the config and filter bases for
  thresholds that differ for them (``ChineseAwareConfig``, ``ChineseAwareFilter``);
- ``scripts``: characters per Unicode script (Han, Latin, kana) and the Han share of letters;
- ``punctuation``: symbol and sentence-terminal characters;
- ``lines``: lines as ``str.splitlines`` gives them, for a whole batch;
- ``hashing``: vectorised 64-bit string hashes;
- ``arrays``: small Arrow/numpy helpers.

Stage families import from here, never from each other. No stage is registered here.
"""
