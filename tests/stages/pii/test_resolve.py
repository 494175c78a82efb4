"""The overlap resolution finds what a per-character owner table finds (the form it replaced:
each entity looks up who holds each of its characters)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stages.pii.detector import _RANK, _resolve
from stages.pii.patterns import Entity


def _by_characters(entities: list[Entity]) -> list[Entity]:
    ordered = sorted(entities, key=lambda x: (_RANK[x.type], -(x.end - x.start), x.start))
    chosen: list[Entity] = []
    owner: dict[int, int] = {}
    for ent in ordered:
        s, e = ent.start, ent.end
        clash = False
        for c in (chosen[k] for k in sorted({owner[p] for p in range(s, e) if p in owner})):
            if s < c.end and c.start < e:
                if ent.type == "ADDRESS" and _RANK[c.type] == 0 and c.start - s >= 4:
                    e = min(e, c.start)
                    continue
                clash = True
                break
        if not clash and e > s:
            owner.update(dict.fromkeys(range(s, e), len(chosen)))
            chosen.append(Entity(s, e, ent.type))
    return sorted(chosen)


_ENTITY = st.builds(
    lambda start, length, kind: Entity(start, start + length, kind),
    st.integers(0, 40),
    st.integers(1, 16),
    st.sampled_from(["ADDRESS", "NAME", "PHONE", "ID_CARD", "EMAIL"]),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_ENTITY, max_size=14))
def test_the_resolution_is_the_owner_tables(entities: list[Entity]) -> None:
    assert _resolve(entities) == _by_characters(entities)


def test_an_address_is_cut_before_an_identifier_and_names_inside_it_go() -> None:
    found = [
        Entity(0, 30, "ADDRESS"),
        Entity(10, 21, "PHONE"),
        Entity(2, 6, "NAME"),
        Entity(12, 15, "NAME"),
        Entity(25, 29, "NAME"),
    ]
    assert _resolve(found) == [
        Entity(0, 10, "ADDRESS"),
        Entity(10, 21, "PHONE"),
        Entity(25, 29, "NAME"),
    ]
