from pathlib import Path


class ParseError(Exception):
    """Input the importers cannot use, with the file and line it is on."""

    def __init__(self, path: Path, line: int | None, reason: str):
        self.path, self.line, self.reason = Path(path), line, reason
        where = f"{self.path.name}, line {line}" if line else self.path.name
        super().__init__(f"{where}: {reason}")
