"""Bringing the open disease data (``fixtures/open_data``) onto the pages: atomic, idempotent, incremental.

Run after the HPO import, which decides which records share a page. For each page, from the records
on it (its ORPHA and OMIM identifiers, or the ORPHA code of a group page):

- definitions: Orphanet's, else the Disease Ontology's, as a summary ``Section`` with its source;
- other names: Orphanet's synonyms (abbreviations among them) and the Disease Ontology's name, acronyms
  and exact synonyms;
- ``Disease.open_data``: prevalences, ages of onset, types of inheritance, genes with their role, the
  Mondo, GARD and Disease Ontology IDs, and the pages above and below it in Orphanet's classification;
- group pages: an Orphanet group of diseases (or a disease with subtypes) that is no page of the
  catalogue, but of which at least ``GROUP_MINIMUM`` direct children are, becomes a page listing them.

Every record is checked before anything is written (``ParseError``: file, record, reason). One
transaction; each kind of row is compared with what the database holds and only differences are
written, so a run with nothing new writes nothing. Rows written by editors or documents (other
sources, or none) and ``Disease.summary`` are never touched.
"""

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify

from gard.cache import bump_content_generation
from gard.importers.changes import Changes, diff
from gard.importers.errors import ParseError
from gard.importers.hpo import BATCH
from gard.importers.open_data_files import DISEASE_ONTOLOGY, MONDO, ORPHANET, SOURCES, read
from gard.models import Disease, DiseaseRedirect, Identifier, Section, SectionKind, Source, Synonym
from gard.text import fold, name_key

GROUP_MINIMUM = 2  # children on catalogue pages that make an Orphanet group a page of its own
DO_RELATION = re.compile(r"(?<=[a-z])_(?=[a-z])")  # DO writes its relations as has_material_basis_in
SENTENCE_END = re.compile(r"(?<=[a-z0-9)])\.(?:\s|$)")

