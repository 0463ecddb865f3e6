"""Arranging a disease's rows into the parts of its page."""

from dataclasses import dataclass, field
from itertools import groupby

from gard.models import SECTION_ORDER, Frequency, SectionKind


@dataclass
class PageSection:
    kind: str
    title: str
    texts: list = field(default_factory=list)  # Section rows, one per source
    resource_groups: list = field(default_factory=list)  # (group heading, [Resource])

    @property
    def anchor(self):
        return self.kind.replace("_", "-")


def page_sections(disease) -> list[PageSection]:
    """The disease's sections in page order, each source's text and resources under it."""
    parts: dict[str, PageSection] = {}

    def part(kind):
        return parts.setdefault(kind, PageSection(kind, SectionKind(kind).label))

    for section in disease.sections.all():
        part(section.kind).texts.append(section)
    resources = sorted(disease.resources.all(), key=lambda r: (SECTION_ORDER[r.kind], r.position, r.pk))
    for kind, in_kind in groupby(resources, key=lambda r: r.kind):
        part(kind).resource_groups = [(group, list(items)) for group, items in groupby(in_kind, key=lambda r: r.group)]
    part(SectionKind.SYMPTOMS)  # the symptom table always has a place
    for item in parts.values():
        item.texts.sort(key=lambda s: (s.source is None, s.pk))
    return sorted(parts.values(), key=lambda p: SECTION_ORDER[p.kind])


def frequency_groups(rows) -> list[tuple[str, list]]:
    """Table rows under GARD's frequency headings, in the order they arrive."""
    labels = dict(Frequency.choices)
    return [(labels[value], list(items)) for value, items in groupby(rows, key=lambda row: row.frequency)]
