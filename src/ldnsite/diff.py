"""Compare two versions of the claims database in evidence terms, for reviewers.

A reviewer of a pull request must see what changes in the evidence, not only in the
YAML: a claim moving tier, a grade going up, a source dropped. ``compare_databases``
is pure; ``format_text`` and ``format_markdown`` print its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ldnsite.model import Claim, Database, Source

_FIELDS = (("status", "tier"), ("grade", "grade"), ("direction", "direction"), ("verdict", "verdict"), ("dose", "dose"))


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """What changed about one claim."""

    claim_id: str
    title: str
    condition: str
    kind: str
    """'added', 'removed' or 'changed'."""
    fields: tuple[tuple[str, str | None, str | None], ...] = ()
    """(what, old value, new value) for tier, grade, direction, verdict, dose and review date."""
    sources_added: tuple[str, ...] = ()
    sources_removed: tuple[str, ...] = ()
    statement: tuple[str, str] | None = None
    alerts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceChange:
    source_id: str
    title: str
    kind: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DatabaseDiff:
    claims: tuple[ClaimChange, ...] = field(default_factory=tuple)
    sources: tuple[SourceChange, ...] = field(default_factory=tuple)

    @property
    def alerts(self) -> list[str]:
        return [f"{c.claim_id}: {alert}" for c in self.claims for alert in c.alerts]


def compare_databases(old: Database, new: Database) -> DatabaseDiff:
    """Return every evidence-level change from ``old`` to ``new``, sorted by claim id."""
    old_claims, new_claims = {c.id: c for c in old.claims}, {c.id: c for c in new.claims}
    changes = []
    for claim_id in sorted(old_claims.keys() | new_claims.keys()):
        before, after = old_claims.get(claim_id), new_claims.get(claim_id)
        if before is None:
            changes.append(_added(after, _condition_name(new, claim_id)))
        elif after is None:
            changes.append(ClaimChange(claim_id, before.title, _condition_name(old, claim_id), "removed",
                                       alerts=("claim removed: check that the evidence really no longer supports listing it",)))
        else:
            change = _changed(before, after, _condition_name(new, claim_id))
            if change is not None:
                changes.append(change)
    return DatabaseDiff(tuple(changes), tuple(_source_changes(old, new)))


def _condition_name(db: Database, claim_id: str) -> str:
    condition_id = db.claim_condition[claim_id]
    return next((c.name for c in db.conditions if c.id == condition_id), condition_id)


def _added(claim: Claim, condition: str) -> ClaimChange:
    fields = tuple((label, None, str(getattr(claim, name))) for name, label in _FIELDS if getattr(claim, name) is not None)
    return ClaimChange(claim.id, claim.title, condition, "added", fields, tuple(c.id for c in claim.sources))


def _changed(before: Claim, after: Claim, condition: str) -> ClaimChange | None:
    fields = [(label, _text(getattr(before, name)), _text(getattr(after, name)))
              for name, label in _FIELDS if getattr(before, name) != getattr(after, name)]
    if before.reviewed != after.reviewed:
        fields.append(("last reviewed", before.reviewed, after.reviewed))
    old_ids, new_ids = [c.id for c in before.sources], [c.id for c in after.sources]
    added = tuple(s for s in new_ids if s not in old_ids)
    removed = tuple(s for s in old_ids if s not in new_ids)
    statement = (before.statement.strip(), after.statement.strip()) if before.statement.strip() != after.statement.strip() else None
    roles_changed = {(c.id, c.role) for c in before.sources} != {(c.id, c.role) for c in after.sources}
    if not (fields or added or removed or statement or roles_changed or before.title != after.title):
        return None
    if roles_changed and not (added or removed):
        fields.append(("source roles", _roles(before), _roles(after)))
    return ClaimChange(after.id, after.title, condition, "changed", tuple(fields), added, removed, statement,
                       tuple(_alerts(before, after, added)))


def _roles(claim: Claim) -> str:
    return ", ".join(f"{c.id} {c.role}" for c in claim.sources)


def _alerts(before: Claim, after: Claim, added: tuple[str, ...]) -> list[str]:
    alerts = []
    if after.grade.rank > before.grade.rank and not added:
        alerts.append(f"grade raised from '{before.grade}' to '{after.grade}' without a new source")
    if before.status.order > after.status.order:
        alerts.append(f"moved up from '{before.status}' to '{after.status}': check the sources support the stronger tier")
    return alerts


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _source_changes(old: Database, new: Database) -> list[SourceChange]:
    old_sources, new_sources = {s.id: s for s in old.sources}, {s.id: s for s in new.sources}
    changes = []
    for source_id in sorted(old_sources.keys() | new_sources.keys()):
        before, after = old_sources.get(source_id), new_sources.get(source_id)
        if before is None:
            changes.append(SourceChange(source_id, after.title, "added"))
        elif after is None:
            changes.append(SourceChange(source_id, before.title, "removed"))
        else:
            changed = _changed_source_fields(before, after)
            if changed:
                changes.append(SourceChange(source_id, after.title, "changed", changed))
    return changes


def _changed_source_fields(before: Source, after: Source) -> tuple[str, ...]:
    names = ("kind", "title", "authors", "year", "date", "pmid", "doi", "nct", "participants", "finding", "caveats", "url")
    return tuple(name for name in names if getattr(before, name) != getattr(after, name))


def format_text(diff: DatabaseDiff, base: str, head: str) -> str:
    """Return the diff as plain text, one block per claim."""
    if not diff.claims and not diff.sources:
        return f"No evidence changes between {base} and {head}."
    lines = [f"Evidence changes from {base} to {head}: {_counts(diff)}"]
    for change in diff.claims:
        lines.append("")
        lines.append(f"{change.kind.upper()} claim '{change.claim_id}' ({change.condition}): {change.title}")
        lines += [f"  !! {alert}" for alert in change.alerts]
        for what, old, new in change.fields:
            lines.append(f"  {what}: {new}" if old is None else f"  {what}: {old} -> {new}")
        lines += [f"  + source {s}" for s in change.sources_added]
        lines += [f"  - source {s}" for s in change.sources_removed]
        if change.statement:
            lines += ["  statement was:", *_indent(change.statement[0]), "  statement now:", *_indent(change.statement[1])]
    if diff.sources:
        lines += ["", "Sources:"]
    for source in diff.sources:
        detail = f" ({', '.join(source.fields)})" if source.fields else ""
        lines.append(f"{source.kind.upper()} source '{source.source_id}'{detail}: {source.title}")
    return "\n".join(lines)


def format_markdown(diff: DatabaseDiff, base: str, head: str) -> str:
    """Return the diff as Markdown for a pull-request comment or a job summary."""
    if not diff.claims and not diff.sources:
        return f"### Evidence changes\n\nNo evidence changes between `{base}` and `{head}`.\n"
    lines = ["### Evidence changes", "", f"From `{base}` to `{head}`: {_counts(diff)}.", ""]
    if diff.alerts:
        lines += ["> [!WARNING]", "> Needs a reviewer's attention:"]
        lines += [f"> - `{alert.split(':', 1)[0]}`:{alert.split(':', 1)[1]}" for alert in diff.alerts]
        lines.append("")
    if diff.claims:
        lines += ["| claim | condition | change | details |", "|---|---|---|---|"]
        for change in diff.claims:
            lines.append(f"| `{change.claim_id}` | {_cell(change.condition)} | {change.kind} | {_cell(_details(change))} |")
        lines.append("")
    edited = [c for c in diff.claims if c.statement]
    for change in edited:
        lines += [f"<details><summary>Statement of <code>{change.claim_id}</code></summary>", "", "Before:", "",
                  *(f"> {line}" for line in change.statement[0].splitlines()), "", "After:", "",
                  *(f"> {line}" for line in change.statement[1].splitlines()), "", "</details>", ""]
    if diff.sources:
        lines += ["| source | change | fields |", "|---|---|---|"]
        lines += [f"| `{s.source_id}` | {s.kind} | {', '.join(s.fields) or '-'} |" for s in diff.sources]
        lines.append("")
    return "\n".join(lines)


def _details(change: ClaimChange) -> str:
    parts = [f"{what}: **{new}**" if old is None else f"{what}: {old} → **{new}**" for what, old, new in change.fields]
    parts += [f"+ `{s}`" for s in change.sources_added] + [f"− `{s}`" for s in change.sources_removed]
    if change.statement:
        parts.append("statement edited")
    return "; ".join(parts) or "title edited"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _counts(diff: DatabaseDiff) -> str:
    kinds = [c.kind for c in diff.claims]
    parts = [f"{kinds.count(k)} claim{'s' if kinds.count(k) != 1 else ''} {k}" for k in ("added", "changed", "removed") if k in kinds]
    if diff.sources:
        parts.append(f"{len(diff.sources)} source{'s' if len(diff.sources) != 1 else ''} added, changed or removed")
    return ", ".join(parts)


def _indent(text: str) -> list[str]:
    return [f"    {line}" for line in text.splitlines()]
