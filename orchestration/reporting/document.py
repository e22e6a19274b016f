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


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str | None = None
    kind: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    css: str | None = None  # "note" renders as a Markdown quote; "question" in italics
    kind: str = "paragraph"


@dataclass(frozen=True)
class Items:
    texts: list[str]
    css: str
    links: list[str | None] | None = None
    kind: str = "items"


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[Cell]]
    css: str
    kind: str = "table"


@dataclass(frozen=True)
class Figure:
    chart: str  # trend, lan, kon, kommuner
    svg: str
    title: str
    caption: str
    files: str  # path of the SVG and CSV without suffix, relative to the report
    kind: str = "figure"


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
