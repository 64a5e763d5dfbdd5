"""Load `content/` into a Database: find the files, read them, check their structure.

Layout::

    content/site.yaml                 site settings
    content/conditions/<id>.yaml      one condition and its claims
    content/sources/<id>.yaml         one source

Files are read in sorted order so problems and output never depend on the file system.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ldnsite import processes
from ldnsite.content.model import Claim, Condition, ConditionFile, ConditionGroup, Database, Site, Source
from ldnsite.content.schema import parse_record
from ldnsite.content.validate import check_database
from ldnsite.content.wording import with_locale
from ldnsite.content.yamlsource import Path_, YamlDoc, not_a_file, read_yaml
from ldnsite.memo import call
from ldnsite.problems import Location, Problem, ProblemList, error

CONTENT_DIRS = ("conditions", "sources")


class ContentDirError(Exception):
    """The content folder itself is missing: nothing can be checked."""


@dataclass
class FileResult:
    """What one content file yields: model objects, problems, and what is known of its broken parts."""

    problems: list[Problem] = field(default_factory=list)
    site: Site | None = None
    source: Source | None = None
    condition: Condition | None = None
    claims: list[tuple[Claim, str]] = field(default_factory=list)
    broken_ids: set[str] = field(default_factory=set)
    """Ids of files and claims that failed to parse: no 'unknown id' reports about them."""
    raw_cited: set[str] = field(default_factory=set)
    """Source ids cited by claims that failed to parse: no 'unused source' reports about them."""
    groups: tuple[ConditionGroup, ...] | None = None
    """The condition groups that parsed, when the site file as a whole did not."""
    unreadable_conditions: bool = False
    """True when a condition file could not be read at all, so which sources it cites is unknown."""


RACY_NS = 2_000_000_000
"""A file modified less than this long (2 s) before it was read may change again within the same tick of
the file system's clock, keeping its size and time: it is read again next time, whatever its stat says."""


class FileCache:
    """Parsed files kept between builds (by `ldnsite serve`, and on disk by ``cache.py``).

    A file is parsed again only when it changes.

    A file counts as unchanged while its modification time, size, inode and change time (and the
    name it is reported under) are the same; an unchanged file yields the very same model objects, which later
    stages compare cheaply. A file that was modified just before it was read is not trusted (see
    ``RACY_NS``), as git does with its index.
    """

    def __init__(self) -> None:
        self.changed: set[str] = set()
        """Paths read or forgotten since this set was last cleared (by the disk cache, after saving)."""
        self.entries: dict[str, tuple[tuple | None, FileResult]] = {}
        """Path of each file read -> (its modification time, size, inode, change time and display name when read, or None
        when it was read too soon after a change to be trusted; what it yielded)."""

    def load_all(self, files: list[tuple[str, str]]) -> list[FileResult]:
        """Return what each (file, display name) yields, in order; the changed ones are parsed (in parallel when many)."""
        keys = [_stat_key(file, display) for file, display in files]
        results: list[FileResult | None] = [None] * len(files)
        stale = []
        for i, ((file, _), key) in enumerate(zip(files, keys, strict=True)):
            entry = self.entries.get(file) if key is not None else None
            if entry is not None and entry[0] == key:
                results[i] = entry[1]
            else:
                stale.append(i)
        # Taken before reading: a file counts as settled only if it was modified well before every read.
        settled_before = time.time_ns() - RACY_NS
        for i, result in zip(stale, self.parse_stale(files, keys, stale, settled_before), strict=True):
            results[i] = result
        return [result for result in results if result is not None]  # every slot is filled by now

    def parse_stale(self, files: list[tuple[str, str]], keys: list, stale: list[int], settled_before: int) -> list[FileResult]:
        """Parse ``files[i]`` for each index in ``stale``, keep each result, and return them in that order.

        ``keys[i]`` is the file's stat key (``_stat_key``); a file modified after ``settled_before``
        is kept without one, so that it is read again next time. The disk cache overrides this to
        have its worker processes write what they parse (``cache.py``).
        """
        parsed = parse_files([files[i] for i in stale])
        for i, result in zip(stale, parsed, strict=True):
            file, key = files[i][0], keys[i]
            if key is not None:  # a file that could not even be stat'ed is not kept
                self.entries[file] = (trusted_key(key, settled_before), result)
                self.changed.add(file)
        return parsed

    def keep_only(self, files: set[str]) -> None:
        """Forget files that no longer exist."""
        for file in list(self.entries):
            if file not in files:
                del self.entries[file]
                self.changed.add(file)


