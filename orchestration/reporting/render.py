"""The report's templates (``templates/``, Jinja2): HTML autoescaped, Markdown as plain text with
table cells made safe. No Dagster imports."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

TEMPLATES = jinja2.PackageLoader("orchestration.reporting", "templates")


def md_cell(text: Any) -> str:
    """A value inside a Markdown table cell: no pipes or line breaks to break the row."""
    return str(text).replace("|", "/").replace("\n", " ")


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
    return env


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` (``.html.j2`` or ``.md.j2``)."""
    return environment().get_template(template).render(**context)
