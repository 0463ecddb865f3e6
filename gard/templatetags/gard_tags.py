"""Rendering of section bodies: plain text written by sources and editors, escaped."""

import re

from django import template
from django.template import engines
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
def symptom_rows(rows, group):
    """The rows of one frequency group (numbered ``group`` from 1) of the symptom table, from
    templates/jinja2/diseases/symptom_rows.html (autoescaped): Django's engine takes ten times as long
    for the largest tables' hundreds of rows."""
    template = engines["jinja2"].get_template("diseases/symptom_rows.html")
    return mark_safe(template.render({"rows": rows, "group": group}))