def load_database(
    content_dir: Path, project_dir: Path, today: str | None = None, cache: FileCache | None = None, memo: Callable = call
) -> tuple[Database | None, ProblemList]:
    """Load and validate every content file. Return the database (None if it has errors) and all problems.

    With a ``cache``, files unchanged since the last call are not read again; with a ``memo``, claims
    whose file and sources did not change are not checked again.
    """
    if not content_dir.is_dir():
        raise ContentDirError(f"content folder not found: {content_dir}")
    problems = ProblemList()
    files = _content_files(content_dir, project_dir, problems)
    results = cache.load_all(files) if cache else parse_files(files)
    if cache:
        cache.keep_only({file for file, _ in files})
    site = next((r.site for r in results if r.site is not None), None)
    claims = [pair for r in results for pair in r.claims]
    for result in results:
        problems.extend(result.problems)
    if site is None:
        if not (content_dir / "site.yaml").exists():
            problems.add(
                error(
                    Location(_display(content_dir / "site.yaml", project_dir)),
                    "load.missing-site",
                    "site settings file is missing",
                    "create content/site.yaml; `ldnsite init NEW-FOLDER --intervention NAME` writes a project with one to copy",
                )
            )
            return None, problems
        site = _stand_in_site(results)  # the site file has errors: report those of every other file as well
    else:
        site, locale_problems = with_locale(site, project_dir)
        problems.extend(locale_problems)
    db = Database(
        site=site,
        conditions=tuple(sorted((r.condition for r in results if r.condition is not None), key=lambda c: c.id)),
        claims=tuple(sorted((c for c, _ in claims), key=lambda c: c.id)),
        sources=tuple(sorted((r.source for r in results if r.source is not None), key=lambda s: s.id)),
        claim_condition={c.id: cond for c, cond in claims},
    )
    broken = set().union(*(r.broken_ids for r in results))
    raw_cited = set().union(*(r.raw_cited for r in results))
    unreadable = any(r.unreadable_conditions for r in results)
    problems.extend(check_database(db, broken, raw_cited, [c for c, _ in claims], today, unreadable, memo))
    return (None if problems.errors else db), problems


def trusted_key(key: tuple, settled_before: int) -> tuple | None:
    """The key a file's result is kept under: its stat key, or None if it changed too recently to be trusted next time."""
    return key if key[0] < settled_before else None


def _stat_key(file: str, display: str) -> tuple | None:
    """What identifies a version of ``file``: modification time, size, inode, change time, and the name it is reported under."""
    try:
        info = os.stat(file)
    except OSError:
        return None
    # The change time too: renaming a file over another, or restoring its modification time, sets it to now,
    # so two files of one size swapped with their times restored are still told apart.
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns, display)


PARALLEL_MIN_FILES = 500
"""Below this many files to parse, starting worker processes costs more than it saves."""

CHUNKS_PER_WORKER = 8
"""How many pieces of the file list each worker takes, one after the other."""


def parse_files(files: list[tuple[str, str]]) -> list[FileResult]:
    """Parse each (file, display name) on its own (``load_file``) and return the results in order.

    Many files are shared among this process and forked workers, one for each other CPU, each parsing
    chunks of the list; the workers send back their results (pickled: the model classes pickle compactly). A cold `check`
    or `build` of a large site spends most of its loading time in YAML parsing, which this halves
    on two CPUs. The results are the same, in the same order, whatever the number of workers.
    """
    count = processes.cpu_count()
    if count < 2 or len(files) < max(PARALLEL_MIN_FILES, 2) or not processes.can_fork():
        return _parse_chunk(files)
    chunks = _chunks_by_size(files, count * CHUNKS_PER_WORKER)
    results = processes.share(chunks, _parse_in_worker, _parse_chunk, count, "parsing content files")
    return [result for chunk in results for result in chunk]


def _chunks_by_size(files: list[tuple[str, str]], count: int) -> list[list[tuple[str, str]]]:
    """Cut the list into about ``count`` runs of consecutive files of about the same number of bytes.

    Parsing takes time in proportion to a file's size, and sizes differ: a condition file with its claims
    is many times a source file. Chunks of as many files each would leave one process parsing the last
    long ones alone.
    """
    sizes = []
    for file, _ in files:
        try:
            sizes.append(os.path.getsize(file) + 1)
        except OSError:
            sizes.append(1)  # reported when it is read
    share = sum(sizes) / count
    chunks: list[list[tuple[str, str]]] = [[]]
    filled = 0.0
    for entry, size in zip(files, sizes, strict=True):
        if filled >= share and chunks[-1]:
            chunks.append([])
            filled = 0.0
        chunks[-1].append(entry)
        filled += size
    return chunks


def _parse_chunk(files: list[tuple[str, str]]) -> list[FileResult]:
    return [load_file(Path(file), display) for file, display in files]


