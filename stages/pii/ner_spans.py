"""From a named-entity model's raw output to the spans ``pii_redact`` masks (``stages.pii.ner``).

Token predictions of overlapping windows → one prediction per token (``merge_windows``) →
word-level entities by BIO/IO tags (``aggregate``) → names cleaned (``clean_names``) and place
spans joined into postal addresses (``join_places``), both in ``finish``. Pure functions of
text and offsets, so they are tested without a model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = [
    "Token",
    "aggregate",
    "clean_names",
    "finish",
    "join_places",
    "merge_windows",
    "split_label",
]

#: One token's prediction: (start, end) character offsets, label (``B-PER``, ``I-LOC``, ``O``,
#: or an IO label ``PER``), and the probability of that label.
Token = tuple[int, int, str, float]

#: A character of a CJK script: a word of its own, and a span a non-CJK model may not tag.
_CJK_CHAR = guarded(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_PLACE_GAP = guarded(r"[\s,;\-\u3001\uff0c]*\d*[\s,;\-]*")


def merge_windows(windows: Iterable[Sequence[Token]]) -> list[Token]:
    """Tokens of overlapping windows, one per character span, in text order: a token seen in
    several windows keeps the prediction of the window where it is farthest from an edge
    (the most context on both sides)."""
    best: dict[tuple[int, int], tuple[int, Token]] = {}
    for window in windows:
        n = len(window)
        for i, tok in enumerate(window):
            margin = min(i, n - 1 - i)
            key = (tok[0], tok[1])
            if key not in best or margin > best[key][0]:
                best[key] = (margin, tok)
    return [tok for _, tok in sorted(best.values(), key=lambda x: (x[1][0], x[1][1]))]


def split_label(label: str) -> tuple[str, str]:
    """("B" | "I" | "", entity) of a label; ("", "") for outside."""
    if label in ("O", ""):
        return "", ""
    if len(label) > 2 and label[1] in "-_" and label[0] in "BIESLU":
        prefix = {"B": "B", "S": "B", "U": "B"}.get(label[0], "I")
        return prefix, label[2:]
    return "", label


def aggregate(
    text: str, tokens: Sequence[Token], label_map: dict[str, str], min_score: float = 0.0
) -> list[Entity]:
    """Entities from token predictions in text order.

    A token starting where the previous one ended continues its word (sub-words); a CJK
    character is a word of its own. A word takes the label and score of its first token.
    Words join into an entity while the label is ``I-X`` (or the same IO label ``X``) after
    an ``X`` word; ``B-X`` starts a new one. An entity is kept when its label maps to a type
    and its mean word score is at least ``min_score``.
    """
    words: list[list[Any]] = []  # [start, end, label, score]
    for start, end, label, score in tokens:
        if end <= start:
            continue  # special tokens carry empty offsets
        glued = (
            words
            and start == words[-1][1]
            and not _CJK_CHAR.match(text, start)
            and not _CJK_CHAR.match(text, start - 1)
        )
        if glued:
            words[-1][1] = end
        else:
            words.append([start, end, label, score])
    out: list[Entity] = []
    cur: list[Any] | None = None  # [start, end, entity, scores]

    def close() -> None:
        if cur is not None and cur[2] in label_map and sum(cur[3]) / len(cur[3]) >= min_score:
            out.append(Entity(cur[0], cur[1], label_map[cur[2]]))

    for start, end, label, score in words:
        prefix, ent = split_label(label)
        if ent and cur is not None and cur[2] == ent and prefix != "B":
            cur[1] = end
            cur[3].append(score)
            continue
        close()
        cur = [start, end, ent, [score]] if ent else None
    close()
    return out


def join_places(text: str, places: Sequence[Entity]) -> list[Entity]:
    """Postal addresses from a model's place spans: adjacent places (sorted) joined across
    commas, dashes and numbers; a joined span is kept when it holds a digit or two places."""
    out: list[Entity] = []
    group: list[Entity] = []

    def close() -> None:
        if group:
            start, end = group[0].start, group[-1].end
            if len(group) >= 2 or any(c.isdigit() for c in text[start:end]):
                out.append(Entity(start, end, "ADDRESS"))

    for ent in places:
        if group and _PLACE_GAP.fullmatch(text, group[-1].end, ent.start):
            group.append(ent)
            continue
        close()
        group = [ent]
    close()
    return out


_LABEL_AFTER = guarded(r"[ \t]*[:\uff1a]")


def clean_names(text: str, names: Iterable[Entity], min_words: int = 1) -> list[Entity]:
    """A model's names that can be names: cut at a line break (a name never spans two
    lines), and dropped when they hold a digit ("Reference INV-88213"), are a field label
    (followed by a colon: "Beneficiary Name:") or have fewer than ``min_words`` words
    (a name in CJK characters, written without spaces, is exempt)."""
    out: list[Entity] = []
    for ent in names:
        end = ent.end
        newline = text.find("\n", ent.start, end)
        if newline >= 0:
            end = newline
        value = text[ent.start : end].rstrip()
        end = ent.start + len(value)
        if not value or any(c.isdigit() for c in value) or _LABEL_AFTER.match(text, end):
            continue
        if len(value.split()) < min_words and not _CJK_CHAR.search(value):
            continue
        out.append(Entity(ent.start, end, ent.type))
    return out


def finish(text: str, found: Iterable[Entity], cjk: bool, min_words: int = 1) -> list[Entity]:
    """The recogniser's answer from raw model spans: names cleaned, places joined into
    addresses, and, unless the model reads CJK text (``cjk``), spans holding a CJK
    character dropped (a model that never saw Chinese tags Chinese text at random)."""
    if not cjk:
        found = [e for e in found if not _CJK_CHAR.search(text, e.start, e.end)]
    names = clean_names(text, (e for e in found if e.type == "NAME"), min_words)
    places = sorted(e for e in found if e.type == "ADDRESS")
    return sorted(names + join_places(text, places))
