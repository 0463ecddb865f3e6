"""Counting and reading the SQL a request or an import runs."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, path) -> int:
    """How many queries a GET of the path makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


# executemany() is recorded as "3 times: INSERT INTO ...".
WRITE = re.compile(
    r'^\s*(?:\d+ times: )?(INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.IGNORECASE
)


def written_tables(queries: CaptureQueriesContext) -> set[tuple[str, str]]:
    """(statement, table) of each INSERT, UPDATE, DELETE or REPLACE the queries ran."""
    found = set()
    for query in queries:
        if match := WRITE.match(query["sql"]):
            found.add((match.group(1).split()[0].upper(), match.group(2)))
    return found
