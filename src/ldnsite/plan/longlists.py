"""Split the two long lists, the evidence map and the list of sources, into pages on a large site.

At 10,000 claims each list is about 9 MB of HTML, more than a reader's browser copes with. Above the
site's ``list_page_size`` rows, each list becomes an index page and one page per group: per condition
group for the map, per design for the sources. A group larger than the limit is cut into runs of
consecutive members and named by the first letters of its first and last member ("Pain, A-F").

Pure functions of ids, names and counts: ``plan_paths`` (no views) and ``plan_site`` (views) compute the
same parts from the same numbers, so ``check`` sees every path a build writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ldnsite.content.model import Database, SourceKind

MAP_PARTS_FOLDER = "evidence-map"
SOURCE_PARTS_FOLDER = "sources/design"

Member = tuple[str, str, int]
"""A row group of a list: its id, the name it sorts and is lettered by, and how many rows it holds."""

Group = tuple[str, str, Sequence[Member]]
"""A group of a list (a condition group, a design): its id, its name and its members in list order."""


@dataclass(frozen=True, slots=True)
class Part:
    """One page of a split list: where it is written, its heading, the ids of its members and its row count."""

    path: str
    name: str
    keys: tuple[str, ...]
    rows: int


def partition(groups: Iterable[Group], folder: str, limit: int) -> tuple[Part, ...]:
    """Return one part per group that has members, cutting a group of more than ``limit`` rows into several.

    A run ends before the member that would take it past the limit; a member larger than the limit alone
    makes a part. Parts of one group are numbered in their paths (``pain-1``) and lettered in their names.
    """
    parts: list[Part] = []
    for slug, name, members in groups:
        runs = _runs(members, limit)
        for number, run in enumerate(runs, 1):
            path = f"{folder}/{slug}.html" if len(runs) == 1 else f"{folder}/{slug}-{number}.html"
            label = name if len(runs) == 1 else f"{name}, {_letters(run)}"
            parts.append(Part(path, label, tuple(key for key, _, _ in run), sum(rows for _, _, rows in run)))
    return tuple(parts)


def _runs(members: Sequence[Member], limit: int) -> list[list[Member]]:
    runs: list[list[Member]] = []
    current: list[Member] = []
    rows = 0
    for member in members:
        if current and rows + member[2] > limit:
            runs.append(current)
            current, rows = [], 0
        current.append(member)
        rows += member[2]
    if current:
        runs.append(current)
    return runs


def _letters(run: Sequence[Member]) -> str:
    first, last = run[0][1][:1].upper(), run[-1][1][:1].upper()
    return first if first == last else f"{first}\u2013{last}"


def map_parts(groups: Iterable[Group], claim_count: int, limit: int) -> tuple[Part, ...]:
    """Return the pages of the evidence map, or none when its ``claim_count`` rows fit on one page."""
    return partition(groups, MAP_PARTS_FOLDER, limit) if claim_count > limit else ()


def source_parts(groups: Iterable[Group], source_count: int, limit: int) -> tuple[Part, ...]:
    """Return the pages of the list of sources, or none when its ``source_count`` entries fit on one page."""
    return partition(groups, SOURCE_PARTS_FOLDER, limit) if source_count > limit else ()


def database_map_groups(db: Database) -> list[Group]:
    """Return the evidence map's groups as ``plan_site`` orders them (groups in site.yaml order, conditions by name)."""
    counts = Counter(db.claim_condition.values())
    groups: list[Group] = []
    for group in db.site.condition_groups:
        members = sorted((c for c in db.conditions if c.group == group.id), key=lambda c: c.name.lower())
        groups.append((group.id, group.name, [(c.id, c.name, counts[c.id]) for c in members]))
    return groups


def source_groups(sources: Sequence, kind_of=lambda source: source.kind, id_of=lambda source: source.id) -> list[Group]:
    """Return the sources by design, designs in the model's order, each source one row, in the given order."""
    by_kind: dict[SourceKind, list[Member]] = {kind: [] for kind in SourceKind}
    for source in sources:
        ident = id_of(source)
        by_kind[kind_of(source)].append((ident, ident, 1))
    return [(kind.value, kind.label, members) for kind, members in by_kind.items()]
