"""The family section at the top of a disease page: what it is, how common, when it starts, how it is
inherited, what causes it, its main symptoms, where it belongs, and where to learn more.

Everything here is read from what the page's view has already loaded (the disease with its prefetched
sections, its ``open_data`` written by the open-data import, the symptom overview and the genes), so
it adds no query. Each statement carries its source; the one general text of the site's own, what an
inheritance pattern means, is labelled as such, and a page no source defines gets a paragraph
visibly assembled from its own data.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.utils.text import slugify

from gard.frequency import Frequency, shown_plain_labels
from gard.models import IMPORTED_TEXT_SOURCES, SectionKind
from gard.text import lower_first

MAIN_SYMPTOMS = 8
PMID = re.compile(r"(\d{5,9})\s*\[PMID\]")

# -- "What is it?" -----------------------------------------------------------------------------------


@dataclass
class WhatItIs:
    text: str
    kind: str  # "editors", "document", "imported" or "assembled"
    section: object = None  # the Section the text comes from, if any (its source, its date)


def summary_section_order(section) -> tuple:
    """Which summary a page leads with: a document's before Orphanet's before the Disease Ontology's."""
    key = section.source.key if section.source_id else ""
    imported = key in IMPORTED_TEXT_SOURCES
    return (imported, IMPORTED_TEXT_SOURCES.index(key) if imported else 0, section.pk)


def leading_summary(disease):
    """The summary section the page shows under "What is it?" (None if it has none); needs sections
    prefetched with their sources. An editor's ``Disease.summary`` comes before any of them."""
    summaries = [s for s in disease.sections.all() if s.kind == SectionKind.SUMMARY and s.body.strip()]
    return min(summaries, key=summary_section_order, default=None)


def what_it_is(disease, overview, genes, facts) -> WhatItIs:
    if disease.summary.strip():
        return WhatItIs(disease.summary.strip(), "editors")
    section = leading_summary(disease)
    if section is not None:
        imported = section.source_id and section.source.key in IMPORTED_TEXT_SOURCES
        return WhatItIs(section.body, "imported" if imported else "document", section)
    return WhatItIs(assembled_paragraph(disease, overview, genes, facts), "assembled")


def _listing(words: list[str]) -> str:
    words = [word for word in words if word]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def assembled_paragraph(disease, overview, genes, facts) -> str:
    """A few sentences made only of the page's own data: its group, inheritance, onset, genes, body systems."""
    sentences = []
    parents = facts.get("parents", [])
    if parents:
        sentences.append(f"{disease.name} is one of the {_listing([p['name'] for p in parents[:2]])}.")
    patterns = [lower_first(pattern.name) for pattern in inheritance(facts, overview)]
    if patterns:
        sentences.append(f"Its inheritance is {_listing(patterns)}.")
    starts = onset(facts, overview)
    if starts.values:
        sentences.append(starts.sentence)
    gene_names = [gene.symbol for gene in causes(facts, genes).genes[:4]]
    if gene_names:
        sentences.append(f"It is linked to the gene{'s' if len(gene_names) > 1 else ''} {_listing(gene_names)}.")
    systems = [lower_first(bar.name) for bar in overview.chart[:3]]
    if systems:
        sentences.append(f"Its symptoms most often concern the {_listing(systems)}.")
    if not sentences:
        return ""
    return " ".join(sentences)


# -- "How common is it?" ---------------------------------------------------------------------------

PREVALENCE_CLASSES = {
    "<1 / 1 000 000": "fewer than 1 in 1,000,000",
    "1-9 / 1 000 000": "about 1 to 9 in 1,000,000",
    "1-9 / 100 000": "about 1 to 9 in 100,000",
    "1-5 / 10 000": "about 1 to 5 in 10,000",
    "6-9 / 10 000": "about 6 to 9 in 10,000",
    ">1 / 1000": "more than 1 in 1,000",
}
PREVALENCE_TYPES = {  # Orphanet's type: (the words after the proportion, the order they are shown in)
    "Point prevalence": ("people", 0),
    "Prevalence at birth": ("babies born", 1),
    "Annual incidence": ("people each year (new cases)", 2),
    "Lifetime Prevalence": ("people in their lifetime", 3),
}
AREAS = {"Worldwide": 0, "Europe": 1}


@dataclass
class Prevalence:
    text: str  # "about 1 to 5 in 10,000 babies born"
    area: str
    kind: str  # Orphanet's type, as it states it
    pmids: list[str] = field(default_factory=list)


def _number(value: str) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number) if number > 0 else None


