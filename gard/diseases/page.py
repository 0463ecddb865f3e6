"""Arranging a disease's rows into the parts of its page."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from gard.diseases.written import shown_text, shows_resource
from gard.frequency import (
    FEW,
    FRACTION,
    SHOWN_ORDER,
    Frequency,
    describe_raw,
    describe_small_sample,
    shown_group,
    shown_labels,
    shown_plain_labels,
    shown_rank,
)
from gard.models import IMPORTED_TEXT_SOURCES, SECTION_ORDER, Aspect, PhenotypeSynonym, SectionKind
from gard.text import upper_first

PMID = re.compile(r"^PMID:(\d+)$")


@dataclass
class PageSection:
    kind: str
    title: str
    texts: list = field(default_factory=list)  # ShownText, one per source (gard.diseases.written)
    resource_groups: list = field(default_factory=list)  # (group heading, [Resource])

    @property
    def anchor(self):
        return self.kind.replace("_", "-")


def page_sections(disease, leading=None) -> list[PageSection]:
    """The disease's sections in page order, each source's text and resources under it, without the
    dead ends of the sources' texts (gard.diseases.written): a section left with nothing to say is
    left out.

    Left out too: ``leading``, the summary the family section shows at the top, and imported
    definitions (Orphanet's, the Disease Ontology's), which only ever stand there.
    """
    parts: dict[str, PageSection] = {}

    def part(kind):
        return parts.setdefault(kind, PageSection(kind, SectionKind(kind).label))

    resources = sorted(
        (r for r in disease.resources.all() if shows_resource(r)),
        key=lambda r: (SECTION_ORDER[r.kind], r.position, r.pk),
    )
    for kind, in_kind in groupby(resources, key=lambda r: r.kind):
        part(kind).resource_groups = [(group, list(items)) for group, items in groupby(in_kind, key=lambda r: r.group)]
    linked = set(parts)  # the sections that list links
    for section in disease.sections.all():
        if section == leading or (section.source_id and section.source.key in IMPORTED_TEXT_SOURCES):
            continue
        text = shown_text(section, lists_links=section.kind in linked)
        if text.body:
            part(section.kind).texts.append(text)
    part(SectionKind.SYMPTOMS)  # the symptom table always has a place
    for item in parts.values():
        item.texts.sort(key=lambda text: (text.source is None, text.section.pk))
    return sorted(parts.values(), key=lambda p: SECTION_ORDER[p.kind])


# -- the overview: facts, counts and the chart, from one light query -----------------------


@dataclass
class Fact:
    hpo_id: str
    name: str
    sources: list[str] = field(default_factory=list)
    term_id: int | None = None


@dataclass
class SystemBar:
    """One body system in the at-a-glance chart: how many symptoms, by how often they occur."""

    hpo_id: str
    name: str
    total: int
    segments: list[tuple[str, str, int, int]]  # (frequency value, short label, count, offset in the bar)

    @property
    def name_html(self) -> str:
        """The name, free to wrap after a slash ("Metabolism/<wbr>homeostasis") on a narrow screen."""
        return mark_safe(escape(self.name).replace("/", "/<wbr>"))  # escaped above


@dataclass
class Overview:
    terms: int = 0  # distinct symptoms in the table
    # Groups here are the page's (``gard.frequency.SHOWN_ORDER``): a small sample in its own.
    group_counts: Counter = field(default_factory=Counter)  # terms with a statement in each group
    category_counts: Counter = field(default_factory=Counter)  # hpo_id -> terms
    category_names: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)  # aspect label -> [Fact]
    not_seen: list = field(default_factory=list)  # [Fact]
    pmids: list = field(default_factory=list)
    chart: list = field(default_factory=list)  # [SystemBar]
    best_groups: Counter = field(default_factory=Counter)  # terms by their most frequent group
    symptoms: list = field(default_factory=list)  # [(Fact, its most frequent group)], most frequent first

    @property
    def chart_scale(self) -> int:
        return max((bar.total for bar in self.chart), default=1)


def system_label(name: str) -> str:
    """'Abnormality of the eye' as 'Eye': the body system, in words a family uses."""
    for prefix in ("Abnormality of the ", "Abnormality of "):
        if name.startswith(prefix):
            rest = name.removeprefix(prefix)
            return upper_first(rest)
    return name


def _source_label(prefix, accession, short_name) -> str:
    if prefix:
        return f"{prefix}:{accession}"
    return short_name or "Editors"


def build_overview(rows) -> Overview:
    """Everything the page says about a disease's annotations besides the table rows."""
    overview = Overview()
    groups_of = defaultdict(set)  # term -> frequency groups stated
    systems_of = defaultdict(set)  # term -> organ systems
    facts = defaultdict(dict)
    not_seen = {}
    symptoms = {}  # term -> Fact
    pmids = set()
    for (
        term_id,
        hpo_id,
        name,
        aspect,
        negated,
        frequency,
        raw,
        citations,
        category,
        category_name,
        prefix,
        accession,
        short,
    ) in rows:
        label = _source_label(prefix, accession, short)
        for citation in citations.split(";"):
            if match := PMID.match(citation.strip()):
                pmids.add(int(match.group(1)))
        if negated:
            fact = not_seen.setdefault(term_id, Fact(hpo_id, name))
        elif aspect != Aspect.PHENOTYPE:
            fact = facts[Aspect(aspect).label].setdefault(term_id, Fact(hpo_id, name))
        else:
            groups_of[term_id].add(shown_group(frequency, raw))
            symptoms.setdefault(term_id, Fact(hpo_id, name, term_id=term_id))
            if category:
                systems_of[term_id].add(category)
                overview.category_names[category] = category_name
            continue
        if label not in fact.sources:
            fact.sources.append(label)
    overview.terms = len(groups_of)
    for groups in groups_of.values():
        overview.group_counts.update(groups)
    best = {term: min(groups, key=shown_rank) for term, groups in groups_of.items()}
    overview.best_groups.update(best.values())
    ranked = sorted(best, key=lambda term: (shown_rank(best[term]), symptoms[term].name.casefold()))
    overview.symptoms = [(symptoms[term], best[term]) for term in ranked]
    by_system = defaultdict(Counter)
    for term, systems in systems_of.items():
        for system in systems:
            overview.category_counts[system] += 1
            by_system[system][best[term]] += 1
    words = shown_plain_labels()

    def segments(counts):
        offset, found = 0, []
        for value in SHOWN_ORDER:
            if counts[value]:
                found.append((value, words[value], counts[value], offset))
                offset += counts[value]
        return found

    overview.chart = sorted(
        (
            SystemBar(hpo_id, system_label(overview.category_names[hpo_id]), sum(counts.values()), segments(counts))
            for hpo_id, counts in by_system.items()
        ),
        key=lambda bar: (-bar.total, bar.name),
    )
    order = [label for _, label in Aspect.choices]
    overview.facts = {label: list(facts[label].values()) for label in order if label in facts}
    overview.not_seen = sorted(not_seen.values(), key=lambda fact: fact.name.casefold())
    overview.pmids = sorted(pmids)
    return overview


