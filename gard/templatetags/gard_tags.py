"""Rendering of section bodies: plain text written by sources and editors, escaped."""

import re
from html import escape

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

CITATION = re.compile(r"\[(\d{1,3})\]")


def _cite(text: str, reference_numbers: set[int]) -> str:
    """Escape text and link each [n] marker that names a reference on the page."""

    def link(match):
        number = int(match.group(1))
        if number not in reference_numbers:
            return match.group(0)
        return format_html('<a class="cite" href="#reference-{0}" aria-label="Reference {0}">[{0}]</a>', number)

    escaped = str(conditional_escape(text))
    return CITATION.sub(link, escaped)


@register.filter
def render_body(body: str, references=()) -> str:
    """Paragraphs split by blank lines; "## " starts a subheading; "• " lines make a list."""
    numbers = {reference.number for reference in references}
    blocks = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## ") and len(lines) == 1:
            blocks.append(f"<h3>{_cite(lines[0][3:], numbers)}</h3>")
        elif all(line.startswith("•") for line in lines):
            items = "".join(f"<li>{_cite(line.lstrip('• '), numbers)}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{_cite(' '.join(lines), numbers)}</p>")
    return mark_safe("\n".join(blocks))


@register.simple_tag
def symptom_rows(rows):
    """The rows of a symptom table. Built here rather than in a template loop: the largest
    tables have hundreds of rows, and plain escaping and joining is several times faster.
    Every value is escaped with html.escape (quotes included)."""
    return mark_safe("\n".join(_symptom_row(row) for row in rows))


def _names(names) -> str:
    return '<ul class="names">' + "".join(f"<li>{escape(name)}</li>" for name in names) + "</ul>"


def _symptom_row(row) -> str:
    names = ""
    if row.other_names:
        names = _names(row.shown_names)
        if row.folded_names:
            names += (
                f'<details><summary>{len(row.folded_names)} more<span class="visually-hidden"> other names for '
                f"{escape(row.name)}</span></summary>{_names(row.folded_names)}</details>"
            )
    statements = "".join(
        f'<li>{escape(s.text)} <span class="source-label">{escape(s.source)}</span></li>' for s in row.statements
    )
    return (
        f'<tr><th scope="row"><a href="{escape(row.url)}">{escape(row.name)}</a></th><td>{names}</td>'
        f'<td><ul class="statements">{statements}</ul></td>'
        f'<td><a href="{escape(row.hpo_url)}">{escape(row.hpo_id)}</a></td></tr>'
    )