def prevalence_words(row: list[str]) -> Prevalence | None:
    """One Orphanet prevalence row in plain words, or None when it says nothing usable."""
    kind, qualification, prevalence_class, mean, area, reference = row
    pmids = PMID.findall(reference)
    if kind == "Cases/families":
        count = _number(mean)
        if count is None:
            return None
        noun = "family" if qualification.startswith("Famil") else "person"
        plural = {"family": "families", "person": "people"}[noun] if count != 1 else noun
        return Prevalence(f"about {count:,} {plural} reported", area, kind, pmids)
    if kind not in PREVALENCE_TYPES or prevalence_class not in PREVALENCE_CLASSES:
        return None
    return Prevalence(f"{PREVALENCE_CLASSES[prevalence_class]} {PREVALENCE_TYPES[kind][0]}", area, kind, pmids)


def how_common(facts, limit: int = 2) -> list[Prevalence]:
    """The most general figures first: worldwide, then Europe, then a country; prevalence before incidence."""
    found = [p for p in (prevalence_words(row) for row in facts.get("prevalences", [])) if p]

    def order(p):
        return (AREAS.get(p.area, 2), PREVALENCE_TYPES.get(p.kind, ("", 4))[1])

    shown, seen = [], set()
    for prevalence in sorted(found, key=order):
        if (prevalence.kind, prevalence.area) in seen or (shown and AREAS.get(prevalence.area, 2) > 1):
            continue
        seen.add((prevalence.kind, prevalence.area))
        shown.append(prevalence)
        if len(shown) == limit:
            break
    return shown


# -- "When does it start?" -------------------------------------------------------------------------

ONSETS = {
    "Antenatal": "before birth",
    "Neonatal": "in newborn babies (the first 4 weeks)",
    "Infancy": "in infancy (the first two years)",
    "Childhood": "in childhood",
    "Adolescent": "in adolescence",
    "Adult": "in adulthood",
    "Elderly": "in older age",
    "All ages": "at any age",
}


# The HPO's onset terms (HP:0003674 and below) in the same words, youngest first; "Insidious onset"
# says how, not when, so it is no answer to "When does it start?".
HPO_ONSETS = {
    "Embryonal onset": "before birth",
    "Fetal onset": "before birth",
    "Late first trimester onset": "before birth",
    "Second trimester onset": "before birth",
    "Third trimester onset": "before birth",
    "Antenatal onset": "before birth",
    "Congenital onset": "at birth",
    "Neonatal onset": "in newborn babies (the first 4 weeks)",
    "Infantile onset": "in infancy (the first two years)",
    "Childhood onset": "in childhood",
    "Juvenile onset": "in childhood or adolescence",
    "Pediatric onset": "in childhood or adolescence",
    "Adult onset": "in adulthood",
    "Young adult onset": "in young adulthood",
    "Early young adult onset": "in young adulthood",
    "Intermediate young adult onset": "in young adulthood",
    "Late young adult onset": "in young adulthood",
    "Middle age onset": "in middle age",
    "Late onset": "in later life",
}
HPO_ONSET_ORDER = {name: position for position, name in enumerate(HPO_ONSETS)}


@dataclass
class Onset:
    values: list[str] = field(default_factory=list)
    source: str = ""  # "Orphanet" or "HPO"
    terms: list = field(default_factory=list)  # the HPO facts, when those are the source

    @property
    def sentence(self) -> str:
        """ "Usually in childhood." for one age; "It can start in infancy, in childhood or in adulthood." for more."""
        if len(self.values) == 1:
            return f"Usually {self.values[0]}."
        return f"It can start {', '.join(self.values[:-1])} or {self.values[-1]}." if self.values else ""


def onset(facts, overview) -> Onset:
    stated = set(facts.get("onsets", []))
    words = [words for value, words in ONSETS.items() if value in stated]  # youngest first
    if words:
        return Onset(words, "Orphanet")
    terms = [fact for fact in overview.facts.get("Onset and clinical course", []) if fact.name in HPO_ONSETS]
    terms.sort(key=lambda fact: HPO_ONSET_ORDER[fact.name])
    if terms:
        return Onset(list(dict.fromkeys(HPO_ONSETS[fact.name] for fact in terms)), "HPO", terms)
    return Onset()


# -- "How is it inherited?" ------------------------------------------------------------------------

