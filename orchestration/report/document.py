"""The county report as a small document model, rendered to HTML and to Markdown by the
templates ``document.html.j2`` and ``document.md.j2`` (:mod:`.render`): the report's code says
what is on the page, the templates how each kind of block looks. No Dagster imports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None  # a link (HTML and Markdown)
    css: str | None = None  # a status badge class (HTML only)
    title: str | None = None  # a tooltip (HTML only): e.g. the source's full title
    note: str | None = None  # a second, smaller line (HTML) / ", note" (Markdown): e.g. the unit


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str | None = None
    kind: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    """``css``: "note" (a box; a Markdown quote), "question" (italics), "borrowed" (a quotation
    of another region's strategy: a block quote in both), "source", "full-title", "chart-note",
    "small" (muted)."""

    text: str
    css: str | None = None
    href: str | None = None  # the whole paragraph's text links here
    kind: str = "paragraph"


@dataclass(frozen=True)
class Items:
    texts: list[str]
    css: str
    links: list[str | None] | None = None
    kind: str = "items"


@dataclass(frozen=True)
class Terms:
    """A definition list: (term, explanation) pairs; ``css`` on the list."""

    pairs: list[tuple[str, str]]
    css: str
    kind: str = "terms"


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[Cell]]
    css: str
    head_titles: list[str | None] | None = None  # tooltips of the column headings (HTML)
    kind: str = "table"


@dataclass(frozen=True)
class Figure:
    chart: str  # trend, lan, kon, kommuner
    svg: str
    title: str
    caption: str
    files: str  # path of the SVG and CSV without suffix, relative to the report
    alt: str = ""  # what the chart shows, for screen readers and the Markdown image
    kind: str = "figure"


@dataclass
class Contents:
    """The table of contents: filled from the document's headings when it is rendered
    (:meth:`Document.contents`)."""

    title: str = "Innehåll"
    entries: list[tuple[int, str, str]] = field(default_factory=list)  # (level, text, anchor)
    kind: str = "contents"

    def tree(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """The entries nested: (text, anchor, [(text, anchor) of its level-3 entries])."""
        out: list[tuple[str, str, list[tuple[str, str]]]] = []
        for level, text, anchor in self.entries:
            if level == 2 or not out:
                out.append((text, anchor, []))
            else:
                out[-1][2].append((text, anchor))
        return out


@dataclass
class Section:
    css: str
    id: str | None = None
    blocks: list = field(default_factory=list)
    kind: str = "section"


@dataclass
class Document:
    title: str
    css: str
    blocks: list = field(default_factory=list)
    _open: list[Section] = field(default_factory=list)

    def add(self, *blocks) -> None:
        (self._open[-1].blocks if self._open else self.blocks).extend(blocks)

    @contextmanager
    def section(self, css: str, id: str | None = None) -> Iterator[Section]:
        section = Section(css, id)
        self.add(section)
        self._open.append(section)
        try:
            yield section
        finally:
            self._open.pop()

    def contents(self) -> list[tuple[int, str, str]]:
        """(level, text, anchor) of every level-2 heading with an id, and of every section with
        an id whose first heading is level 3 (a kraftsamling, an area)."""
        out: list[tuple[int, str, str]] = []

        def walk(blocks: list) -> None:
            for b in blocks:
                if isinstance(b, Heading) and b.level == 2 and b.id:
                    out.append((2, b.text, b.id))
                elif isinstance(b, Section):
                    first = next((x for x in b.blocks if isinstance(x, Heading)), None)
                    if b.id and first is not None and first.level == 3:
                        out.append((3, first.text, b.id))
                    walk(b.blocks)

        walk(self.blocks)
        return out

    def fill_contents(self) -> None:
        """Fill every :class:`Contents` block from the finished document."""
        entries = self.contents()
        for b in self.blocks:
            if isinstance(b, Contents):
                b.entries = entries
