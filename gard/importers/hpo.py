"""Bringing one HPO release into the database: atomic, idempotent, incremental.

Each kind of row is compared with what the database holds, keyed on the
release's own identifiers, and only the differences are written, in one
transaction. Rows the release no longer has are retired. Rows editors wrote
(no source, or not marked as imported) are never changed.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils.text import slugify

from gard.cache import bump_content_generation
from gard.finder.statistics import store_term_statistics
from gard.importers.changes import Changes, Counts, diff
from gard.importers.hpo_files import Release
from gard.models import (
    Annotation,
    Disease,
    DiseaseRedirect,
    Gene,
    Identifier,
    Phenotype,
    PhenotypeAltId,
    PhenotypeSynonym,
    Source,
    Synonym,
)
from gard.text import fold, name_key

SOURCE_KEY = "hpo"
BATCH = 2000
# Among records that share a name, the page takes the name Orphanet spells (it keeps accents).
NAME_PREFERENCE = {"ORPHA": 0, "OMIM": 1, "DECIPHER": 2}


@dataclass
class Summary(Changes):
    version: str = ""
    duplicate_lines: int = 0
    # Values derived from the rows above (the finder's term statistics): not changes of the release.
    term_statistics: Counts = field(default_factory=Counts)
    left_apart: list[str] = field(default_factory=list)  # records a pair would merge, kept on their own page
    pairs_used: int = 0  # one-to-one pairs that joined records of different names


def _insert_many(model, columns: list[str], rows) -> None:
    """INSERT rows of plain values; for large batches where building model instances dominates."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH * 5:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)


def _delete(model, pks):
    pks = list(pks)
    for start in range(0, len(pks), BATCH):
        model.objects.filter(pk__in=pks[start : start + BATCH]).delete()


