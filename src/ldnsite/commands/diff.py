"""Compare two versions of the database in evidence terms, for reviewers.

A reviewer of a pull request must see everything that changes what readers are told, not
only the YAML: a claim moving tier, a grade going up, a quote or a finding edited, a source's
PMID corrected, a condition's summary or the site's disclaimer rewritten, and the pages a
template edit changes. ``compare_databases`` is pure; ``format_text`` and ``format_markdown``
print its result.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ldnsite.content.model import Claim, Condition, Database, Grading, Outcome, Site, Source

Field = tuple[str, "str | None", "str | None"]
"""(what, old value, new value); None where the value is not set."""

_CLAIM_FIELDS = (
    ("title", "title"),
    ("status", "tier"),
    ("grade", "grade"),
    ("direction", "direction"),
    ("verdict", "verdict"),
    ("dose", "dose"),
    ("reviewed", "last reviewed"),
    ("added", "added"),
    ("statement", "statement"),
    ("grade_rationale", "grade rationale"),
    ("notes", "notes"),
)
_CITATION_FIELDS = ("role", "locator", "quote", "finding")
_OUTCOME_FIELDS = tuple(f.name for f in fields(Outcome) if f.name not in ("name", "grading", "location"))
_CONDITION_FIELDS = ("name", "group", "summary", "also_known_as")
_SOURCE_ADDED_FIELDS = ("kind", "verified")
_LONG = 60
"""Values longer than this, or on several lines, are shown before and after in full rather than inline."""


@dataclass(frozen=True, slots=True)
class Change:
    """What changed about one claim, condition, source or the site settings."""

    section: str
    """'claim', 'condition', 'source' or 'site'."""
    ident: str
    label: str
    """The claim's title, the condition's or source's name: what a reader would recognise."""
    kind: str
    """'added', 'removed' or 'changed'."""
    fields: tuple[Field, ...] = ()
    """Short values, shown as 'old → new'."""
    texts: tuple[Field, ...] = ()
    """Long texts (statements, quotes, summaries, the disclaimer), shown before and after."""
    sources_added: tuple[str, ...] = ()
    sources_removed: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    context: str = ""
    """For a claim, the name of its condition."""


@dataclass(frozen=True, slots=True)
class DatabaseDiff:
    """Every change between two versions, by section, each sorted by id."""

    claims: tuple[Change, ...] = ()
    conditions: tuple[Change, ...] = ()
    sources: tuple[Change, ...] = ()
    site: tuple[Change, ...] = ()
    pages: tuple[tuple[str, str], ...] = ()
    """(path, 'added' | 'removed' | 'changed') of built pages whose HTML differs, when templates changed."""

    @property
    def alerts(self) -> list[str]:
        """Return the call-outs for the reviewer, as 'claim-id: what to check'."""
        return [f"{c.ident}: {alert}" for c in self.claims for alert in c.alerts]

    @property
    def changes(self) -> tuple[Change, ...]:
        """Return every change, claims first."""
        return self.claims + self.conditions + self.sources + self.site

    def __bool__(self) -> bool:
        return bool(self.changes or self.pages)


def compare_databases(old: Database, new: Database, pages: tuple[tuple[str, str], ...] = ()) -> DatabaseDiff:
    """Return every change a reviewer must check from ``old`` to ``new``; ``pages`` comes from comparing builds."""
    return DatabaseDiff(
        claims=tuple(_compare(old.claims, new.claims, lambda b, a: _claim_change(b, a, old, new))),
        conditions=tuple(_compare(old.conditions, new.conditions, _condition_change)),
        sources=tuple(_compare(old.sources, new.sources, _source_change)),
        site=tuple(_site_changes(old.site, new.site)),
        pages=tuple(pages),
    )


def _compare(old_items, new_items, change_of) -> list[Change]:
    """Pair records by id and return their changes, sorted by id; ``change_of(before, after)`` takes None for a side."""
    before, after = {r.id: r for r in old_items}, {r.id: r for r in new_items}
    changes = (change_of(before.get(ident), after.get(ident)) for ident in sorted(before.keys() | after.keys()))
    return [c for c in changes if c is not None]