def _parse_in_worker(files: list[tuple[str, str]]) -> list[FileResult]:
    """A chunk parsed by a forked worker (and sent back pickled)."""
    return _parse_chunk(files)


def _display(path: Path, project_dir: Path) -> str:
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()


def _content_files(content_dir: Path, project_dir: Path, problems: ProblemList) -> list[tuple[str, str]]:
    """Return the content files to read (their paths as text, and as shown in reports), sorted.

    Report anything that does not belong.
    """
    found = []
    prefix = _display(content_dir, project_dir)
    for parts, is_dir, is_link, is_special, full in sorted(_walk(content_dir, ())):
        if len(parts) == 2 and not (is_dir or is_link or is_special) and parts[0] in CONTENT_DIRS and parts[1].endswith(".yaml"):
            # The common case, decided without building a path object for each of thousands of files.
            found.append((full, f"{prefix}/{parts[0]}/{parts[1]}"))
            continue
        relative = PurePosixPath(*parts)
        display = f"{prefix}/{relative}"
        if is_link:
            problems.add(
                error(
                    Location(display),
                    "load.symlink",
                    "symbolic links are not allowed in content/",
                    "replace the link with a real file",
                )
            )
            continue
        if is_special:
            # Never opened: a FIFO would block the read for ever, and a device could be endless.
            problems.add(not_a_file(display))
            continue
        if is_dir:
            if len(parts) > 1 or relative.name not in CONTENT_DIRS:
                problems.add(
                    error(
                        Location(display),
                        "load.unknown-file",
                        "folder is not part of the content layout",
                        "content/ holds site.yaml, conditions/ and sources/ only",
                    )
                )
            continue
        if _is_content_file(relative):
            found.append((full, display))
        elif not _inside_unknown_dir(relative):
            problems.add(_unknown_file(relative, display))
    return found


def _walk(folder: Path | str, parts: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], bool, bool, bool, str]]:
    """Yield (path parts, is a folder, is a link, is special, full path) for everything below ``folder``, hidden names excepted.

    Special is anything neither a folder, a link nor a regular file: a FIFO, socket or device.

    ``os.scandir`` knows from the directory listing which entries are folders or links, so the
    thousands of files of a large site cost no system call each (``rglob`` plus ``is_dir`` did).
    """
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            is_link = entry.is_symlink()
            is_dir = not is_link and entry.is_dir()
            is_special = not (is_link or is_dir or entry.is_file(follow_symlinks=False))
            yield (*parts, entry.name), is_dir, is_link, is_special, entry.path
            if is_dir:
                yield from _walk(entry.path, (*parts, entry.name))


def _is_content_file(relative: PurePosixPath) -> bool:
    if relative.as_posix() == "site.yaml":
        return True
    return len(relative.parts) == 2 and relative.parts[0] in CONTENT_DIRS and relative.suffix == ".yaml"


def _inside_unknown_dir(relative: PurePosixPath) -> bool:
    return len(relative.parts) > 1 and (relative.parts[0] not in CONTENT_DIRS or len(relative.parts) > 2)


def _unknown_file(relative: PurePosixPath, display: str) -> Problem:
    if relative.suffix == ".yml":
        hint = f"rename it to '{relative.stem}.yaml'"
    elif relative.suffix != ".yaml":
        hint = "only YAML files (.yaml) belong in content/; move other files elsewhere"
    else:
        hint = "YAML files go in content/conditions/ or content/sources/"
    return error(Location(display), "load.unknown-file", "file is not part of the content layout", hint)


def load_file(file: Path, display: str) -> FileResult:
    """Read and check one content file on its own; cross-file rules come later."""
    result = FileResult()
    doc, read_problems = read_yaml(file, display)
    result.problems.extend(read_problems)
    folder = file.parent.name if file.name != "site.yaml" else ""
    damaged = _damaged_records(doc, [p.location.line for p in read_problems]) if folder == "conditions" and doc else None
    if doc is None or (read_problems and damaged is None):
        if folder:
            result.broken_ids.add(file.stem)
        result.unreadable_conditions = folder == "conditions"
        return result
    if not folder:
        result.site, found = parse_record(Site, doc, (), "site settings")
        result.problems.extend(found)
        if result.site is None:
            result.groups = _sound_groups(doc)
    elif folder == "sources":
        source, found = parse_record(Source, doc, (), "source")
        result.problems.extend(found)
        if source is None:
            result.broken_ids.add(file.stem)
            return result
        result.problems.extend(_check_file_name(source.id, file, doc.location(("id",)), "source"))
        result.source = source
    else:
        parsed, found = parse_record(ConditionFile, doc, (), "")
        broken = damaged or []
        if broken:
            # A value the reader refused (a duplicate key, an alias, a tag) leaves its record unreliable: it is skipped
            # with its schema problems, which would only echo the reader's; the file's other records are checked.
            found = [p for p in found if not any(first <= p.location.line <= last for _, first, last in broken)]
            parsed = None
        result.problems.extend(found)
        _collect_condition_file(parsed, doc, file, result, {at for at, _, _ in broken})
    return result


