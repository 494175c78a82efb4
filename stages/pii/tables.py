"""Tables pasted as text: which column header a position falls under."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from stages.pii.rx import guarded

__all__ = ["column_cells", "column_header"]

_CELL_SEPS = ("|", "｜", "\t", ";", ",")
#: How many rows above a cell its table's header may stand.
_HEADER_ROWS = 40
#: What a Markdown rule line (``|---|:--:|``) is made of.
_RULE_CHARS = frozenset("|｜-－: ")


def column_header(text: str, pos: int) -> str:
    """The lower-cased header of the table column that ``pos`` lies in, or "" outside a table.

    A table is consecutive lines that hold the same number of one cell separator (``|``, a
    full-width ``｜``, tab, ``;`` or ``,``); its first line is the header, and a cell's column
    is its count of separators before it on its line (``Beneficiary | Account | SWIFT`` over
    ``... | BKCHCNBJ``).
    """
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    for sep in _CELL_SEPS:
        count = line.count(sep)
        if count == 0:
            continue
        column = text.count(sep, line_start, pos)
        header, rows = "", 0
        start = line_start
        while start > 0 and rows < _HEADER_ROWS:
            prev_start = text.rfind("\n", 0, start - 1) + 1
            prev = text[prev_start : start - 1]
            rule = set(prev.strip()) <= _RULE_CHARS  # a Markdown rule line: |---|---|
            if prev.count(sep) != count and not rule:
                break
            if not rule:
                header = prev
            start, rows = prev_start, rows + 1
        if header:
            cells = header.split(sep)
            return cells[column].lower() if column < len(cells) else ""
    return ""


def column_cells(text: str, header: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Spans (stripped) of the cells under every column whose header cell ``header`` accepts.

    A header is a line with one of the cell separators; the rows are the lines below it with the
    same number of that separator (a Markdown rule line between is skipped)."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    k = 0
    while k < len(lines):
        start, line = lines[k]
        k += 1
        if "  " in line and not any(sep in line for sep in _CELL_SEPS):
            cells: list[tuple[int, int]] = []
            k = _aligned_cells(lines, k, header, cells)
            yield from cells
            continue
        if _SPACED_ZH_HEADER.fullmatch(line):
            cells = []
            k = _spaced_cells(lines, k, header, cells)
            yield from cells
            continue
        if not any(_rows_follow(lines, k, sep, line) for sep in _CELL_SEPS if sep in line):
            continue  # no row below holds as many of any separator: no column (and no header)
        for sep in _CELL_SEPS:
            count = line.count(sep)
            if count == 0:
                continue
            columns = [i for i, cell in enumerate(line.split(sep)) if header(cell)]
            if not columns:
                continue
            while k < len(lines):
                row_start, row = lines[k]
                if not _row_fits(row, sep, line) and not set(row.strip()) <= _RULE_CHARS:
                    break
                k += 1
                cell_start = row_start
                for i, cell in enumerate(row.split(sep)):
                    if i in columns:
                        lead = len(cell) - len(cell.lstrip())
                        stripped = cell.strip()
                        if stripped:
                            yield cell_start + lead, cell_start + lead + len(stripped)
                    cell_start += len(cell) + len(sep)
            break


def _row_fits(row: str, sep: str, header: str) -> bool:
    """Whether ``row`` is a row under the table header ``header`` (a line with ``sep``): as
    many of ``sep``, or, under an export's header (commas without spaces,
    ``date,item,addressee,address``), more (a cell's own commas, unquoted: an address)."""
    n, count = row.count(sep), header.count(sep)
    return n == count or (sep == "," and n > count >= 2 and ", " not in header)


def _rows_follow(lines: list[tuple[int, str]], k: int, sep: str, header: str) -> bool:
    """Whether line ``k - 1`` (``header``) has a cell below it as a header of ``sep``: a row
    that fits it (``_row_fits``), or a rule line (its dashes are cells too), after blank
    lines."""
    while k < len(lines):
        row = lines[k][1]
        if _row_fits(row, sep, header):
            return True
        stripped = row.strip()
        if not set(stripped) <= _RULE_CHARS:
            return False
        if stripped:
            return True
        k += 1
    return False


_ALIGNED_CELL = guarded(r"\S+(?:[ ]\S+)*")
#: A Chinese header of three or more words joined by single spaces (序号 姓名 持股比例 证件号码).
_SPACED_ZH_HEADER = guarded(r"[ \t]*[\u4e00-\u9fff]{2,8}(?:[ ][\u4e00-\u9fff]{2,8}){2,}[ \t]*")
_TOKEN = guarded(r"\S+")


def _spaced_cells(
    lines: list[tuple[int, str]], k: int, header: Callable[[str], bool], out: list[tuple[int, int]]
) -> int:
    """Columns separated by single spaces under the Chinese header line ``k - 1``: the rows
    below with as many space-separated tokens; appends the cells under matching headers to
    ``out``; returns the index of the first line after the rows."""
    head = lines[k - 1][1].split()
    columns = [i for i, cell in enumerate(head) if header(cell)]
    if not columns:
        return k
    while k < len(lines):
        row_start, row = lines[k]
        tokens = list(_TOKEN.finditer(row))
        if len(tokens) != len(head):
            break
        k += 1
        out += ((row_start + tokens[i].start(), row_start + tokens[i].end()) for i in columns)
    return k


def _aligned_cells(
    lines: list[tuple[int, str]], k: int, header: Callable[[str], bool], out: list[tuple[int, int]]
) -> int:
    """Columns aligned with runs of two or more spaces under header line ``k - 1``: appends
    the cells under matching headers to ``out``; returns the index of the first line after.
    A row of as many cells as the header is read cell by cell; one of two cells or more but
    another count, by where its cells start (from two characters before a header to the next
    header); a row of fewer than two cells ends the table."""
    start, line = lines[k - 1]
    head = [(m.group(), m.start()) for m in _ALIGNED_CELL.finditer(line)]
    columns = [i for i, (cell, _) in enumerate(head) if header(cell)]
    if len(head) < 2 or not columns:
        return k
    while k < len(lines):
        row_start, row = lines[k]
        cells = [m.span() for m in _ALIGNED_CELL.finditer(row)]
        if len(cells) == len(head):
            out.extend((row_start + cells[i][0], row_start + cells[i][1]) for i in columns)
        elif len(cells) >= 2:
            # a row with a cell more or fewer (a name typed with two spaces, a last column's
            # words one space apart): the cells that start under the header, joined (a cell
            # may start a little left of its header: right-aligned numbers, a wider value)
            for i in columns:
                lo = head[i][1] - 2
                hi = head[i + 1][1] if i + 1 < len(head) else len(row)
                under = [c for c in cells if lo <= c[0] < hi]
                if under:
                    out.append((row_start + under[0][0], row_start + under[-1][1]))
        else:
            break
        k += 1
    return k
