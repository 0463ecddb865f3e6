"""A full restore, timed step by step: the catalogue imported again from the releases, then the editors' content.

    .venv/bin/python bench/restore_time.py --database sqlite:////tmp/restore-bench
    .venv/bin/python bench/restore_time.py --database postgres://user:password@127.0.0.1:5432/restore_bench

The given database (a SQLite path prefix, or a PostgreSQL database name the role may create) is used twice,
as NAME-source and NAME-restored, both made afresh: the source gets the catalogue as ``make run`` imports
it and editors' work through the ORM with history (--edits diseases' summaries, a tenth as many other names
and sections, one disease deleted), as an editor's saves leave it; ``backup_content`` writes the backup;
then the README's restore steps run as commands on the empty second database, each timed. Finally a second
backup of the restored database is compared with the first, row for row.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESTORE_STEPS = [
    ["migrate"],
    ["load_documents"],
    ["import_hpo"],
    ["import_open_data"],
]


def database_urls(database: str) -> tuple[str, str]:
    return f"{database}-source", f"{database}-restored"


def recreate(url: str) -> None:
    """An empty database at the URL."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(url: str, *arguments: str) -> float:
    """Run one management command against the database; its wall time in seconds."""
    environment = {**os.environ, "DATABASE_URL": url}
    environment.pop("REDIS_URL", None)  # the page cache is not part of a restore
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


EDITS = """
import sys
from django.contrib.auth.models import Group, User
from django.db import transaction
from gard.models import Disease, Section, Synonym

count = int(sys.argv[1])
editor = User.objects.create_user("bench-editor", password="not-used", is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
with transaction.atomic():
    diseases = list(Disease.objects.order_by("slug")[: count + 1])
    for disease in diseases[:count]:
        disease.summary = f"{disease.name}: a summary an editor wrote."
        disease._history_user = editor
        disease.save()
    for disease in diseases[: max(count // 10, 1)]:
        synonym = Synonym(disease=disease, name=f"{disease.name} (an editor's other name)")
        synonym._history_user = editor
        synonym.save()
    for section in Section.objects.order_by("pk")[: max(count // 10, 1)]:
        section.body = section.body + "\\n\\nAn editor's added paragraph."
        section._history_user = editor
        section.save()
    deleted = diseases[count]
    deleted._history_user = editor
    deleted.delete()
"""


def backup_rows(path: Path) -> dict:
    with gzip.open(path, "rt") if path.suffix == ".gz" else path.open() as file:
        data = json.load(file)
    return {
        "content": sorted(
            json.dumps({k: v for k, v in row.items() if k != "pk"}, sort_keys=True) for row in data["content"]
        ),
        "history": {label: len(records) for label, records in data["history"].items()},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="sqlite:////path/prefix or postgres://…/name")
    parser.add_argument("--edits", type=int, default=200)
    arguments = parser.parse_args()
    source, restored = database_urls(arguments.database)
    with tempfile.TemporaryDirectory() as folder:
        backup, check = Path(folder, "backup.json.gz"), Path(folder, "check.json.gz")
        recreate(source)
        print(f"source: importing the catalogue into {source} …", flush=True)
        for step in RESTORE_STEPS:
            manage(source, *step)
        manage(source, "shell", "-c", EDITS.replace("sys.argv[1]", repr(str(arguments.edits))))
        backup_seconds = manage(source, "backup_content", str(backup))
        print(f"backup_content: {backup_seconds:.1f} s, {backup.stat().st_size / 1024:.0f} KB", flush=True)

        recreate(restored)
        total = 0.0
        for step in [*RESTORE_STEPS, ["restore_content", str(backup)]]:
            seconds = manage(restored, *step)
            total += seconds
            print(f"{step[0]}: {seconds:.1f} s", flush=True)
        print(f"full restore: {total:.1f} s")
        manage(restored, "backup_content", str(check))
        same = backup_rows(backup) == backup_rows(check)
        print(f"a backup of the restored database holds the same rows: {'yes' if same else 'NO'}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