def _claim_change(before: Claim | None, after: Claim | None, old: Database, new: Database) -> Change | None:
    if after is None:
        assert before is not None, "a change has a claim before it or after it"
        return Change(
            "claim",
            before.id,
            before.title,
            "removed",
            context=_condition_name(old, before.id),
            alerts=("claim removed: check that the evidence really no longer supports listing it",),
        )
    context = _condition_name(new, after.id)
    if before is None:
        fields_, texts = _split(
            [(label, None, _text(getattr(after, name))) for name, label in _CLAIM_FIELDS[1:]] + _evidence_pairs(None, after)
        )
        added = tuple(f"{c.id} ({c.role})" for c in after.sources)
        return Change("claim", after.id, after.title, "added", fields_, texts, added, context=context)
    pairs = [(label, _text(getattr(before, name)), _text(getattr(after, name))) for name, label in _CLAIM_FIELDS]
    if old.claim_condition[before.id] != new.claim_condition[after.id]:
        pairs.insert(0, ("condition", _condition_name(old, before.id), context))
    old_cited, new_cited = {c.id: c for c in before.sources}, {c.id: c for c in after.sources}
    for ident in [c.id for c in after.sources if c.id in old_cited]:
        pairs += [
            (f"{ident} {name}", _text(getattr(old_cited[ident], name)), _text(getattr(new_cited[ident], name)))
            for name in _CITATION_FIELDS
        ]
    fields_, texts = _split(pairs + _evidence_pairs(before, after))
    added = tuple(f"{c.id} ({c.role})" for c in after.sources if c.id not in old_cited)
    removed = tuple(c.id for c in before.sources if c.id not in new_cited)
    if not (fields_ or texts or added or removed):
        return None
    return Change(
        "claim", after.id, after.title, "changed", fields_, texts, added, removed, tuple(_alerts(before, after, added)), context
    )


def _evidence_pairs(before: Claim | None, after: Claim) -> list[Field]:
    """Return the GRADE inputs and the outcomes of a claim, old and new: each domain and each outcome field apart."""
    pairs = _grading_pairs("grading", before.grading if before else None, after.grading)
    old = {o.name: o for o in before.outcomes} if before else {}
    new = {o.name: o for o in after.outcomes}
    for name in [*old, *(n for n in new if n not in old)]:
        was, now = old.get(name), new.get(name)
        if was is None or now is None:
            pairs.append((f"outcome {name}", _outcome_text(was), _outcome_text(now)))
            continue
        pairs += [(f"outcome {name} {_label(f)}", _text(getattr(was, f)), _text(getattr(now, f))) for f in _OUTCOME_FIELDS]
        pairs += _grading_pairs(f"outcome {name} grading", was.grading, now.grading)
    return pairs


def _grading_pairs(what: str, before: Grading | None, after: Grading | None) -> list[Field]:
    """Return a grading's start and each domain as 'rating (reason)'; a grading added or removed is one line."""
    if before is None or after is None:
        return [(what, _grading_text(before), _grading_text(after))]
    names = [f.name for f in fields(Grading) if f.name != "location"]
    return [(f"{what} {_label(n)}", _rating(getattr(before, n)), _rating(getattr(after, n))) for n in names]


def _grading_text(grading: Grading | None) -> str | None:
    return None if grading is None else f"recorded, start {grading.start}"


def _outcome_text(outcome: Outcome | None) -> str | None:
    return None if outcome is None else f"{outcome.measure}, {outcome.effect}, certainty {outcome.certainty}"


def _rating(value: object) -> str | None:
    """Return a domain as 'rating (reason)', the start as itself."""
    rating = getattr(value, "rating", None)
    return _text(value) if rating is None else f"{rating} ({getattr(value, 'reason', '')})"


def _condition_name(db: Database, claim_id: str) -> str:
    condition_id = db.claim_condition[claim_id]
    return next((c.name for c in db.conditions if c.id == condition_id), condition_id)