class Importer:
    def __init__(self, release: Release, progress=None, same_disease=()):
        self.release = release
        self.summary = Summary(version=release.version, duplicate_lines=release.duplicate_lines)
        self.progress = progress or (lambda step: None)
        self.same_disease = list(same_disease)  # (ORPHA:x, OMIM:y) pairs that are one disease
        self.redirects = []

    def run(self) -> Summary:
        with transaction.atomic():
            self.source = self._source()
            steps = [
                ("terms", self.sync_terms),
                ("other names of terms", self.sync_term_synonyms),
                ("alternative term IDs", self.sync_alt_ids),
                ("term hierarchy", self.sync_hierarchy),
                ("diseases", self.sync_diseases),
                ("disease names from records", self.sync_record_names),
                ("annotations", self.sync_annotations),
                ("aspects of document annotations", self.sync_document_aspects),
                ("genes", self.sync_genes),
            ]
            for label, step in steps:
                self.progress(label)
                step()
            self.retire_dropped_records()
            self.retire_empty_diseases()
            self.sync_redirects()
            self.progress("term statistics")
            self.sync_term_statistics()
            if self.summary.changes:
                from gard.search.index import rebuild_search

                self.progress("search index")
                rebuild_search()
                # The bulk writes above send no signals: cached pages go out of date here, once.
                bump_content_generation()
            elif self.summary.term_statistics.updated:
                # Editors' symptom rows changed the statistics since the last import: the finder's index reads them.
                bump_content_generation()
        return self.summary

    # -- the release itself --------------------------------------------------------

    def _source(self) -> Source:
        counts = self.summary["release"]
        source = Source.objects.filter(key=SOURCE_KEY).first()
        if source is None:
            counts.created += 1
            source = Source(
                key=SOURCE_KEY,
                title="HPO annotations of rare diseases",
                short_name="HPO",
                publisher="Human Phenotype Ontology Consortium",
                url="https://hpo.jax.org/",
                licence="HPO licence",
                licence_url="https://hpo.jax.org/license",
                version=self.release.version,
            )
            source.save_without_historical_record()  # the release is its history; an editor's saves are recorded
            return source
        if source.version != self.release.version:
            counts.updated += 1
            source.version = self.release.version
            source.save_without_historical_record(update_fields=["version"])
        else:
            counts.unchanged += 1
        return source

    # -- ontology ----------------------------------------------------------------

    def sync_terms(self):
        fields = ["name", "definition", "comment", "is_obsolete", "replaced_by"]
        existing = {row[1]: row for row in Phenotype.objects.values_list("pk", "hpo_id", *fields)}
        existing = {hpo_id: (row[0], *row[2:]) for hpo_id, row in existing.items()}
        wanted = {
            term.hpo_id: (term.name, term.definition, term.comment, term.is_obsolete, term.replaced_by)
            for term in self.release.terms.values()
        }
        # Terms the release no longer has are kept (editors' rows may point at them) but marked obsolete.
        dropped = {key for key, row in existing.items() if key not in wanted and not row[4]}
        existing_now = {key: row for key, row in existing.items() if key in wanted}
        create, update, _ = diff(self.summary["terms"], existing_now, wanted)
        self.summary["terms"].retired += len(dropped)

        def build(hpo_id, pk=None):
            values = dict(zip(fields, wanted[hpo_id], strict=True))
            return Phenotype(pk=pk, hpo_id=hpo_id, search_name=fold(values["name"]), **values)

        Phenotype.objects.bulk_create([build(key) for key in create], batch_size=BATCH)
        Phenotype.objects.bulk_update(
            [build(key, existing[key][0]) for key in update], [*fields, "search_name"], batch_size=BATCH
        )
        Phenotype.objects.filter(hpo_id__in=dropped).update(is_obsolete=True)
        self.term_ids = dict(Phenotype.objects.values_list("hpo_id", "pk"))

    def sync_term_synonyms(self):
        rows = PhenotypeSynonym.objects.values_list("pk", "phenotype_id", "name", "scope", "layperson", "imported")
        existing, others = {}, {}
        for pk, phenotype_id, name, scope, layperson, imported in rows:
            if imported:
                existing[(phenotype_id, name)] = (pk, scope, layperson)
            else:
                others[(phenotype_id, name)] = pk
        wanted = {
            (self.term_ids[term.hpo_id], name): (scope, layperson)
            for term in self.release.terms.values()
            for name, (scope, layperson) in term.synonyms.items()
        }
        # A name a document or an editor already gave the term is adopted, not duplicated.
        adopt = [key for key in wanted if key in others]
        for key in adopt:
            existing[key] = (others[key], None, None)
        create, update, retire = diff(self.summary["other names of terms"], existing, wanted)
        PhenotypeSynonym.objects.bulk_create(
            [
                PhenotypeSynonym(
                    phenotype_id=key[0],
                    name=key[1],
                    search_name=fold(key[1]),
                    scope=wanted[key][0],
                    layperson=wanted[key][1],
                    imported=True,
                )
                for key in create
            ],
            batch_size=BATCH,
        )
        PhenotypeSynonym.objects.bulk_update(
            [
                PhenotypeSynonym(pk=existing[key][0], scope=wanted[key][0], layperson=wanted[key][1], imported=True)
                for key in update
            ],
            ["scope", "layperson", "imported"],
            batch_size=BATCH,
        )
        _delete(PhenotypeSynonym, (existing[key][0] for key in retire))

    def sync_alt_ids(self):
        existing = {
            alt: (pk, phenotype_id)
            for pk, alt, phenotype_id in PhenotypeAltId.objects.values_list("pk", "alt_id", "phenotype_id")
        }
        wanted = {alt: (self.term_ids[term.hpo_id],) for term in self.release.terms.values() for alt in term.alt_ids}
        create, update, retire = diff(self.summary["alternative term IDs"], existing, wanted)
        PhenotypeAltId.objects.bulk_create(
            [PhenotypeAltId(alt_id=alt, phenotype_id=wanted[alt][0]) for alt in create], batch_size=BATCH
        )
        PhenotypeAltId.objects.bulk_update(
            [PhenotypeAltId(pk=existing[alt][0], phenotype_id=wanted[alt][0]) for alt in update], ["phenotype"]
        )
        _delete(PhenotypeAltId, (existing[alt][0] for alt in retire))

    def _sync_links(self, kind: str, through, source: str, target: str, wanted_pairs: set):
        existing = {(a, b): (pk,) for pk, a, b in through.objects.values_list("pk", source, target)}
        wanted = {pair: () for pair in wanted_pairs}
        create, _, retire = diff(self.summary[kind], existing, wanted)
        through.objects.bulk_create([through(**{source: a, target: b}) for a, b in create], batch_size=BATCH)
        _delete(through, (existing[pair][0] for pair in retire))

    def sync_hierarchy(self):
        ids = self.term_ids
        parents = {(ids[t.hpo_id], ids[p]) for t in self.release.terms.values() for p in t.parents}
        self._sync_links("parent links", Phenotype.parents.through, "from_phenotype_id", "to_phenotype_id", parents)
        categories = {(ids[h], ids[c]) for h, found in self.release.categories().items() for c in found}
        self._sync_links(
            "organ-system links", Phenotype.categories.through, "from_phenotype_id", "to_phenotype_id", categories
        )

    # -- diseases ----------------------------------------------------------------

    def sync_diseases(self):
        """One disease, one page: records with the same name, records the open data pairs one-to-one
        (``same_disease``) and records already on a disease share it.

        A record already on another disease moves to the shared one (its names and annotations follow
        in the steps below); a page left with nothing of its own is retired and its address leads to
        the page that holds it. Pages with editors' or documents' content are never merged away, and a
        record someone moved by hand is never moved back: such records are left apart and listed in the
        summary.
        """
        counts, id_counts = self.summary["diseases"], self.summary["disease identifiers"]
        identifiers = {
            f"{prefix}:{accession}": (pk, disease_id, name, imported)
            for pk, prefix, accession, disease_id, name, imported in Identifier.objects.values_list(
                "pk", "prefix", "accession", "disease_id", "name", "imported"
            )
        }
        by_name = {}
        for pk, search_name in Disease.objects.order_by("pk").values_list("pk", "search_name"):
            by_name.setdefault(search_name, pk)
        slugs = dict(Disease.objects.values_list("slug", "pk"))
        written = self._diseases_with_own_content()
        # Records someone moved by hand (an editor, in the admin or a shell) stay where they were put.
        by_hand = set(Identifier.history.filter(history_type="~").values_list("id", flat=True))

        new_diseases, new_identifiers, renamed, moved = [], [], [], []
        self.merged_away = set()  # diseases whose records moved to another page
        self.merged_into = {}
        for records in self._record_groups():
            preferred = min(records, key=lambda r: (NAME_PREFERENCE[r.prefix], r.curie))
            known = [identifiers[r.curie][1] for r in records if r.curie in identifiers]
            # The page: the one with editors' content, else the preferred record's, else the first record's.
            ranked = sorted(
                dict.fromkeys(known),
                key=lambda pk: (pk not in written, identifiers.get(preferred.curie, (0, None))[1] != pk, pk),
            )
            disease = ranked[0] if ranked else by_name.get(fold(preferred.name))
            if disease is None:
                slug = slugify(preferred.name)[:280] or slugify(preferred.curie)
                if slug in slugs:
                    slug = f"{slug}-{slugify(preferred.curie)}"
                slugs[slug] = None
                disease = Disease(name=preferred.name, slug=slug, search_name=fold(preferred.name))
                new_diseases.append(disease)
                by_name[fold(preferred.name)] = disease
            for record in records:
                if record.curie not in identifiers:
                    new_identifiers.append((disease, record))
                    self._redirect_later(record, disease)
                    continue
                pk, current, name, _ = identifiers[record.curie]
                if current != disease and pk in by_hand:
                    self.summary.left_apart.append(f"{record.curie} stays on the page it was moved to by hand")
                    if name != record.name:
                        renamed.append(Identifier(pk=pk, name=record.name))
                elif current != disease and isinstance(disease, int) and current not in written:
                    moved.append(Identifier(pk=pk, disease_id=disease, name=record.name))
                    self.merged_away.add(current)
                    self.merged_into[current] = disease
                elif current != disease and current in written:
                    self.summary.left_apart.append(
                        f"{record.curie} stays on its own page: that page has editors' or documents' content"
                    )
                elif name != record.name:
                    renamed.append(Identifier(pk=pk, name=record.name))
        Disease.objects.bulk_create(new_diseases, batch_size=BATCH)
        counts.created += len(new_diseases)
        Identifier.objects.bulk_create(
            [
                Identifier(
                    disease_id=disease if isinstance(disease, int) else disease.pk,
                    prefix=record.prefix,
                    accession=record.accession,
                    name=record.name,
                    imported=True,
                )
                for disease, record in new_identifiers
            ],
            batch_size=BATCH,
        )
        Identifier.objects.bulk_update(renamed, ["name"], batch_size=BATCH)
        Identifier.objects.bulk_update(moved, ["disease", "name"], batch_size=BATCH)
        self.summary["records moved to the page of their disease"].updated += len(moved)
        # Records the release dropped are deleted at the end (retire_dropped_records), after the steps
        # below have retired, and counted, the names, annotations and gene links they brought.
        dropped = [row for curie, row in identifiers.items() if row[3] and curie not in self.release.records]
        self.dropped_records = [row[0] for row in dropped]
        self.dropped_from = {row[1] for row in dropped} | self.merged_away
        id_counts.created += len(new_identifiers)
        id_counts.updated += len(renamed) + len(moved)
        id_counts.retired += len(dropped)
        id_counts.unchanged += len(self.release.records) - len(new_identifiers) - len(renamed) - len(moved)
        self.records = {
            f"{prefix}:{accession}": (pk, disease_id)
            for pk, prefix, accession, disease_id in Identifier.objects.values_list(
                "pk", "prefix", "accession", "disease_id"
            )
        }

    def _record_groups(self) -> list[list]:
        """The release's records in groups that are one disease: the same folded name, or a pair."""
        records = self.release.records
        parent = {}

        def root(key):
            parent.setdefault(key, key)
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        def join(a, b):
            parent[root(a)] = root(b)

        for curie in sorted(records):
            join(curie, "name:" + fold(records[curie].name))
        self.pairs_used = 0
        for orpha, omim in self.same_disease:
            if orpha in records and omim in records:
                if root(orpha) != root(omim):
                    self.pairs_used += 1
                join(orpha, omim)
        groups = defaultdict(list)
        for curie in sorted(records):
            groups[root(curie)].append(records[curie])
        self.summary.pairs_used = self.pairs_used
        return sorted(groups.values(), key=lambda group: group[0].curie)

    def _diseases_with_own_content(self) -> set:
        """Pages holding something besides the release's rows: they are never merged away."""
        return set(Disease.objects.with_own_content().values_list("pk", flat=True))

    def _redirect_later(self, record, disease):
        """A record joining a page under another name: its own page's address should lead there."""
        if not isinstance(disease, int) and fold(record.name) == disease.search_name:
            return
        self.redirects.append((slugify(record.name)[:280], disease))

    def sync_record_names(self):
        """A record's name, where it differs from the page's, is listed among the other names."""
        disease_names = dict(Disease.objects.values_list("pk", "name"))
        taken = defaultdict(set)  # names each disease already lists, from documents and editors
        existing = {}
        for pk, disease_id, name, search_name, record_id in Synonym.objects.values_list(
            "pk", "disease_id", "name", "search_name", "record_id"
        ):
            if record_id is None:
                taken[disease_id].add(search_name)
            else:
                existing[record_id] = (pk, disease_id, name)
        wanted = {}
        for curie in sorted(self.release.records):
            record = self.release.records[curie]
            record_id, disease_id = self.records[curie]
            folded = fold(record.name)
            if name_key(record.name) == name_key(disease_names[disease_id]) or folded in taken[disease_id]:
                continue
            taken[disease_id].add(folded)
            wanted[record_id] = (disease_id, record.name)
        create, update, retire = diff(self.summary["disease names from records"], existing, wanted)
        _delete(Synonym, (existing[key][0] for key in retire))
        Synonym.objects.bulk_update(
            [
                Synonym(
                    pk=existing[key][0],
                    disease_id=wanted[key][0],
                    name=wanted[key][1],
                    search_name=fold(wanted[key][1]),
                )
                for key in update
            ],
            ["disease", "name", "search_name"],
            batch_size=BATCH,
        )
        Synonym.objects.bulk_create(
            [
                Synonym(
                    disease_id=wanted[key][0],
                    name=wanted[key][1],
                    search_name=fold(wanted[key][1]),
                    source=self.source,
                    record_id=key,
                )
                for key in create
            ],
            batch_size=BATCH,
        )

    FIELDS = [
        "disease_id",
        "phenotype_id",
        "record_id",
        "negated",
        "aspect",
        "frequency",
        "frequency_raw",
        "onset",
        "sex",
        "modifier",
        "evidence",
        "citations",
        "source_id",
    ]

    def sync_annotations(self):
        existing = {
            row[1]: (row[0], *row[2:])
            for row in Annotation.objects.filter(import_ref__isnull=False).values_list("pk", "import_ref", *self.FIELDS)
        }
        wanted = {}
        for row in self.release.rows:
            record_id, disease_id = self.records[row.record]
            wanted[row.import_ref] = (
                disease_id,
                self.term_ids[row.hpo_id],
                record_id,
                row.negated,
                row.aspect,
                row.frequency,
                row.frequency_raw,
                row.onset,
                row.sex,
                row.modifier,
                row.evidence,
                row.citations,
                self.source.pk,
            )
        create, update, retire = diff(self.summary["annotations"], existing, wanted)

        def build(key, pk=None):
            return Annotation(pk=pk, import_ref=key, **dict(zip(self.FIELDS, wanted[key], strict=True)))

        _delete(Annotation, (existing[key][0] for key in retire))
        fields = [name.removesuffix("_id") for name in self.FIELDS]
        Annotation.objects.bulk_update([build(key, existing[key][0]) for key in update], fields, batch_size=BATCH)
        # A quarter of a million new rows: one prepared INSERT run many times, not a model object each.
        _insert_many(Annotation, ["import_ref", *self.FIELDS], ((key, *wanted[key]) for key in create))

    def sync_document_aspects(self):
        """Documents list inheritance and onset terms in their symptom tables (GARD does); the
        ontology says which they are, so they show as facts like imported ones. Editors' rows
        (no source) are left as written."""
        counts = self.summary["aspects of document annotations"]
        aspects = self.release.aspects()
        rows = Annotation.objects.filter(import_ref__isnull=True, source__isnull=False).values_list(
            "pk", "phenotype__hpo_id", "aspect"
        )
        changed = []
        for pk, hpo_id, aspect in rows:
            wanted = aspects.get(hpo_id, aspect)
            if wanted != aspect:
                changed.append(Annotation(pk=pk, aspect=wanted))
            else:
                counts.unchanged += 1
        counts.updated += len(changed)
        Annotation.objects.bulk_update(changed, ["aspect"], batch_size=BATCH)

    def sync_genes(self):
        existing = {ncbi: (pk, symbol) for pk, ncbi, symbol in Gene.objects.values_list("pk", "ncbi_id", "symbol")}
        wanted = {ncbi: (symbol,) for ncbi, symbol in self.release.genes.items()}
        create, update, retire = diff(self.summary["genes"], existing, wanted)
        Gene.objects.bulk_update(
            [Gene(pk=existing[key][0], symbol=wanted[key][0]) for key in update], ["symbol"], batch_size=BATCH
        )
        Gene.objects.bulk_create([Gene(ncbi_id=key, symbol=wanted[key][0]) for key in create], batch_size=BATCH)
        gene_ids = dict(Gene.objects.values_list("ncbi_id", "pk"))
        links = {(self.records[curie][0], gene_ids[ncbi]) for curie, ncbi in self.release.record_genes}
        self._sync_links("gene links", Identifier.genes.through, "identifier_id", "gene_id", links)
        # After the links, so the links of retired genes are counted, not removed unseen by the cascade.
        _delete(Gene, (existing[key][0] for key in retire))

    def sync_term_statistics(self):
        """Each term's ancestors, disease count and information content, for the symptom finder.

        Computed from the hierarchy and every symptom row (editors' and documents' too), after
        the steps above; only terms whose values changed are written.
        """
        updated, unchanged = store_term_statistics(Phenotype, Annotation)
        self.summary.term_statistics.updated += updated
        self.summary.term_statistics.unchanged += unchanged

    def retire_dropped_records(self):
        """Records the release no longer has; what they brought is already retired."""
        _delete(Identifier, self.dropped_records)

    def retire_empty_diseases(self):
        """Diseases left with no record and nothing written by editors or documents are removed.

        Only diseases that lost a record in this import: a disease an editor has just created
        (a name, nothing else yet) is not the import's to remove.
        """
        empty = Disease.objects.filter(
            Q(pk__in=self.dropped_from),
            ~Q(pk__in=Identifier.objects.values("disease_id")),
            ~Q(pk__in=Annotation.objects.values("disease_id")),
            ~Q(pk__in=Synonym.objects.filter(record__isnull=False).values("disease_id")),
            ~Q(pk__in=Disease.objects.with_own_content().values("pk")),
        )
        retired = dict(empty.values_list("pk", "slug"))
        for pk, slug in retired.items():
            if pk in self.merged_into:
                self.redirects.append((slug, self.merged_into[pk]))
        self.summary["diseases"].retired += len(retired)
        _delete(Disease, retired)
        counts = self.summary["diseases"]
        counts.unchanged = Disease.objects.count() - counts.created

    def sync_redirects(self):
        """The addresses of pages merged into another, and of records that joined a page under another
        name, lead to the page that holds them (a slug that is a live page's own is left to it)."""
        counts = self.summary["addresses leading to merged pages"]
        wanted = {}
        for slug, disease in self.redirects:
            if slug:
                wanted.setdefault(slug, disease if isinstance(disease, int) else disease.pk)
        live = set(Disease.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        existing = dict(DiseaseRedirect.objects.filter(slug__in=wanted).values_list("slug", "disease_id"))
        create = [slug for slug in wanted if slug not in live and slug not in existing]
        update = [slug for slug in wanted if slug in existing and existing[slug] != wanted[slug]]
        DiseaseRedirect.objects.bulk_create([DiseaseRedirect(slug=slug, disease_id=wanted[slug]) for slug in create])
        for slug in update:
            DiseaseRedirect.objects.filter(slug=slug).update(disease_id=wanted[slug])
        counts.created += len(create)
        counts.updated += len(update)
        counts.unchanged += len(existing) - len(update)


def pairs_pending(pairs) -> int:
    """How many one-to-one pairs are not on one page yet (and could be: neither page has its own content)."""
    if not pairs:
        return 0
    placed = {
        f"{prefix}:{accession}": disease
        for prefix, accession, disease in Identifier.objects.values_list("prefix", "accession", "disease_id")
    }
    kept = set(Disease.objects.with_own_content().values_list("pk", flat=True))
    return sum(
        1
        for a, b in pairs
        if a in placed and b in placed and placed[a] != placed[b] and not {placed[a], placed[b]} & kept
    )


def import_release(release: Release, progress=None, same_disease=()) -> Summary:
    return Importer(release, progress, same_disease).run()