# What each pattern means for a family, in general words written by the site's editors (labelled so on
# the page): the patterns are textbook genetics, not statements about one disease.
PATTERNS = {
    "autosomal_dominant": (
        "Autosomal dominant",
        "One changed copy of the gene, from either parent, is enough to cause it. A parent who has it passes "
        "the changed gene to each child with a chance of 1 in 2 (50%), so each brother or sister of someone "
        "with it has that chance when a parent has it. It can also start anew in a child whose parents do not have it.",
    ),
    "autosomal_recessive": (
        "Autosomal recessive",
        "It appears when both copies of the gene are changed, one from each parent. Parents with one changed "
        "copy (carriers) usually have no signs. Each brother or sister of someone with it has a 1 in 4 (25%) "
        "chance of having it, a 1 in 2 (50%) chance of being a carrier, and a 1 in 4 chance of neither.",
    ),
    "x_linked_recessive": (
        "X-linked recessive",
        "The gene is on the X chromosome. It mostly affects boys and men; women with one changed copy are "
        "carriers, usually with no or milder signs. When the mother is a carrier, each son has a 1 in 2 (50%) "
        "chance of having it and each daughter a 1 in 2 chance of being a carrier.",
    ),
    "x_linked_dominant": (
        "X-linked dominant",
        "The gene is on the X chromosome and one changed copy causes it, in girls and in boys (often more "
        "severely in boys). A mother who has it passes it to each child with a chance of 1 in 2 (50%); a "
        "father who has it passes it to all his daughters and none of his sons.",
    ),
    "x_linked": (
        "X-linked",
        "The gene is on the X chromosome, so boys and men are usually more affected than girls and women. "
        "The chance for brothers and sisters depends on which parent carries the change.",
    ),
    "mitochondrial": (
        "Mitochondrial",
        "The change is in the DNA of the mitochondria, which children inherit only from their mother. A mother "
        "with the change can pass it to all her children, who may be affected very differently; a father "
        "does not pass it on.",
    ),
    "multifactorial": (
        "Multifactorial",
        "Several genes together with other factors, such as the environment, play a part. Brothers and "
        "sisters have a higher chance than other people, but there is no simple rule for how high.",
    ),
    "y_linked": (
        "Y-linked",
        "The gene is on the Y chromosome, so it passes only from fathers to sons: every son of a father who "
        "has it inherits it.",
    ),
    "semi_dominant": (
        "Semi-dominant",
        "One changed copy causes it; two changed copies, one from each parent, cause a more severe form.",
    ),
    "oligogenic": ("Oligogenic", "Changes in a few genes together cause it."),
    "somatic": (
        "Somatic",
        "The change happens in some of the body's cells after conception: it is usually not inherited from a "
        "parent, and brothers and sisters are usually not at higher risk.",
    ),
    "sporadic": (
        "Sporadic",
        "It usually happens in one person in a family, without being inherited from the parents.",
    ),
}
PATTERN_WORDS = [  # (words in an Orphanet value or HPO term name, pattern), the more specific first
    ("autosomal dominant", "autosomal_dominant"),
    ("autosomal recessive", "autosomal_recessive"),
    ("x-linked recessive", "x_linked_recessive"),
    ("x-linked dominant", "x_linked_dominant"),
    ("x-linked", "x_linked"),
    ("mitochondrial", "mitochondrial"),
    ("multifactorial", "multifactorial"),
    ("polygenic", "multifactorial"),
    ("y-linked", "y_linked"),
    ("semidominant", "semi_dominant"),
    ("semi-dominant", "semi_dominant"),
    ("oligogenic", "oligogenic"),
    ("digenic", "oligogenic"),
    ("somatic", "somatic"),
    ("sporadic", "sporadic"),
]


@dataclass
class Pattern:
    name: str
    meaning: str
    source: str  # "Orphanet" or "HPO"
    stated: str  # as the source states it


def _pattern(text: str) -> str | None:
    lowered = text.lower()
    return next((key for words, key in PATTERN_WORDS if words in lowered), None)


def inheritance(facts, overview) -> list[Pattern]:
    """Each pattern once, Orphanet's where it states any, else the HPO annotations'."""
    found = {}
    for value in facts.get("inheritance", []):
        if (key := _pattern(value)) and key not in found:
            found[key] = Pattern(*PATTERNS[key], "Orphanet", value)
    if not found:
        for fact in overview.facts.get("Inheritance", []):
            if (key := _pattern(fact.name)) and key not in found:
                found[key] = Pattern(*PATTERNS[key], "HPO", fact.name)
    return list(found.values())


# -- "What causes it?" -----------------------------------------------------------------------------

GENE_ROLES = [  # (words of Orphanet's association type, the role in words), the more specific first
    ("Disease-causing somatic", "causes it (a change acquired in some cells, not inherited)"),
    ("(loss of function)", "causes it (a change that stops the gene working)"),
    ("(gain of function)", "causes it (a change that makes the gene overactive)"),
    ("Disease-causing germline", "causes it"),
    ("Modifying", "modifies it (changes how it shows)"),
    ("Major susceptibility factor", "raises the risk"),
    ("Candidate gene", "candidate (under study)"),
    ("Role in the phenotype", "plays a part in some of its signs"),
    ("Part of a fusion gene", "part of a fused gene that causes it"),
    ("Biomarker", "a marker tested for it"),
]
ROLE_ORDER = {role: position for position, (_, role) in enumerate(GENE_ROLES)}


@dataclass
class GeneRole:
    symbol: str
    role: str  # in words; "" when the source does not say
    name: str = ""
    url: str = ""


