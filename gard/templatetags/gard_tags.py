"""Rendering of section bodies: plain text written by sources and editors, escaped."""

from django import template
from django.template import engines
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from gard.diseases.written import CITATION, body_blocks

register = template.Library()


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
    """Paragraphs split by blank lines; "## " starts a subheading; "• " lines make a list
    (``gard.diseases.written.body_blocks``)."""
    numbers = {reference.number for reference in references}
    html = []
    for block in body_blocks(body):
        if block.kind == "heading":
            html.append(f"<h3>{_cite(block.lines[0][3:], numbers)}</h3>")
        elif block.kind == "list":
            items = "".join(f"<li>{_cite(line.lstrip('• '), numbers)}</li>" for line in block.lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{_cite(block.text, numbers)}</p>")
    return mark_safe("\n".join(html))


@register.simple_tag
def group_query(symptom_filter, value):
    """The symptom table's query string filtered to one frequency group, other choices kept."""
    return symptom_filter.query_with(frequency=value, rows=None)


@register.simple_tag
def symptom_rows(rows, group):
    """The rows of one frequency group (numbered ``group`` from 1) of the symptom table, from
    templates/jinja2/diseases/symptom_rows.html (autoescaped): Django's engine takes ten times as long
    for the largest tables' hundreds of rows."""
    template = engines["jinja2"].get_template("diseases/symptom_rows.html")
    return mark_safe(template.render({"rows": rows, "group": group}))
