"""What an import changed, kind by kind, and the comparison that finds it: shared by every import."""

from dataclasses import dataclass, field


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    @property
    def changes(self) -> int:
        return self.created + self.updated + self.retired


@dataclass
class Changes:
    """Counts per kind of row, in the order the import met them; ``summary[kind]`` makes one on first use."""

    kinds: dict[str, Counts] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> Counts:
        return self.kinds.setdefault(kind, Counts())

    @property
    def changes(self) -> int:
        return sum(counts.changes for counts in self.kinds.values())

    def lines(self) -> list[str]:
        width = max(len(kind) for kind in self.kinds)
        return [
            f"{kind:<{width}}  created {c.created}, updated {c.updated}, unchanged {c.unchanged}, retired {c.retired}"
            for kind, c in self.kinds.items()
        ]


def diff(counts: Counts, existing: dict, wanted: dict):
    """Keys to create, keys to update and keys to retire, counting as it goes.

    ``existing[key]`` is (pk, *values) as the database holds them, ``wanted[key]`` the values wanted.
    """
    create = [key for key in wanted if key not in existing]
    update = [key for key in wanted if key in existing and existing[key][1:] != wanted[key]]
    retire = [key for key in existing if key not in wanted]
    counts.created += len(create)
    counts.updated += len(update)
    counts.retired += len(retire)
    counts.unchanged += len(wanted) - len(create) - len(update)
    return create, update, retire