@dataclass
class Causes:
    genes: list[GeneRole] = field(default_factory=list)
    source: str = ""  # "Orphanet" or "HPO"

    @property
    def by_role(self) -> list[tuple[str, list[GeneRole]]]:
        """The genes under their role, the genes that cause it first."""
        groups: dict[str, list[GeneRole]] = {}
        for gene in self.genes:
            groups.setdefault(gene.role, []).append(gene)
        return list(groups.items())


def _role(association: str) -> str:
    return next((role for words, role in GENE_ROLES if words in association), association[:80])


def causes(facts, genes) -> Causes:
    listed = facts.get("genes", [])
    if listed:
        found = [
            GeneRole(
                symbol, _role(association), name, f"https://www.ncbi.nlm.nih.gov/gene/?term={quote(symbol)}%5Bsym%5D"
            )
            for symbol, name, association in listed
        ]
        found.sort(key=lambda gene: (ROLE_ORDER.get(gene.role, len(ROLE_ORDER)), gene.symbol))
        return Causes(found, "Orphanet")
    if genes:
        return Causes([GeneRole(gene.symbol, "", "", gene.url) for gene in genes], "HPO")
    return Causes()


# -- main symptoms, learn more ---------------------------------------------------------------------


@dataclass
class MainSymptom:
    name: str  # the plain-language name where HPO has one
    medical_name: str
    hpo_id: str
    frequency: str  # in words


def main_symptoms(overview, names: dict, limit: int = MAIN_SYMPTOMS) -> list[MainSymptom]:
    """The most frequent symptoms; ``names``: term id -> [(name, layperson)] of their other names."""
    words = shown_plain_labels()
    shown = []
    for fact, group in overview.symptoms:
        if group == Frequency.EXCLUDED:
            continue
        plain = next((name for name, layperson in names.get(fact.term_id, []) if layperson), None)
        shown.append(
            MainSymptom(plain or fact.name, fact.name, fact.hpo_id, words[group] if group != Frequency.UNKNOWN else "")
        )
        if len(shown) == limit:
            break
    return shown


@dataclass
class Link:
    label: str
    url: str
    note: str = ""


def learn_more(disease, facts) -> list[Link]:
    """Pages about this disease elsewhere, from its identifiers (exact pages) and its name (searches)."""
    links = []
    for gard in facts.get("gard", []):
        links.append(Link("GARD", f"https://rarediseases.info.nih.gov/diseases/{gard}/{slugify(disease.name)}"))
    orpha = facts.get("orphanet", []) or [i.accession for i in disease.identifiers.all() if i.prefix == "ORPHA"]
    for code in dict.fromkeys(orpha):
        links.append(Link("Orphanet", f"https://www.orpha.net/en/disease/detail/{code}", f"ORPHA:{code}"))
    for identifier in disease.identifiers.all():
        if identifier.prefix == "OMIM":
            links.append(Link("OMIM", identifier.url, identifier.curie))
    name = {"query": disease.name}
    links += [
        Link(
            "MedlinePlus",
            "https://vsearch.nlm.nih.gov/vivisimo/cgi-bin/query-meta?"
            + urlencode({"v:project": "medlineplus", "v:sources": "medlineplus-bundle", **name}),
            "search",
        ),
        Link(
            "GeneReviews", "https://www.ncbi.nlm.nih.gov/books/NBK1116/?" + urlencode({"term": disease.name}), "search"
        ),
        Link("ClinicalTrials.gov", "https://clinicaltrials.gov/search?" + urlencode({"cond": disease.name}), "studies"),
    ]
    return links


# -- the whole section -----------------------------------------------------------------------------


@dataclass
class FamilySection:
    what: WhatItIs
    prevalences: list[Prevalence]
    onset: Onset
    inheritance: list[Pattern]
    causes: Causes
    symptoms: list[MainSymptom]
    parents: list[dict]
    children: list[dict]
    learn_more: list[Link]

    @property
    def orphanet_facts(self) -> bool:
        """Whether any statement here is Orphanet's (its credit and data version are then shown)."""
        return bool(
            self.prevalences
            or self.onset.source == "Orphanet"
            or any(p.source == "Orphanet" for p in self.inheritance)
            or self.causes.source == "Orphanet"
            or self.parents
            or self.children
        )


def family_section(disease, overview, genes, names) -> FamilySection:
    facts = disease.open_data or {}
    return FamilySection(
        what=what_it_is(disease, overview, genes, facts),
        prevalences=how_common(facts),
        onset=onset(facts, overview),
        inheritance=inheritance(facts, overview),
        causes=causes(facts, genes),
        symptoms=main_symptoms(overview, names),
        parents=facts.get("parents", []),
        children=facts.get("children", []),
        learn_more=learn_more(disease, facts),
    )