# -- the symptom table: one row per term, each source's statement in it ---------------------

FOLDED_NAMES = 2  # other names shown before a "more" control folds the rest


@dataclass(slots=True)
class Statement:
    text: str  # the group, and the stated frequency when it says more
    source: str
    group: str = ""  # the page's group (``gard.frequency.SHOWN_ORDER``)


@dataclass(slots=True)
class TermRow:
    """A table row built from plain values: a page can hold hundreds, and model instances cost."""

    hpo_id: str
    medical_name: str
    name: str
    other_names: list[str]
    statements: list[Statement]
    frequency: str  # the page's group (``gard.frequency.SHOWN_ORDER``) of its most frequent statement

    @property
    def url(self) -> str:
        return symptom_url(self.hpo_id)

    @property
    def hpo_url(self) -> str:
        return f"https://hpo.jax.org/browse/term/{self.hpo_id}"

    @property
    def shown_names(self) -> list[str]:
        return self.other_names if len(self.other_names) <= FOLDED_NAMES + 1 else self.other_names[:FOLDED_NAMES]

    @property
    def folded_names(self) -> list[str]:
        return [] if len(self.other_names) <= FOLDED_NAMES + 1 else self.other_names[FOLDED_NAMES:]


def symptom_url(hpo_id: str) -> str:
    return f"/symptoms/{hpo_id}/"


SORT_KEYS = {
    "name": lambda row: (row.name.casefold(), row.hpo_id),
    "hpo_id": lambda row: row.hpo_id,
}