SOURCES_META = {
    "orphanet": {
        "title": "Orphanet: ORPHApackets",
        "short_name": "Orphanet",
        "publisher": "Orphanet (INSERM)",
        "url": "https://www.orpha.net/",
        "licence": "CC BY 4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    },
    "disease-ontology": {
        "title": "Human Disease Ontology",
        "short_name": "Disease Ontology",
        "publisher": "Disease Ontology consortium",
        "url": "https://disease-ontology.org/",
        "licence": "CC0 1.0",
        "licence_url": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    "mondo": {
        "title": "Mondo Disease Ontology mappings",
        "short_name": "Mondo",
        "publisher": "Monarch Initiative",
        "url": "https://mondo.monarchinitiative.org/",
        "licence": "CC0 1.0",
        "licence_url": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
}


@dataclass
class OpenData:
    orphanet: dict[str, dict]
    disease_ontology: list[dict]
    mondo: list[dict]
    versions: dict


def _check(records: list[dict], name: str, required: dict[str, type], key: str) -> dict[str, dict]:
    found = {}
    for number, record in enumerate(records, 1):
        for field_name, kind in required.items():
            if not isinstance(record.get(field_name), kind):
                raise ParseError(name, number, f"field {field_name!r} missing or not a {kind.__name__}")
        if record[key] in found:
            raise ParseError(name, number, f"{key} {record[key]} appears twice")
        found[record[key]] = record
    return found


LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})


def plain_text(text: str) -> str:
    """Orphanet's text as the words it says: its HTML italics (<i>Helicobacter pylori</i>) and character
    references (&#945;, &#64257;) become plain characters, typographic ligatures letters."""
    return html.unescape(strip_tags(text)).translate(LIGATURES)


def _plain(records, fields: tuple[str, ...], lists: tuple[str, ...] = ()) -> None:
    for record in records:
        for field_name in fields:
            record[field_name] = plain_text(record[field_name])
        for field_name in lists:
            record[field_name] = [plain_text(item) if isinstance(item, str) else item for item in record[field_name]]


def read_open_data(folder: Path) -> OpenData:
    """The derived files, every record checked; ``ParseError`` on the first that is not usable."""
    for name in (ORPHANET, DISEASE_ONTOLOGY, MONDO, SOURCES):
        if not (folder / name).is_file():
            raise ParseError(name, None, f"missing from {folder}")
    orphanet = _check(
        read(folder / ORPHANET),
        ORPHANET,
        {
            "code": str,
            "name": str,
            "type": str,
            "definition": str,
            "synonyms": list,
            "prevalences": list,
            "onsets": list,
            "inheritance": list,
            "parents": list,
            "genes": list,
            "omim": list,
        },
        "code",
    )
    for number, record in enumerate(orphanet.values(), 1):
        if not record["code"].isdigit():
            raise ParseError(ORPHANET, number, f"ORPHA code {record['code']!r} is not a number")
        for row in record["prevalences"]:
            if not (isinstance(row, list) and len(row) == 6):
                raise ParseError(ORPHANET, number, f"ORPHA:{record['code']} has a prevalence of the wrong shape")
    do = list(
        _check(
            read(folder / DISEASE_ONTOLOGY),
            DISEASE_ONTOLOGY,
            {
                "doid": str,
                "name": str,
                "definition": str,
                "acronyms": list,
                "synonyms": list,
                "omim": list,
                "orpha": list,
            },
            "doid",
        ).values()
    )
    _plain(orphanet.values(), ("name", "definition"), ("synonyms",))
    _plain(do, ("name", "definition"), ("acronyms", "synonyms"))
    mondo = list(
        _check(read(folder / MONDO), MONDO, {"mondo": str, "omim": list, "orpha": list, "gard": str}, "mondo").values()
    )
    try:
        versions = json.loads((folder / SOURCES).read_text(encoding="utf-8"))
        versions = {key: versions[key] for key in SOURCES_META}
    except (ValueError, KeyError) as error:
        raise ParseError(SOURCES, None, f"not the sources file the build writes ({error})") from None
    return OpenData(orphanet, do, mondo, versions)


def first_sentence(text: str) -> str:
    """The first sentence of a definition, for one line under a name."""
    match = SENTENCE_END.search(text)
    return text[: match.start() + 1] if match else text


def version_of(key: str, versions: dict) -> str:
    """A source's release as its Source row records it."""
    release = versions[key]
    return f"{release['version']} ({release['date']})" if release.get("version") else release["date"]


class Importer:
    def __init__(self, data: OpenData, progress=None):
        self.data = data
        self.summary = Changes()
        self.progress = progress or (lambda step: None)

    def run(self) -> Changes:
        with transaction.atomic():
            steps = [
                ("sources", self.sync_sources),
                ("group pages", self.sync_groups),
                ("records of each page", self.collect_records),
                ("definitions", self.sync_definitions),
                ("other names", self.sync_names),
                ("facts for families", self.sync_facts),
            ]
            for label, step in steps:
                self.progress(label)
                step()
            if self.summary.changes:
                from gard.search.index import rebuild_search

                self.progress("search index")
                rebuild_search()
                bump_content_generation()  # the bulk writes above send no signals
        return self.summary

    # -- sources -------------------------------------------------------------------------------

    def sync_sources(self):
        counts = self.summary["sources"]
        self.sources = {}
        for key, meta in SOURCES_META.items():
            version = version_of(key, self.data.versions)
            source = Source.objects.filter(key=key).first()
            if source is None:
                source = Source(key=key, version=version, **meta)
                source.save_without_historical_record()  # the release is its history, as in import_hpo
                counts.created += 1
            elif source.version != version or any(getattr(source, name) != value for name, value in meta.items()):
                for name, value in meta.items():
                    setattr(source, name, value)
                source.version = version
                source.save_without_historical_record()
                counts.updated += 1
            else:
                counts.unchanged += 1
            self.sources[key] = source

    # -- pages ---------------------------------------------------------------------------------

    def _catalogue_codes(self) -> dict[str, int]:
        """ORPHA code -> the page holding that Orphanet record (an HPO record, or a group page)."""
        pages = dict(Identifier.objects.filter(prefix="ORPHA").values_list("accession", "disease_id"))
        for disease, code in Disease.objects.exclude(orpha_group="").values_list("pk", "orpha_group"):
            pages.setdefault(code, disease)
        return pages

    def sync_groups(self):
        """Orphanet groups with at least GROUP_MINIMUM children on catalogue pages, not pages themselves."""
        counts = self.summary["group pages"]
        on_records = dict(Identifier.objects.filter(prefix="ORPHA").values_list("accession", "disease_id"))
        children = defaultdict(set)
        for code, record in self.data.orphanet.items():
            if code in on_records:
                for parent, _ in record["parents"]:
                    children[parent].add(on_records[code])
        wanted = {
            code: self.data.orphanet[code]["name"]
            for code, pages in children.items()
            if len(pages) >= GROUP_MINIMUM and code in self.data.orphanet and code not in on_records
        }
        existing = {
            code: (pk, name)
            for pk, code, name in Disease.objects.exclude(orpha_group="").values_list("pk", "orpha_group", "name")
        }
        taken = set(Disease.objects.values_list("slug", flat=True)) | set(
            DiseaseRedirect.objects.values_list("slug", flat=True)
        )
        create = []
        for code in sorted(set(wanted) - set(existing), key=int):
            name = wanted[code]
            slug = slugify(name)[:280] or f"orpha-{code}"
            if slug in taken:
                slug = f"{slug}-orpha-{code}"
            taken.add(slug)
            create.append(Disease(name=name, slug=slug, search_name=fold(name), orpha_group=code))
        Disease.objects.bulk_create(create, batch_size=BATCH)
        renamed = [
            Disease(pk=pk, name=wanted[code], search_name=fold(wanted[code]))
            for code, (pk, name) in existing.items()
            if code in wanted and name != wanted[code]
        ]
        Disease.objects.bulk_update(renamed, ["name", "search_name"], batch_size=BATCH)
        gone = [pk for code, (pk, _) in existing.items() if code not in wanted]
        # A group page an editor wrote on stays, as an ordinary page.
        kept = set(Disease.objects.filter(pk__in=gone).with_own_content().values_list("pk", flat=True))
        Disease.objects.filter(pk__in=kept).update(orpha_group="")
        Disease.objects.filter(pk__in=set(gone) - kept).delete()
        counts.created += len(create)
        counts.updated += len(renamed) + len(kept)
        counts.retired += len(gone) - len(kept)
        counts.unchanged += len(existing) - len(renamed) - len(gone)

    def collect_records(self):
        """Which Orphanet, OMIM, Disease Ontology and Mondo records each page holds."""
        self.pages = dict(Disease.objects.values_list("pk", "name"))
        self.orpha_of = defaultdict(list)
        self.omim_of = defaultdict(list)
        for disease, prefix, accession in Identifier.objects.filter(prefix__in=["ORPHA", "OMIM"]).values_list(
            "disease_id", "prefix", "accession"
        ):
            (self.orpha_of if prefix == "ORPHA" else self.omim_of)[disease].append(accession)
        for disease, code in Disease.objects.exclude(orpha_group="").values_list("pk", "orpha_group"):
            self.orpha_of[disease].append(code)
        by_orpha = defaultdict(set)
        for disease, codes in self.orpha_of.items():
            for code in codes:
                by_orpha[code].add(disease)
        by_omim = defaultdict(set)
        for disease, numbers in self.omim_of.items():
            for number in numbers:
                by_omim[number].add(disease)

        def pages_of(record):
            """The pages holding any of a Disease Ontology term's or Mondo class's ORPHA and OMIM records."""
            empty = set()
            return set().union(
                *(by_orpha.get(c, empty) for c in record["orpha"]), *(by_omim.get(n, empty) for n in record["omim"])
            )

        self.do_of = defaultdict(list)
        for term in self.data.disease_ontology:
            pages = pages_of(term)
            for disease in pages:
                self.do_of[disease].append(term)
        self.mondo_of = defaultdict(list)
        for row in self.data.mondo:
            pages = pages_of(row)
            for disease in pages:
                self.mondo_of[disease].append(row)
        self.page_of_code = {code: min(pages) for code, pages in by_orpha.items()}

    def _orphanet_record(self, disease) -> dict | None:
        """The page's Orphanet record: the one named like the page, else the lowest code with a definition."""
        records = [self.data.orphanet[c] for c in sorted(self.orpha_of[disease], key=int) if c in self.data.orphanet]
        if not records:
            return None
        key = name_key(self.pages[disease])
        return min(records, key=lambda r: (name_key(r["name"]) != key, not r["definition"], int(r["code"])))

    def _do_term(self, disease) -> dict | None:
        terms = self.do_of[disease]
        if not terms:
            return None
        key = name_key(self.pages[disease])
        return min(terms, key=lambda t: (name_key(t["name"]) != key, not t["definition"], t["doid"]))

    # -- definitions and names -----------------------------------------------------------------------

    def sync_definitions(self):
        """Orphanet's definition, else the Disease Ontology's: one summary section per page."""
        counts = self.summary["definitions"]
        ours = [self.sources["orphanet"].pk, self.sources["disease-ontology"].pk]
        existing = {
            (disease, source): (pk, body)
            for pk, disease, source, body in Section.objects.filter(
                kind=SectionKind.SUMMARY, source__in=ours
            ).values_list("pk", "disease_id", "source_id", "body")
        }
        wanted = {}
        for disease in self.pages:
            record = self._orphanet_record(disease)
            if record and record["definition"]:
                wanted[(disease, ours[0])] = (record["definition"],)
                continue
            term = self._do_term(disease)
            if term and term["definition"]:
                wanted[(disease, ours[1])] = (DO_RELATION.sub(" ", term["definition"]),)
        create, update, retire = diff(counts, existing, wanted)
        Section.objects.filter(pk__in=[existing[key][0] for key in retire]).delete()
        Section.objects.bulk_update(
            [Section(pk=existing[key][0], body=wanted[key][0]) for key in update], ["body"], batch_size=BATCH
        )
        Section.objects.bulk_create(
            [
                Section(
                    disease_id=disease, kind=SectionKind.SUMMARY, source_id=source, body=wanted[(disease, source)][0]
                )
                for disease, source in create
            ],
            batch_size=BATCH,
        )
        self.definition_of = {disease: text for (disease, _), (text,) in wanted.items()}

    def sync_names(self):
        """Orphanet's synonyms and the Disease Ontology's name, acronyms and exact synonyms, where the page
        has no such name yet."""
        counts = self.summary["other names"]
        ours = {self.sources["orphanet"].pk, self.sources["disease-ontology"].pk}
        existing, taken = {}, defaultdict(set)
        for pk, disease, name, search_name, source in Synonym.objects.values_list(
            "pk", "disease_id", "name", "search_name", "source_id"
        ):
            if source in ours:
                existing[(disease, search_name)] = (pk, name, source)
            else:
                taken[disease].add(search_name)
        wanted = {}
        for disease, page_name in self.pages.items():
            names = []
            record = self._orphanet_record(disease)
            if record:
                names += [(name, self.sources["orphanet"].pk) for name in record["synonyms"]]
            term = self._do_term(disease)
            if term:
                do_names = [term["name"], *term["acronyms"], *term["synonyms"]]
                names += [(name, self.sources["disease-ontology"].pk) for name in do_names]
            for name, source in names:
                folded = fold(name)
                if not folded or name_key(name) == name_key(page_name) or folded in taken[disease]:
                    continue
                wanted.setdefault((disease, folded), (name[:300], source))
        create, update, retire = diff(counts, existing, wanted)
        Synonym.objects.filter(pk__in=[existing[key][0] for key in retire]).delete()
        Synonym.objects.bulk_update(
            [Synonym(pk=existing[key][0], name=wanted[key][0], source_id=wanted[key][1]) for key in update],
            ["name", "source"],
            batch_size=BATCH,
        )
        Synonym.objects.bulk_create(
            [
                Synonym(disease_id=disease, name=wanted[key][0], search_name=folded, source_id=wanted[key][1])
                for key in create
                for disease, folded in [key]
            ],
            batch_size=BATCH,
        )

    # -- facts ---------------------------------------------------------------------------------------

    def sync_facts(self):
        counts = self.summary["facts for families"]
        slugs = dict(Disease.objects.values_list("pk", "slug"))
        parents_of = defaultdict(dict)
        for code, record in self.data.orphanet.items():
            child = self.page_of_code.get(code)
            if child is None:
                continue
            for parent_code, _ in record["parents"]:
                parent = self.page_of_code.get(parent_code)
                if parent is not None and parent != child:
                    parents_of[child][parent] = True
        children_of = defaultdict(list)
        for child, parents in parents_of.items():
            for parent in parents:
                children_of[parent].append(child)

        def link(pk, line=False):
            entry = {"slug": slugs[pk], "name": self.pages[pk]}
            if line:
                entry["line"] = first_sentence(self.definition_of.get(pk, ""))
            return entry

        existing = dict(Disease.objects.values_list("pk", "open_data"))
        changed = []
        for disease in self.pages:
            record = self._orphanet_record(disease)
            records = [
                self.data.orphanet[c] for c in sorted(self.orpha_of[disease], key=int) if c in self.data.orphanet
            ]
            facts = {}
            if record:
                facts["orphanet"] = [r["code"] for r in records]
                facts["orphanet_version"] = self.sources["orphanet"].version
                facts["type"] = record["type"]
                for key in ("prevalences", "onsets", "inheritance", "genes"):
                    if record[key]:
                        facts[key] = record[key]
            term = self._do_term(disease)
            if term:
                facts["doid"] = term["doid"]
            mondo = sorted({row["mondo"] for row in self.mondo_of[disease]})
            gard = sorted({row["gard"] for row in self.mondo_of[disease] if row["gard"]}, key=int)
            if mondo:
                facts["mondo"] = mondo
            if gard:
                facts["gard"] = gard
            if parents_of[disease]:
                facts["parents"] = sorted((link(pk) for pk in parents_of[disease]), key=lambda e: fold(e["name"]))
            if children_of[disease]:
                facts["children"] = sorted(
                    (link(pk, line=True) for pk in children_of[disease]), key=lambda e: fold(e["name"])
                )
            if facts != existing[disease]:
                changed.append(Disease(pk=disease, open_data=facts))
        Disease.objects.bulk_update(changed, ["open_data"], batch_size=BATCH)
        counts.updated += len(changed)
        counts.unchanged += len(self.pages) - len(changed)


def import_open_data(data: OpenData, progress=None) -> Changes:
    return Importer(data, progress).run()
