"""The PII detector: structured identifiers, names and addresses, merged into one span list.

``PiiDetector.detect(text)`` returns non-overlapping ``Entity(start, end, type)`` spans in text
order, with character offsets. Where detections overlap, a validated identifier wins over a
name or an address (an address that runs into a phone number is cut before it), and a longer
span wins over a shorter one of the same rank.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from stages.pii.addresses import find_addresses
from stages.pii.banking import bic_is_known_bank, find_bics, find_ibans
from stages.pii.hanzi import to_simplified
from stages.pii.names import NameFinder
from stages.pii.names_gaps import names_across_gaps
from stages.pii.patterns import STRUCTURED_TYPES, Entity, find_structured, has_cjk
from stages.pii.phones_nanp import find_dotted_phones, find_nanp_phones
from stages.pii.rx import guarded

__all__ = ["ENTITY_TYPES", "Entity", "PiiDetector"]

#: Every entity type the detector reports; the stage's mask tag is ``[TYPE]``.
ENTITY_TYPES: tuple[str, ...] = (*STRUCTURED_TYPES, "NAME", "ADDRESS")

_RANK = {t: 0 for t in STRUCTURED_TYPES} | {"ADDRESS": 1, "NAME": 2}
#: An identifier's label and nothing else.
_LABEL_ONLY = guarded(r"[\s,;:]*(?i:IBAN|BIC|SWIFT|A/C|account(?:[ ]no\.?)?)[\s,;:.]*")


def _resolve(entities: Iterable[Entity]) -> list[Entity]:
    """Non-overlapping entities: identifiers first, then addresses, then names, the longest
    first within each; an address may be cut short before an identifier inside it."""
    unique = dict.fromkeys(entities)  # many rules find the same name
    ordered = sorted(unique, key=lambda x: (_RANK[x.type], -(x.end - x.start), x.start))
    # the chosen spans in text order: they never overlap, so their ends are in order too, and
    # the first one an entity overlaps is found by bisection (thousands of names stay fast)
    starts: list[int] = []
    ends: list[int] = []
    types: list[str] = []
    for ent in ordered:
        s, e = ent.start, ent.end
        j = bisect_right(ends, s)  # the first chosen span that ends after ``s``
        if j < len(starts) and starts[j] < e:
            if not (ent.type == "ADDRESS" and _RANK[types[j]] == 0 and starts[j] - s >= 4):
                continue  # it overlaps one chosen before
            e = starts[j]  # an address cut short before the identifier inside it
        j = bisect_right(starts, s)
        starts.insert(j, s)
        ends.insert(j, e)
        types.insert(j, ent.type)
    return [Entity(s, e, t) for s, e, t in zip(starts, ends, types, strict=True)]


class PiiDetector:
    """Finds the configured entity types; ``setup()`` loads the segmenter (about 1 s)."""

    def __init__(self, types: Iterable[str] | None = None) -> None:
        self.types = frozenset(ENTITY_TYPES if types is None else types)
        unknown = self.types - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(
                f"unknown PII entity types {sorted(unknown)}. Choose from: {', '.join(ENTITY_TYPES)}."
            )
        self._names = NameFinder() if "NAME" in self.types else None
        self._structured = bool(self.types & set(STRUCTURED_TYPES))

    def setup(self) -> None:
        if self._names is not None:
            self._names.setup()
        to_simplified("")  # loads the character table
        if "SWIFT_BIC" in self.types:
            bic_is_known_bank("BKCHCNBJ")  # loads schwifty's bank registry (about 0.2 s)

    def detect(self, text: str, extra: Iterable[Entity] = ()) -> list[Entity]:
        """Non-overlapping entities of ``text``, sorted by start offset. ``extra`` spans (a
        model's names and addresses) go through the same overlap resolution as the rules'."""
        if not text:
            return []
        cjk = has_cjk(text)
        found: list[Entity] = list(extra)
        if self._structured:
            found += find_structured(text)
            found += find_nanp_phones(text)
            found += find_dotted_phones(text)
        ibans = find_ibans(text) if self.types & {"IBAN", "SWIFT_BIC"} else []
        if "IBAN" in self.types:
            found += ibans
        if "SWIFT_BIC" in self.types:
            found += find_bics(text, ibans)
        # Names and addresses are read in simplified characters (same offsets): 陳淑芳, 號.
        words = to_simplified(text) if cjk else text
        addresses = find_addresses(words, cjk) if "ADDRESS" in self.types else []
        found += addresses
        if self._names is not None:
            settled = [(a.start, a.end) for a in addresses]
            found += self._names.find(words, cjk, settled)
            # names whose words a double space parts (``A  B``)
            found += names_across_gaps(self._names.find, words, settled)
        return [
            e
            for e in _resolve(found)
            if e.type in self.types
            # an address cut short before an identifier may leave only that identifier's
            # label (``Uroš Logar, IBAN BA39 ...``: ``IBAN``), no place
            and not (e.type == "ADDRESS" and _LABEL_ONLY.fullmatch(text, e.start, e.end))
        ]