def _alerts(before: Claim, after: Claim, added: tuple[str, ...]) -> list[str]:
    alerts = []
    if after.grade.rank > before.grade.rank and not added:
        alerts.append(f"grade raised from '{before.grade}' to '{after.grade}' without a new source")
    if before.status.order > after.status.order:
        alerts.append(f"moved up from '{before.status}' to '{after.status}': check the sources support the stronger tier")
    return alerts


def _condition_change(before: Condition | None, after: Condition | None) -> Change | None:
    return _record_change("condition", before, after, _CONDITION_FIELDS, _CONDITION_FIELDS, lambda c: c.name)


def _source_change(before: Source | None, after: Source | None) -> Change | None:
    names = tuple(f.name for f in fields(Source) if f.name not in ("id", "location"))
    return _record_change("source", before, after, names, _SOURCE_ADDED_FIELDS, lambda s: s.title)


def _record_change(
    section: str, before, after, names: tuple[str, ...], shown_when_added: tuple[str, ...], label
) -> Change | None:
    """Return the change to a condition or source: every field when changed, the essentials when added."""
    if after is None:
        return Change(section, before.id, label(before), "removed")
    if before is None:
        fields_, texts = _split([(_label(name), None, _text(getattr(after, name))) for name in shown_when_added])
        return Change(section, after.id, label(after), "added", fields_, texts)
    fields_, texts = _split([(_label(name), _text(getattr(before, name)), _text(getattr(after, name))) for name in names])
    if not (fields_ or texts):
        return None
    return Change(section, after.id, label(after), "changed", fields_, texts)


def _site_changes(before: Site, after: Site) -> list[Change]:
    names = [f.name for f in fields(Site) if f.name != "location"]
    fields_, texts = _split([(_label(name), _text(getattr(before, name)), _text(getattr(after, name))) for name in names])
    if not (fields_ or texts):
        return []
    return [Change("site", "site.yaml", after.title, "changed", fields_, texts)]


def _label(name: str) -> str:
    return name.replace("_", " ")


def _split(pairs: list[Field]) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """Drop unchanged pairs; return (short values, long texts)."""
    changed = [(what, old, new) for what, old, new in pairs if old != new]
    is_long = [any(v is not None and (len(v) > _LONG or "\n" in v) for v in (old, new)) for _, old, new in changed]
    return (
        tuple(p for p, long in zip(changed, is_long, strict=True) if not long),
        tuple(p for p, long in zip(changed, is_long, strict=True) if long),
    )


