"""Parsers for the source documents: a GARD page, an encyclopedia text, a Genetics Home Reference page.

Each parser reads one document line by line and returns a ``ParsedDocument``.
Every line is either understood or rejected: text a parser cannot place
raises ``ParseError`` with the file and line, so nothing is silently dropped.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from gard.importers.errors import ParseError
from gard.models import Frequency, SectionKind
from gard.text import name_key


@dataclass
class ParsedSection:
    kind: str
    paragraphs: list[str] = field(default_factory=list)
    last_updated: date | None = None


@dataclass
class ParsedSymptom:
    hpo_id: str
    name: str
    other_names: list[str]
    frequency: str
    frequency_raw: str


@dataclass
class ParsedResource:
    kind: str
    group: str
    name: str
    description: str


@dataclass
class ParsedReference:
    number: int
    citation: str
    url: str = ""
    accessed: date | None = None


@dataclass
class ParsedDocument:
    title: str
    other_names: list[str] = field(default_factory=list)
    sections: dict[str, ParsedSection] = field(default_factory=dict)
    symptoms: list[ParsedSymptom] = field(default_factory=list)
    resources: list[ParsedResource] = field(default_factory=list)
    references: list[ParsedReference] = field(default_factory=list)
    reviewed: str = ""
    published: date | None = None
    notice: str = ""

    def section(self, kind: str) -> ParsedSection:
        return self.sections.setdefault(kind, ParsedSection(kind))


class Lines:
    """The lines of a document with their numbers, for parsers that fail precisely."""

    def __init__(self, path: Path):
        self.path = path
        # Non-breaking spaces read as spaces; everything else is kept as written.
        text = path.read_text(encoding="utf-8").replace("\xa0", " ")
        self.items = list(enumerate(text.splitlines(), start=1))
        self.index = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.index >= len(self.items):
            raise StopIteration
        item = self.items[self.index]
        self.index += 1
        return item

    def peek_text(self) -> str | None:
        """The next non-blank line, without consuming it."""
        for _, text in self.items[self.index :]:
            if text.strip():
                return text
        return None

    def next_nonblank(self, expected: str) -> tuple[int, str]:
        for number, text in self:
            if text.strip():
                return number, text
        raise self.error(len(self.items), f"document ends where {expected} was expected")

    def error(self, line: int, reason: str) -> ParseError:
        return ParseError(self.path, line, reason)


def parse_us_date(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


def unique_names(names) -> list[str]:
    """Names in their first spelling, repeats (ignoring case and punctuation) removed."""
    seen, kept = set(), []
    for name in names:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


BULLET = re.compile(r"^\s+•\s+(?P<text>.*?)\s*$")
LINK_STUB = re.compile(r" \($")  # where a link's target was stripped from the page text

# ---------------------------------------------------------------------------
# GARD disease page
# ---------------------------------------------------------------------------

GARD_BANNER = "Genetic and Rare Diseases Information Center"
GARD_LAST_UPDATED = re.compile(r"^Last updated: (\d{1,2}/\d{1,2}/\d{4})$")

# Each section of a GARD page after the summary opens with text of its own.
GARD_SECTION_OPENERS = [
    (re.compile(r"^This table lists symptoms that people with this disease may have"), SectionKind.SYMPTOMS),
    (re.compile(r"^Making a diagnosis for a genetic or rare disease"), SectionKind.DIAGNOSIS),
    (re.compile(r"^Treatment for "), SectionKind.TREATMENT),
    (re.compile(r"^If you need medical advice, you can look for doctors"), SectionKind.SPECIALISTS),
    (re.compile(r"^Related diseases are conditions that have similar signs"), SectionKind.RELATED),
    (re.compile(r"^Research helps us better understand diseases"), SectionKind.RESEARCH),
    (re.compile(r"^Support and advocacy groups can help you connect"), SectionKind.ORGANIZATIONS),
    (re.compile(r"^Living with a genetic or rare disease"), SectionKind.LIVING),
    (re.compile(r"^These resources provide more information about this condition"), SectionKind.LEARN_MORE),
    (re.compile(r"^Questions sent to GARD may be posted here"), SectionKind.QUESTIONS),
]

# Headings inside GARD sections: above a list of resources, above prose, or above nothing.
GARD_SUBHEADINGS = {
    "Testing Resources",
    "Healthcare Resources",
    "Conditions with similar signs and symptoms from Orphanet",
    "Clinical Research Resources",
    "Organizations Supporting this Disease",
    "Financial Resources",
    "Where to Start",
    "In-Depth Information",
}

# The resources GARD lists, recognised by how their description opens.
GARD_RESOURCES = [
    (re.compile(r"^Orphanet (lists|is) "), "Orphanet"),
    (
        re.compile(r"^The North American Mitochondrial Disease Consortium \(NAMDC\)"),
        "North American Mitochondrial Disease Consortium (NAMDC)",
    ),
    (re.compile(r"^GeneReviews "), "GeneReviews"),
    (re.compile(r"^The Monarch Initiative "), "Monarch Initiative"),
    (re.compile(r"^Online Mendelian Inheritance in Man \(OMIM\)"), "OMIM"),
    (re.compile(r"^PubMed "), "PubMed"),
]

GARD_TABLE_COUNT = re.compile(r"^Showing of (\d+) \|$")
GARD_TABLE_HEADERS = ["Medical Terms Other Names", "Learn More:", "HPO ID"]
GARD_GROUP = re.compile(
    r"^(?:(?P<range>\d+%(?:-\d+%)?) of people have these symptoms"
    r"|Percent of people who have these symptoms is not available through HPO)$"
)
# GARD heads its groups with the ranges the site shows ("80%-99% of people have these symptoms").
GARD_GROUPS = {label: group for group, label in Frequency.short_labels().items() if group != Frequency.UNKNOWN}
GARD_TERM_ON_ONE_LINE = re.compile(r"^(?P<name>\S.*?) (?P<id>\d{7})$")
GARD_TERM_ID = re.compile(r"^(?P<id>\d{7})$")
GARD_MORE = "[ more ]"
GARD_REFERENCE = re.compile(r"^\s+(?P<number>\d+)\. (?P<text>.+)$")
GARD_REFERENCE_URL = re.compile(r"(?P<url>https?://\S+?)\.?(?= Accessed|$)")
GARD_ACCESSED = re.compile(r" Accessed (?P<date>\d{1,2}/\d{1,2}/\d{4})\.$")
GARD_SEE_ANSWER = re.compile(r" See answer$")
GARD_SUBMIT = re.compile(r" Submit a new question$")


def parse_gard(path: Path) -> ParsedDocument:
    lines = Lines(path)
    number, banner = lines.next_nonblank("the GARD banner")
    if GARD_BANNER not in banner:
        raise lines.error(number, f"expected the GARD banner, found {banner!r}")
    _, title = lines.next_nonblank("the disease name")
    doc = ParsedDocument(title=title.strip())

    number, text = lines.next_nonblank("'Other Names:'")
    if text != "Other Names:":
        raise lines.error(number, f"expected 'Other Names:', found {text!r}")
    number, text = lines.next_nonblank("the other names")
    doc.other_names = unique_names(name.strip() for name in re.sub(r"\s*See More$", "", text).split(";"))

    number, text = lines.next_nonblank("'Categories:'")
    if text != "Categories:":
        raise lines.error(number, f"expected 'Categories:', found {text!r}")

    # On a GARD page each line of prose is a paragraph of its own.
    section = doc.section(SectionKind.SUMMARY)
    pending_heading = None  # a subheading waiting to learn what follows it
    group = None

    for number, raw in lines:
        text = GARD_SUBMIT.sub("", re.sub(r" {2,}", " ", raw.strip()))
        if not text:
            continue
        opener = next((kind for pattern, kind in GARD_SECTION_OPENERS if pattern.match(text)), None)
        if opener:
            if opener in doc.sections:
                raise lines.error(number, f"second {opener} section")
            section, group, pending_heading = doc.section(opener), None, None
            section.paragraphs.append(text)
            if opener == SectionKind.SYMPTOMS:
                _parse_gard_table(lines, doc)
            continue
        if match := GARD_LAST_UPDATED.match(text):
            if section.last_updated:
                raise lines.error(number, f"second 'Last updated' in the {section.kind} section")
            section.last_updated = parse_us_date(match.group(1))
            continue
        if text in GARD_SUBHEADINGS:
            pending_heading, group = text, None
            continue
        if match := BULLET.match(raw):
            item = match.group("text")
            if section.kind == SectionKind.QUESTIONS:
                section.paragraphs.append("• " + GARD_SEE_ANSWER.sub("", item))
                continue
            if pending_heading:
                group, pending_heading = pending_heading, None
            if not group:
                raise lines.error(number, "a list item outside any list of resources")
            name = next((name for pattern, name in GARD_RESOURCES if pattern.match(item)), None)
            if not name:
                raise lines.error(number, f"unknown resource {item[:60]!r}")
            doc.resources.append(ParsedResource(section.kind, group, name, item))
            continue
        if match := GARD_REFERENCE.match(raw):
            doc.references.append(_parse_gard_reference(lines, number, match))
            section = ParsedSection("references")  # nothing but references may follow
            continue
        if section.kind == "references":
            raise lines.error(number, f"text after the references: {text[:60]!r}")
        if pending_heading:
            section.paragraphs.append("## " + pending_heading)
            pending_heading = None
        section.paragraphs.append(text)
    return doc


def _parse_gard_table(lines: Lines, doc: ParsedDocument) -> None:
    number, text = lines.next_nonblank("the symptom table")
    match = GARD_TABLE_COUNT.match(text)
    if not match:
        raise lines.error(number, f"expected 'Showing of N |', found {text!r}")
    expected = int(match.group(1))
    for header in GARD_TABLE_HEADERS:
        number, text = lines.next_nonblank(repr(header))
        if text != header:
            raise lines.error(number, f"expected {header!r}, found {text!r}")

    group = None
    pending: list[str] = []  # a term's name and other names, waiting for its ID
    start = number
    for number, raw in lines:
        text = raw.strip()
        if match := GARD_TABLE_COUNT.match(text):
            if pending:
                raise lines.error(number, f"term {pending[0]!r} has no HPO ID")
            if int(match.group(1)) != expected or len(doc.symptoms) != expected:
                raise lines.error(number, f"the table announces {expected} terms but lists {len(doc.symptoms)}")
            return
        if not text:
            raise lines.error(number, "blank line inside the symptom table")
        if match := GARD_GROUP.match(text):
            if pending:
                raise lines.error(number, f"term {pending[0]!r} has no HPO ID")
            raw_group = match.group("range")
            if raw_group and raw_group not in GARD_GROUPS:
                raise lines.error(number, f"unknown frequency group {raw_group!r}")
            group = (GARD_GROUPS[raw_group], raw_group) if raw_group else (Frequency.UNKNOWN, "")
            continue
        if group is None:
            raise lines.error(number, "a term before any frequency group")
        if text == GARD_MORE:
            if len(pending) < 2:
                raise lines.error(number, "'[ more ]' without other names before it")
            continue
        if match := GARD_TERM_ID.match(text):
            if not pending:
                raise lines.error(number, "an HPO ID without a term")
            name, other_names = pending[0], pending[1:]
            pending = []
        elif (match := GARD_TERM_ON_ONE_LINE.match(text)) and not pending:
            name, other_names = match.group("name"), []
        else:
            pending.append(text)
            continue
        hpo_id = f"HP:{match.group('id')}"
        if any(symptom.hpo_id == hpo_id for symptom in doc.symptoms):
            raise lines.error(number, f"{hpo_id} listed twice")
        doc.symptoms.append(ParsedSymptom(hpo_id, name, unique_names(other_names), *group))
    raise lines.error(start, "the symptom table does not end with 'Showing of N |'")


def _parse_gard_reference(lines: Lines, number: int, match: re.Match) -> ParsedReference:
    text = match.group("text").strip()
    accessed = GARD_ACCESSED.search(text)
    if not accessed:
        raise lines.error(number, "reference without an 'Accessed' date")
    url = GARD_REFERENCE_URL.search(text[: accessed.start()])
    return ParsedReference(
        number=int(match.group("number")),
        citation=text[: url.start()].rstrip(" ;") if url else text[: accessed.start()],
        url=url.group("url") if url else "",
        accessed=parse_us_date(accessed.group("date")),
    )


# ---------------------------------------------------------------------------
# Encyclopedia text
# ---------------------------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
ENCYCLOPEDIA_LEAD = re.compile(r"^(?P<name>[^,]+), also called (?P<names>.+?), is (?:a|an) ")
ENCYCLOPEDIA_FORMAL_NAME = re.compile(r"formal name is (?P<name>[^(]+?) \((?P<abbreviation>[A-Z]+)\)")

# Which section an encyclopedia sentence belongs to; the first rule that matches wins.
ENCYCLOPEDIA_RULES = [
    (SectionKind.HISTORY, re.compile(r"\b(first recognized|first described|named after|formal name)\b")),
    (SectionKind.PROGNOSIS, re.compile(r"\b(prognosis|die|cause of death)\b")),
    (SectionKind.INHERITANCE, re.compile(r"\b(autosomal|recessive|dominant|X-linked|carrier)\b")),
    (SectionKind.CAUSE, re.compile(r"\b(caused by|Pathologically|mutations?)\b")),
    (SectionKind.TREATMENT, re.compile(r"\b(cure|Treatment|therapy|Anticonvulsants|valproate)\b")),
    (SectionKind.SYMPTOMS, re.compile(r"\b(signs|symptoms|Seizures|may also occur)\b")),
]


def parse_encyclopedia(path: Path) -> ParsedDocument:
    lines = Lines(path)
    number, text = lines.next_nonblank("the article")
    lead, *rest = SENTENCE_END.split(text.strip())
    match = ENCYCLOPEDIA_LEAD.match(lead)
    if not match:
        raise lines.error(number, f"the first sentence does not name the disease: {lead[:60]!r}")
    doc = ParsedDocument(title=match.group("name"))
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+", match.group("names"))
    doc.section(SectionKind.SUMMARY).paragraphs.append(lead)

    for sentence in rest:
        if formal := ENCYCLOPEDIA_FORMAL_NAME.search(sentence):
            names += [formal.group("name"), formal.group("abbreviation")]
        kind = next((kind for kind, rule in ENCYCLOPEDIA_RULES if rule.search(sentence)), None)
        if kind is None:
            raise lines.error(number, f"no section for the sentence {sentence[:60]!r}")
        doc.section(kind).paragraphs.append(sentence)
    doc.other_names = unique_names([doc.title] + [name[:1].upper() + name[1:] for name in names])
    if lines.peek_text() is not None:
        number, text = lines.next_nonblank("")
        raise lines.error(number, f"text after the article: {text[:60]!r}")
    # Sentences of one section read as one paragraph.
    for section in doc.sections.values():
        section.paragraphs = [" ".join(section.paragraphs)]
    return doc


# ---------------------------------------------------------------------------
# Genetics Home Reference condition page
# ---------------------------------------------------------------------------

GHR_BANNER = "A service of the U.S. National Library of Medicine"
GHR_QUESTIONS = [
    (re.compile(r"^What is (?P<name>.+)\?$"), SectionKind.SUMMARY),
    (re.compile(r"^How common is .+\?$"), SectionKind.FREQUENCY),
    (re.compile(r"^What genes are related to .+\?$"), SectionKind.CAUSE),
    (re.compile(r"^How do people inherit .+\?$"), SectionKind.INHERITANCE),
    (re.compile(r"^Where can I find information about treatment for .+\?$"), SectionKind.TREATMENT),
    (re.compile(r"^Where can I find additional information about .+\?$"), SectionKind.LEARN_MORE),
    (re.compile(r"^What other names do people use for .+\?$"), "other_names"),
    (re.compile(r"^What if I still have specific questions about .+\?$"), SectionKind.SPECIALISTS),
    (re.compile(r"^What glossary definitions help with understanding .+\?$"), SectionKind.GLOSSARY),
]
GHR_UNKNOWN_QUESTION = re.compile(r"^(What|How|Where|Why|Who|When|Which)\b.*\?$")
GHR_REVIEWED = re.compile(r"^Reviewed:? (?P<date>[A-Z][a-z]+ \d{4})$")
GHR_PUBLISHED = re.compile(r"^Published: (?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})$")
GHR_HANDBOOK = re.compile(r"^See (?P<name>.+\?) \( in the Handbook\.$")
GHR_NOTICE = re.compile(r"^The resources on this site should not be used as a substitute")
GHR_GLOSSARY_POINTER = re.compile(r"^You may find definitions for these and many other terms")
GHR_HANDBOOK_GROUP = "Genetics Home Reference Handbook"
GHR_HELP_GROUP = "Ask an expert"


def parse_ghr(path: Path) -> ParsedDocument:
    lines = Lines(path)
    number, banner = lines.next_nonblank("the Genetics Home Reference banner")
    if GHR_BANNER not in banner:
        raise lines.error(number, f"expected the Genetics Home Reference banner, found {banner!r}")
    _, title = lines.next_nonblank("the condition name")
    doc = ParsedDocument(title=title.strip())
    part = None  # a section kind, "other_names", or "references" after the glossary

    for number, raw in lines:
        text = raw.strip()
        if not text:
            continue
        if match := GHR_REVIEWED.match(text):
            if doc.reviewed and doc.reviewed != match.group("date"):
                raise lines.error(number, f"two review dates: {doc.reviewed} and {match.group('date')}")
            doc.reviewed = match.group("date")
            continue
        if match := GHR_PUBLISHED.match(text):
            doc.published = datetime.strptime(match.group("date"), "%B %d, %Y").date()
            continue
        question = next((kind for pattern, kind in GHR_QUESTIONS if pattern.match(text)), None)
        if question:
            part = question
            continue
        if GHR_UNKNOWN_QUESTION.match(text):
            raise lines.error(number, f"unknown question {text!r}")
        if part is None:
            raise lines.error(number, f"text before the first question: {text[:60]!r}")
        if GHR_NOTICE.match(text):
            doc.notice = re.sub(r" \( in the Handbook", " in the Handbook", text)
            continue
        bullet = BULLET.match(raw)
        item = LINK_STUB.sub("", bullet.group("text")) if bullet else LINK_STUB.sub("", text)
        if part == "other_names" and bullet:
            doc.other_names.append(item)
        elif handbook := GHR_HANDBOOK.match(item):
            kind = SectionKind.SPECIALISTS if part == SectionKind.SPECIALISTS else SectionKind.LEARN_MORE
            group = GHR_HELP_GROUP if kind == SectionKind.SPECIALISTS else GHR_HANDBOOK_GROUP
            doc.resources.append(ParsedResource(kind, group, handbook.group("name"), ""))
        elif part == SectionKind.SPECIALISTS and bullet:
            doc.resources.append(ParsedResource(part, GHR_HELP_GROUP, item, ""))
        elif part == SectionKind.GLOSSARY and not bullet:
            if GHR_GLOSSARY_POINTER.match(text):
                doc.section(part).paragraphs.append(item)
                part = "references"  # the page's list of sources follows the glossary
            else:
                terms = [term.strip() for term in text.split(";")]
                doc.section(part).paragraphs.append("\n".join("• " + term for term in terms))
        elif part == "references" and bullet:
            doc.references.append(ParsedReference(len(doc.references) + 1, item))
        elif bullet or part in ("other_names", "references"):
            raise lines.error(number, f"unexpected text in the {part} part: {text[:60]!r}")
        else:
            doc.section(part).paragraphs.append(item)
    doc.other_names = unique_names(doc.other_names)
    return doc


PARSERS = {"gard": parse_gard, "encyclopedia": parse_encyclopedia, "ghr": parse_ghr}
