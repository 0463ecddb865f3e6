"""A disease's symptom table as a CSV file, the same rows as the filtered table on the page."""

import csv

from gard.frequency import shown_short_labels

HEADER = ["Medical term", "HPO ID", "Frequency", "Frequency as stated", "Other names", "Source"]


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_symptom_rows(output, rows) -> None:
    """Write the table rows (``gard.diseases.page.TermRow``) to a file-like ``output``."""
    short = shown_short_labels()
    writer = csv.writer(output)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(
            _cell(value)
            for value in (
                row.medical_name,
                row.hpo_id,
                short[row.frequency],
                "; ".join(statement.text for statement in row.statements),
                # With plain-language names first, the row's name is a plain name and the medical term is
                # among its other names: the file keeps the medical term in its own column and every other name.
                "; ".join(name for name in [row.name, *row.other_names] if name != row.medical_name),
                "; ".join(statement.source for statement in row.statements),
            )
        )