def _text(value: object) -> str | None:
    """Return a value as the reviewer should read it: lists joined, groups by id, text stripped."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return ", ".join(_text(v) or "" for v in value) if value else None
    if hasattr(value, "id") and hasattr(value, "name"):
        return f"{value.id} ({value.name})"
    return str(value).strip()


def format_text(diff: DatabaseDiff, base: str, head: str) -> str:
    """Return the diff as plain text: one block per change, grouped by section."""
    if not diff:
        return f"No evidence changes between {base} and {head}."
    lines = [f"Evidence changes from {base} to {head}: {_counts(diff)}"]
    for title, changes in _sections(diff):
        if changes:
            lines += ["", f"{title}:"]
        for change in changes:
            lines += _text_block(change)
    if diff.pages:
        lines += ["", "Pages whose HTML changes (templates edited):"]
        lines += [f"  {kind} {path}" for path, kind in diff.pages]
    return "\n".join(lines)


def _sections(diff: DatabaseDiff) -> list[tuple[str, tuple[Change, ...]]]:
    return [("Claims", diff.claims), ("Conditions", diff.conditions), ("Sources", diff.sources), ("Site settings", diff.site)]


def _text_block(change: Change) -> list[str]:
    context = f" ({change.context})" if change.context else ""
    lines = [f"{change.kind.upper()} {change.section} '{change.ident}'{context}: {change.label}"]
    lines += [f"  !! {alert}" for alert in change.alerts]
    lines += [f"  {what}: {new}" if old is None else f"  {what}: {old} → {new or '(none)'}" for what, old, new in change.fields]
    lines += [f"  + source {s}" for s in change.sources_added]
    lines += [f"  - source {s}" for s in change.sources_removed]
    for what, old, new in change.texts:
        if old is not None:
            lines += [f"  {what} was:", *_indent(old)]
        lines += [f"  {what} now:", *(_indent(new) if new is not None else ["    (removed)"])]
    return lines


def format_markdown(diff: DatabaseDiff, base: str, head: str) -> str:
    """Return the diff as Markdown for a pull request: call-outs, a summary table, then details folded away."""
    if not diff:
        return f"### Evidence changes\n\nNo evidence changes between `{base}` and `{head}`.\n"
    lines = ["### Evidence changes", "", f"From `{base}` to `{head}`: {_counts(diff)}.", ""]
    if diff.alerts:
        lines += ["> [!WARNING]", "> Needs a reviewer's attention:"]
        lines += [f"> - `{alert.split(':', 1)[0]}`:{alert.split(':', 1)[1]}" for alert in diff.alerts]
        lines.append("")
    lines += ["| what | id | change | summary |", "|---|---|---|---|"]
    for change in diff.changes:
        where = f" ({_cell(change.context)})" if change.context else ""
        lines.append(f"| {change.section} | `{change.ident}`{where} | {change.kind} | {_cell(_summary(change))} |")
    if diff.pages:
        counts = ", ".join(
            f"{n} {kind}" for kind in ("added", "changed", "removed") if (n := sum(1 for _, k in diff.pages if k == kind))
        )
        lines.append(f"| pages | {len(diff.pages)} page{'s' if len(diff.pages) != 1 else ''} | {counts} | templates edited |")
    lines.append("")
    for change in diff.changes:
        if change.texts:
            lines += _markdown_details(change)
    if diff.pages:
        lines += ["<details><summary>Pages whose HTML changes</summary>", ""]
        lines += [f"- {kind}: `{path}`" for path, kind in diff.pages]
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def _summary(change: Change) -> str:
    parts = [
        f"{what}: **{_md_inline(new or '')}**"  # a field without an old value has a new one
        if old is None
        else f"{what}: {_md_inline(old)} → **{_md_inline(new or '(none)')}**"
        for what, old, new in change.fields
    ]
    parts += [f"+ `{s}`" for s in change.sources_added] + [f"− `{s}`" for s in change.sources_removed]
    parts += [
        f"{what} {'edited' if old is not None and new is not None else 'added' if old is None else 'removed'}"
        for what, old, new in change.texts
    ]
    return "; ".join(parts) or _md_inline(change.label)


def _markdown_details(change: Change) -> list[str]:
    names = ", ".join(what for what, _, _ in change.texts)
    lines = [f"<details><summary>{change.section.capitalize()} <code>{change.ident}</code>: {names}</summary>", ""]
    for what, old, new in change.texts:
        lines += [f"**{what}** before:", "", *_quote(old), "", f"**{what}** after:", "", *_quote(new), ""]
    return lines + ["</details>", ""]


def _quote(text: str | None) -> list[str]:
    return [f"> {line}".rstrip() for line in text.splitlines()] if text is not None else ["> *(none)*"]


def _md_inline(text: str) -> str:
    return text.replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())  # one line: a title may be a YAML block


def _counts(diff: DatabaseDiff) -> str:
    parts = []
    for section, changes in (("claim", diff.claims), ("condition", diff.conditions), ("source", diff.sources)):
        kinds = [c.kind for c in changes]
        parts += [_plural(kinds.count(k), section) + f" {k}" for k in ("added", "changed", "removed") if k in kinds]
    if diff.site:
        parts.append("site settings changed")
    if diff.pages:
        parts.append(_plural(len(diff.pages), "page") + " with different HTML")
    return ", ".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _indent(text: str) -> list[str]:
    return [f"    {line}".rstrip() for line in text.splitlines()]
