"""Sentence tests of the PII detector kept as data: every ``cases/*.json`` file.

Each file lists miss classes (``finds``: sentences and the value the detector must report
as an entity type in each) and look-alikes (``look_alikes``: sentences that must yield no
entity of some types); see ``cases.load_case_file`` for the format. Every sentence is a test
of its own, its id the file, the class and its place in the class.
"""

from __future__ import annotations

from tests.stages.pii.cases import CASE_FILES, load_case_file, sentence_tests

FINDS, LOOK_ALIKES = [], []
for _path in CASE_FILES:
    _finds, _look_alikes = load_case_file(_path)
    FINDS += _finds
    LOOK_ALIKES += _look_alikes

test_finds, test_leaves_look_alikes_alone = sentence_tests(FINDS, LOOK_ALIKES)
