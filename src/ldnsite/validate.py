"""Cross-file rules: references between files, tiers, grades and dates.

The three tiers are enforced here, not just labelled: an FDA-approved claim must cite
a regulatory source, an off-label claim at least one study in people, and a grade may
not exceed what the designs of the cited sources can support unless the editor writes
down why (``grade_rationale``, shown on the site).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
import sys
from collections.abc import Callable, Iterable, Iterator

from ldnsite.memo import call
from ldnsite.model import Claim, Database, Direction, Grade, Role, Source, SourceKind, Status, Verdict
from ldnsite.problems import Problem, error, warning


def check_database(db: Database, broken_ids: set[str], raw_cited: set[str], all_claims: Iterable[Claim],
                   today: str | None = None, unreadable: bool = False, memo: Callable = call) -> list[Problem]:
    """Return every cross-file problem.

    ``broken_ids`` are ids whose files failed to parse and ``raw_cited`` the source ids
    cited by claims that failed to parse: neither is reported again as unknown or unused.
    When a condition file could not be read at all (``unreadable``), no source is called unused.
    With a ``memo`` (the incremental builder's), a claim whose sources are all known is checked
    again only when the claim or one of its sources changed.
    """
    today = sys.intern(today or default_today())  # one object per date, so the memo recognises it
    sources = {s.id: s for s in db.sources}
    problems = list(_duplicate_claims(all_claims))
    problems += _groups(db)
    cited: set[str] = set(raw_cited)
    for claim in db.claims:
        ids = [c.id for c in claim.sources]
        cited.update(ids)
        cited_sources = tuple([sources.get(i) for i in ids])
        if None in cited_sources:
            problems += _claim_problems(claim, cited_sources, today, sources, broken_ids)
        else:
            problems += memo(_claim_problems, claim, cited_sources, today)
    for source in db.sources:
        if source.id not in cited and not unreadable:
            problems.append(warning(source.location, "ref.unused-source", f"source '{source.id}' is not cited by any claim",
                                    "cite it from a claim, or delete the file"))
        problems += _source_dates(source, today)
    return problems


def _claim_problems(claim: Claim, cited_sources: tuple[Source | None, ...], today: str,
                    sources: dict[str, Source] | None = None, broken_ids: set[str] = frozenset()) -> tuple[Problem, ...]:
    """Every rule about one claim. ``sources`` (all of them) is needed only when one it cites is unknown."""
    sources = sources if sources is not None else {s.id: s for s in cited_sources}
    problems = list(_citations(claim, sources, broken_ids))
    if None not in cited_sources:
        # A source that failed to parse, or is misspelt, has no kind: tier and grade would be judged on half the evidence.
        known = [(c.role, source.kind) for c, source in zip(claim.sources, cited_sources)]
        problems += _tier(claim, known)
        problems += _grade(claim, known)
    problems += _verdict(claim)
    problems += _dates(claim, today)
    return tuple(problems)


def default_today() -> str:
    """Return the latest date a review may carry: tomorrow in UTC, so no editor's time zone is 'in the future'.

    The clock is read here, in validation only; it never reaches the output. SOURCE_DATE_EPOCH is not
    used: CI sets it to the last commit's time, which can be earlier than a review dated today.
    """
    return (dt.datetime.now(tz=dt.timezone.utc).date() + dt.timedelta(days=1)).isoformat()


def _duplicate_claims(claims: Iterable[Claim]) -> Iterator[Problem]:
    claims = list(claims)
    counts = Counter(c.id for c in claims)
    claims = [c for c in claims if counts[c.id] > 1]  # sorting every claim by location only to find none costs
    first: dict[str, Claim] = {}
    for claim in sorted(claims, key=lambda c: c.location):
        if claim.id in first:
            where = first[claim.id].location
            yield error(claim.location, "ref.duplicate-id", f"claim id '{claim.id}' is already used at {where}",
                        "claim ids must be unique across all files; rename one of them")
        else:
            first[claim.id] = claim


def _groups(db: Database) -> Iterator[Problem]:
    groups = [g.id for g in db.site.condition_groups]
    for group, count in Counter(groups).items():
        if count > 1:
            dup = [g for g in db.site.condition_groups if g.id == group][1]
            yield error(dup.location, "ref.duplicate-id", f"condition group id '{group}' is used {count} times")
    for condition in db.conditions:
        if condition.group not in groups:
            listed = ", ".join(dict.fromkeys(groups))
            known = f"the groups in content/site.yaml are: {listed}" if groups else "content/site.yaml lists no groups"
            yield error(condition.location.key("group"), "ref.unknown-group",
                        f"condition '{condition.id}' names unknown group '{condition.group}'",
                        _did_you_mean(condition.group, groups, known))


def _citations(claim: Claim, sources: dict, broken_ids: set[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for citation in claim.sources:
        if citation.id in seen:
            yield error(citation.location, "ref.duplicate-citation", f"claim '{claim.id}' cites source '{citation.id}' twice",
                        "cite each source once; put several locators in one 'locator'")
        seen.add(citation.id)
        if citation.id not in sources and citation.id not in broken_ids:
            yield error(citation.location, "ref.unknown-source", f"claim '{claim.id}' cites unknown source '{citation.id}'",
                        _did_you_mean(citation.id, list(sources), "sources are files in content/sources/"))
        if citation.role is Role.ASSERTS and not citation.quote:
            yield error(citation.location, "rule.asserts-needs-quote",
                        f"claim '{claim.id}': source '{citation.id}' asserts the claim but no 'quote' shows where",
                        "add 'quote:' with the source's own words (at most 300 characters)")


def _did_you_mean(wrong: str, known: list[str], where: str) -> str:
    close = difflib.get_close_matches(wrong, known, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? {where[0].upper() + where[1:]}" if close else where[0].upper() + where[1:]


def allowed_grade(cited: list[tuple[Role, SourceKind]]) -> Grade:
    """Return the highest grade the evidence cited can support.

    Only sources cited as evidence (supports or contradicts) count. Several randomized
    trials can support a high grade, as a systematic review can.
    """
    kinds = [kind for role, kind in cited if role.is_evidence]
    if not kinds:
        return Grade.VERY_LOW
    best = max((k.max_grade for k in kinds), key=lambda g: g.rank)
    if kinds.count(SourceKind.RANDOMIZED_TRIAL) >= 2:
        best = Grade.HIGH
    return best


def _grade(claim: Claim, cited: list[tuple[Role, SourceKind]]) -> Iterator[Problem]:
    allowed = allowed_grade(cited)
    if claim.grade.rank > allowed.rank and not claim.grade_rationale:
        yield error(claim.location.key("grade"), "rule.grade-exceeds-evidence",
                    f"claim '{claim.id}' is graded '{claim.grade}' but its evidence supports at most '{allowed}'",
                    f"lower the grade to '{allowed}', cite stronger evidence, or explain the exception in 'grade_rationale'")
    elif claim.grade.rank <= allowed.rank and claim.grade_rationale:
        yield warning(claim.location.key("grade_rationale"), "rule.needless-rationale",
                      f"claim '{claim.id}' has a 'grade_rationale' but its grade '{claim.grade}' needs none",
                      "remove 'grade_rationale' so that readers are not told of an exception that is not there")


def _tier(claim: Claim, cited: list[tuple[Role, SourceKind]]) -> Iterator[Problem]:
    evidence = [kind for role, kind in cited if role.is_evidence]
    if claim.status is Status.FDA_APPROVED and claim.verdict is not Verdict.SUPPORTED:
        yield error(claim.location.key("status"), "rule.fda-needs-support",
                    f"claim '{claim.id}' has status 'fda-approved' but verdict '{claim.verdict}'",
                    "the FDA-approved tier lists only what the label supports; move a doubtful or wrong claim to "
                    "'off-label' or 'anecdotal' and keep the label as its evidence")
    if claim.status is Status.FDA_APPROVED:
        if not any(kind.is_regulatory for role, kind in cited if role is Role.SUPPORTS):
            yield error(claim.location.key("status"), "rule.fda-needs-label",
                        f"claim '{claim.id}' has status 'fda-approved' but cites no FDA label or approval as support",
                        "cite a source of kind 'regulatory-label' or 'regulatory-approval' with role 'supports', or change the status")
    elif claim.status is Status.OFF_LABEL and not any(kind.is_human_study for kind in evidence):
        if cited and all(kind.is_anecdotal for _, kind in cited):
            yield error(claim.location.key("status"), "rule.anecdotal-only",
                        f"claim '{claim.id}' has status 'off-label' but its sources are only web articles, testimonials or case reports",
                        "change the status to 'anecdotal', or cite a study in people")
        else:
            yield error(claim.location.key("status"), "rule.off-label-needs-study",
                        f"claim '{claim.id}' has status 'off-label' but cites no study in people as evidence",
                        "cite a randomized trial, non-randomized study or systematic review with role 'supports' or 'contradicts', or change the status to 'anecdotal'")


def _verdict(claim: Claim) -> Iterator[Problem]:
    roles = {c.role for c in claim.sources}
    if claim.verdict is Verdict.CONTRADICTED and Role.CONTRADICTS not in roles:
        yield error(claim.location.key("verdict"), "rule.contradicted-needs-source",
                    f"claim '{claim.id}' has verdict 'contradicted' but cites no source with role 'contradicts'",
                    "cite the source that contradicts the claim")
    if claim.verdict is Verdict.SUPPORTED and claim.direction in (Direction.NO_BENEFIT, Direction.NOT_STUDIED, Direction.NOT_REPORTED):
        yield warning(claim.location.key("direction"), "rule.verdict-direction",
                      f"claim '{claim.id}' has verdict 'supported' but direction '{claim.direction}'",
                      "check both fields: a claim the studies did not confirm is not 'supported'")


def _dates(claim: Claim, today: str) -> Iterator[Problem]:
    for name in ("reviewed", "added"):
        value = getattr(claim, name)
        if value and value > today:
            yield error(claim.location.key(name), "rule.future-date",
                        f"claim '{claim.id}': '{name}' date {value} is in the future",
                        "use the date the evidence was actually reviewed")
    if claim.added and claim.added > claim.reviewed:
        yield error(claim.location.key("added"), "rule.future-date",
                    f"claim '{claim.id}' was added ({claim.added}) after it was last reviewed ({claim.reviewed})",
                    "a claim is reviewed when it is added; set 'reviewed' to the later date")


def _source_dates(source, today: str) -> Iterator[Problem]:
    if source.date and source.date > today:
        yield error(source.location.key("date"), "rule.future-date", f"source '{source.id}': date {source.date} is in the future")
    if source.date and source.year and int(source.date[:4]) != source.year:
        yield error(source.location.key("date"), "rule.date-year",
                    f"source '{source.id}': date {source.date} and year {source.year} disagree",
                    "keep only 'date', or make the two agree")
