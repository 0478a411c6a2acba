"""Cut a document into passages that can be retrieved and quoted on their own.

Why this shape: prices live in Markdown tables, and a price row means nothing without its header
("| 시술 | 1회 | 5회 |"). So every table row becomes its own passage together with the section title and
the header, and prose is grouped by heading into passages of at most ``max_chars``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rag.documents import Chunk, SourceDocument

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def table_cells(line: str) -> list[str]:
    """Cells of one Markdown table line, outer pipes removed."""
    stripped = line.strip().strip("|")
    return [cell.strip() for cell in stripped.split("|")]


def _sections(text: str, title: str) -> Iterator[tuple[str, list[str]]]:
    """(section title, lines) in document order; the title path keeps parent headings for context."""
    path: list[tuple[int, str]] = []
    lines: list[str] = []
    current = title
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            if any(x.strip() for x in lines):
                yield current, lines
            level, name = len(match.group(1)), match.group(2).strip()
            path = [(lvl, n) for lvl, n in path if lvl < level] + [(level, name)]
            names = [n for _, n in path if n != title]
            current = " > ".join([title, *names])
            lines = []
        else:
            lines.append(line)
    if any(x.strip() for x in lines):
        yield current, lines


def _split_long(paragraph: str, max_chars: int) -> list[str]:
    if len(paragraph) <= max_chars:
        return [paragraph]
    pieces, current = [], ""
    for sentence in (s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", paragraph)):
        if not sentence:
            continue
        if current and len(current) + len(sentence) + 1 > max_chars:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def _blocks(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """('table', lines) or ('text', paragraph lines) blocks."""
    buffer: list[str] = []
    kind = "text"
    for line in [*lines, ""]:
        line_kind = "table" if _is_table_line(line) else "text"
        if line_kind != kind or (kind == "text" and not line.strip()):
            if any(b.strip() for b in buffer):
                yield kind, buffer
            buffer = []
            kind = line_kind
        if line.strip():
            buffer.append(line)


def linearize_row(header: str, row: str, context: str = "") -> str:
    """How a table row is shown to the encoder: its name, the column names and the words of its text cells.

    Numbers are left out on purpose: measured with the USE encoder, "피코토닝 1회 150,000원" is further from
    "피코토닝 가격이 얼마예요?" than "피코토닝 — 1회 가격, 패키지 가격" is. BM25 still sees the numbers.
    """
    names, cells = table_cells(header), table_cells(row)
    parts = []
    for index, cell in enumerate(cells[1:], start=1):
        name = names[index] if index < len(names) else ""
        if not cell or cell == "-":
            continue
        parts.append(name if re.search(r"\d", cell) and name else f"{name}: {cell}" if name else cell)
    text = f"{cells[0]} — {', '.join(parts)}" if cells else row
    return f"{text} ({context})" if context else text


def _leaf(section: str) -> str:
    return section.rsplit(" > ", 1)[-1]


def _table_chunks(lines: list[str], section: str, title: str) -> Iterator[Chunk]:
    if len(lines) >= 2 and _TABLE_SEPARATOR.match(lines[1].strip()):
        header, rows = lines[0].strip(), [x.strip() for x in lines[2:]]
    else:  # a table without a separator line: treat the first line as header anyway
        header, rows = lines[0].strip(), [x.strip() for x in lines[1:]]
    for row in rows:
        if _TABLE_SEPARATOR.match(row) or not any(table_cells(row)):
            continue
        yield Chunk(
            text=f"{_leaf(section)}\n{header}\n{row}",
            section=section,
            kind="table_row",
            embed_text=linearize_row(header, row, ", ".join(dict.fromkeys([_leaf(section), title]))),
            metadata={"table_header": header, "table_row": row},
        )


def split_document(document: SourceDocument, max_chars: int = 280) -> list[Chunk]:
    """Passages of one document: one per table row (with header), prose grouped per section."""
    chunks: list[Chunk] = []
    for section, lines in _sections(document.text, document.title):
        prose: list[str] = []
        for kind, block in _blocks(lines):
            if kind == "table":
                chunks.extend(_table_chunks(block, section, document.title))
            else:
                prose.extend(_split_long("\n".join(block).strip(), max_chars))
        current = ""
        for paragraph in prose:
            if current and len(current) + len(paragraph) + 1 > max_chars:
                chunks.append(Chunk(text=f"{_leaf(section)}\n{current}", section=section))
                current = paragraph
            else:
                current = f"{current}\n{paragraph}".strip()
        if current:
            chunks.append(Chunk(text=f"{_leaf(section)}\n{current}", section=section))
    return chunks


def chunk_body(text: str) -> str:
    """The passage without its first line (the section title the splitter prepends)."""
    return text.split("\n", 1)[1] if "\n" in text else text
