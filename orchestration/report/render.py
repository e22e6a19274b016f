"""The report's templates (``templates/``, Jinja2): HTML autoescaped, Markdown as plain text with
table cells made safe. No Dagster imports."""

from __future__ import annotations

import functools
import re
from typing import Any

import jinja2
from markupsafe import Markup, escape

TEMPLATES = jinja2.PackageLoader("orchestration.report", "templates")


def md_cell(text: Any) -> str:
    """A value inside a Markdown table cell: no pipes or line breaks to break the row."""
    return str(text).replace("|", "/").replace("\n", " ")


def keep_ranges(text: Any) -> Markup:
    """HTML-escaped text whose number ranges ("2018–2030") never break over two lines."""
    return Markup(
        re.sub(
            r"\d+(?:–\d+)+",
            lambda m: f'<span class="nowrap">{m.group(0)}</span>',
            str(escape(text)),
        )
    )


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=TEMPLATES,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,  # a missing field is an error, never an empty cell
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_cell"] = md_cell
    env.filters["keep_ranges"] = keep_ranges
    return env


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` (``.html.j2`` or ``.md.j2``)."""
    return environment().get_template(template).render(**context)
