"""The PII detector: structured identifiers, names and addresses, merged into one span list.

``PiiDetector.detect(text)`` returns non-overlapping ``Entity(start, end, type)`` spans in text
order, with character offsets. Where detections overlap, a validated identifier wins over a
name or an address (an address that runs into a phone number is cut before it), and a longer
span wins over a shorter one of the same rank.
"""

from __future__ import annotations

from collections.abc import Iterable

from stages.pii.addresses import find_addresses
from stages.pii.banking import bic_is_known_bank, find_bics, find_ibans
from stages.pii.hanzi import to_simplified
from stages.pii.names import NameFinder
from stages.pii.patterns import STRUCTURED_TYPES, Entity, find_structured, has_cjk
from stages.pii.phones_nanp import find_nanp_phones
from stages.pii.rx import guarded

__all__ = ["ENTITY_TYPES", "Entity", "PiiDetector"]

#: Every entity type the detector reports; the stage's mask tag is ``[TYPE]``.
ENTITY_TYPES: tuple[str, ...] = (*STRUCTURED_TYPES, "NAME", "ADDRESS")

_RANK = {t: 0 for t in STRUCTURED_TYPES} | {"ADDRESS": 1, "NAME": 2}
#: An identifier's label and nothing else.
_LABEL_ONLY = guarded(r"[\s,;:]*(?i:IBAN|BIC|SWIFT|A/C|account(?:[ ]no\.?)?)[\s,;:.]*")


def _resolve(entities: Iterable[Entity]) -> list[Entity]:
    ordered = sorted(entities, key=lambda x: (_RANK[x.type], -(x.end - x.start), x.start))
    chosen: list[Entity] = []
    # which chosen entity holds each character: overlaps are looked up, not scanned for
    # (a list of thousands of names stays linear)
    owner: dict[int, int] = {}
    for ent in ordered:
        s, e = ent.start, ent.end
        clash = False
        near = sorted({owner[p] for p in range(s, e) if p in owner})
        for c in (chosen[k] for k in near):
            if s < c.end and c.start < e:
                if ent.type == "ADDRESS" and _RANK[c.type] == 0 and c.start - s >= 4:
                    e = min(e, c.start)
                    continue
                clash = True
                break
        if not clash and e > s:
            owner.update(dict.fromkeys(range(s, e), len(chosen)))
            chosen.append(Entity(s, e, ent.type))
    chosen.sort()
    return chosen


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
            found += self._names.find(words, cjk, [(a.start, a.end) for a in addresses])
        return [
            e
            for e in _resolve(found)
            if e.type in self.types
            # an address cut short before an identifier may leave only that identifier's
            # label (``Uroš Logar, IBAN BA39 ...``: ``IBAN``), no place
            and not (e.type == "ADDRESS" and _LABEL_ONLY.fullmatch(text, e.start, e.end))
        ]