def _damaged_records(doc: YamlDoc, lines: list[int]) -> list[tuple[Path_, int, int]] | None:
    """Return (path, first line, last line) of the condition and of each claim holding one of ``lines``.

    None when a line lies outside them all: then nothing in the file can be trusted.
    """
    if not lines:
        return []
    if not isinstance(doc.data, dict):
        return None
    starts: list[tuple[int, Path_]] = sorted((line, at) for at, (line, _) in doc.keys.items() if len(at) == 1)
    claims = doc.data.get("claims")
    if isinstance(claims, list) and ("claims",) in doc.keys:
        starts += [(doc.values[("claims", i)][0], ("claims", i)) for i in range(len(claims)) if ("claims", i) in doc.values]
        starts.sort()
    spans = [(at, line, (starts[i + 1][0] - 1) if i + 1 < len(starts) else 10**9) for i, (line, at) in enumerate(starts)]
    records = [span for span in spans if span[0] == ("condition",) or span[0][0] == "claims" and len(span[0]) == 2]
    if any(not any(first <= line <= last for _, first, last in records) for line in lines):
        return None
    return [span for span in records if any(span[1] <= line <= span[2] for line in lines)]


def _collect_condition_file(
    parsed: ConditionFile | None, doc: YamlDoc, file: Path, result: FileResult, damaged: AbstractSet[Path_] = frozenset()
) -> None:
    if parsed is None:
        # Keep what did parse, so cross-file rules still report on it, and mark the rest as broken.
        result.broken_ids.add(file.stem)
        data = doc.data if isinstance(doc.data, dict) else {}
        if isinstance(data.get("condition"), dict) and ("condition",) not in damaged:
            # The condition on its own may be sound: its group and file name are checked in this run too.
            condition, _ = parse_record(Condition, doc, ("condition",), "condition")
            if condition is not None:
                result.problems.extend(_check_file_name(condition.id, file, doc.location(("condition", "id")), "condition"))
                result.condition = condition
        listed = data.get("claims")
        claims = listed if isinstance(listed, list) else []
        for index in range(len(claims)):
            claim = None
            if ("claims", index) not in damaged:
                claim, _ = parse_record(Claim, doc, ("claims", index), f"claim #{index + 1}")
            if claim is not None:
                result.claims.append((claim, file.stem))
            else:
                result.raw_cited.update(_raw_citation_ids(claims[index]))
        return
    result.problems.extend(_check_file_name(parsed.condition.id, file, doc.location(("condition", "id")), "condition"))
    result.condition = parsed.condition
    result.claims.extend((claim, parsed.condition.id) for claim in parsed.claims)


def _sound_groups(doc: YamlDoc) -> tuple[ConditionGroup, ...] | None:
    """Return the condition groups of a site file that failed to parse, or None if the list itself is unreadable."""
    groups = doc.data.get("condition_groups") if isinstance(doc.data, dict) else None
    if not isinstance(groups, list):
        return None
    parsed = [parse_record(ConditionGroup, doc, ("condition_groups", i), "")[0] for i in range(len(groups))]
    return tuple(group for group in parsed if group is not None)


def _stand_in_site(results: list[FileResult]) -> Site:
    """Return a site that only carries the condition groups, so that every other file is checked in this run too.

    Its database is never built into pages: the site file's own errors fail the run. When even the list of
    groups is unreadable, every group a condition names is taken as known rather than reported.
    """
    groups = next((r.groups for r in results if r.groups is not None), None)
    if groups is None:
        named = dict.fromkeys(r.condition.group for r in results if r.condition is not None)
        groups = tuple(ConditionGroup(group, group) for group in named)
    return Site("", "", "", "", "", groups)


def _raw_citation_ids(raw: object) -> set[str]:
    """Return the source ids a claim that failed to parse seems to cite."""
    sources = raw.get("sources") if isinstance(raw, dict) else None
    if not isinstance(sources, list):
        return set()
    return {item["id"] for item in sources if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _check_file_name(ident: str, file: Path, location: Location, noun: str) -> list[Problem]:
    if ident == file.stem:
        return []
    return [
        error(
            location,
            "rule.file-name",
            f"{noun} id '{ident}' does not match file name '{file.name}'",
            f"rename the file to '{ident}.yaml' or change the id to '{file.stem}'",
        )
    ]