def table_rows(annotations, sort: str = "name", plain: bool = False, plain_names_of=()) -> tuple[list[TermRow], dict]:
    """The filtered annotations as one row per term, grouped by frequency as GARD does; and the other
    names read for them, term id -> [(name, layperson)], with the plain-language names of the terms
    ``plain_names_of`` too (in the same query: the family section names the main symptoms with them)."""
    values = list(
        annotations.values_list(
            "phenotype_id",
            "phenotype__hpo_id",
            "phenotype__name",
            "frequency",
            "frequency_raw",
            "record__prefix",
            "record__accession",
            "source__short_name",
        )
    )
    names = defaultdict(list)  # term -> [(name, layperson)]
    wanted = Q(phenotype_id__in={value[0] for value in values})
    if plain_names_of:
        wanted |= Q(phenotype_id__in=set(plain_names_of), layperson=True)
    synonyms = PhenotypeSynonym.objects.filter(wanted).order_by("pk")
    for term_id, name, layperson in synonyms.values_list("phenotype_id", "name", "layperson"):
        names[term_id].append((name, layperson))
    short = Frequency.short_labels()
    rows: dict[int, TermRow] = {}
    for term_id, hpo_id, medical, stored, raw, prefix, accession, source in values:
        frequency = shown_group(stored, raw)
        statement = Statement(
            statement_text(frequency, raw, short), _source_label(prefix, accession, source), frequency
        )
        row = rows.get(term_id)
        if row is None:
            other = names[term_id]
            if plain:
                other = sorted(other, key=lambda item: not item[1])
            display = other[0][0] if plain and other and other[0][1] else medical
            other_names = [name for name, _ in other if name != display]
            if display != medical:
                other_names.insert(0, medical)
            row = rows[term_id] = TermRow(hpo_id, medical, display, other_names, [], frequency)
        row.statements.append(statement)
        if shown_rank(frequency) < shown_rank(row.frequency):
            row.frequency = frequency
    ordered = list(rows.values())
    for row in ordered:
        if len(row.statements) > 1:  # the rows come by stored group: a small sample's may stand too high
            row.statements.sort(key=lambda statement: shown_rank(statement.group))
    key = SORT_KEYS[sort.removeprefix("-")]
    ordered.sort(key=key, reverse=sort.startswith("-"))
    ordered.sort(key=lambda row: shown_rank(row.frequency))  # stable: the sort holds within each group
    return ordered, names


def statement_text(group: str, raw: str, short: dict) -> str:
    """A source's statement in a row: the group's share, and the frequency as stated when it says more.

    A small sample claims no share ("Reported in 1 of 1 person"); a fraction of none, that it was looked for.
    """
    if group == FEW:
        text = describe_small_sample(raw)
        return upper_first(text)
    label = short[group]
    if raw == label:
        return label
    if (match := FRACTION.match(raw)) and int(match.group(1)) == 0:
        return f"{label}: reported absent in all {int(match.group(2)):,} people studied"
    stated = describe_raw(raw)
    return f"{label}: {stated}" if stated else label


# A long table shows the first rows of each long group, and links to the rest (a phone lays out every row).
FOLD_TABLE_OVER = 60  # rows in the whole table before its long groups fold
FOLD_GROUP_TO = 10  # rows a folded group shows
FOLD_GROUP_OVER = 15  # rows in a group before it folds: no link for a handful more


@dataclass(slots=True)
class FrequencyGroup:
    value: str  # the page's group (``gard.frequency.SHOWN_ORDER``), its filter value
    label: str
    rows: list  # the rows shown
    total: int  # the rows the group holds

    @property
    def folded(self) -> int:
        return self.total - len(self.rows)


def frequency_groups(rows, fold: bool = False) -> list[FrequencyGroup]:
    """Table rows under the page's frequency headings (GARD's, and the small samples'), in the order they arrive.

    With ``fold``, a table of more than ``FOLD_TABLE_OVER`` rows shows the first ``FOLD_GROUP_TO`` of each
    group over ``FOLD_GROUP_OVER``; the page links each folded group to the table filtered to it.
    """
    labels = shown_labels()
    groups = []
    for value, items in groupby(rows, key=lambda row: row.frequency):
        items = list(items)
        groups.append(FrequencyGroup(value, labels[value], items, len(items)))
    if fold and len(rows) > FOLD_TABLE_OVER:
        for group in groups:
            if group.total > FOLD_GROUP_OVER:
                group.rows = group.rows[:FOLD_GROUP_TO]
    return groups
