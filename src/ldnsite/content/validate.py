"""Cross-file rules: references between files, tiers, grades and dates.

The three tiers are enforced here, not just labelled: an FDA-approved claim must cite
a regulatory source, an off-label claim at least one study in people, and a grade may
not exceed what the designs of the cited sources can support unless the editor writes
down why (``grade_rationale``, shown on the site).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Set

from ldnsite.content.evidence import check_evidence, grading_differs
from ldnsite.content.model import DOSE_PATTERN, Claim, Database, Direction, Grade, Role, Source, SourceKind, Status, Verdict
from ldnsite.memo import call
from ldnsite.problems import Problem, error, warning


def check_database(
    db: Database,
    broken_ids: set[str],
    raw_cited: set[str],
    all_claims: Iterable[Claim],
    today: str | None = None,
    unreadable: bool = False,
    memo: Callable = call,
) -> list[Problem]:
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
    problems += _duplicate_identifiers(db.sources)
    problems += _site_settings(db)
    cited: set[str] = set(raw_cited)
    for claim in db.claims:
        ids = [c.id for c in claim.sources]
        cited.update(ids)
        cited_sources = tuple([sources.get(i) for i in ids])
        if None in cited_sources:
            problems += _claim_problems(claim, cited_sources, today, sources, broken_ids)
        else:
            problems += memo(_claim_problems, claim, cited_sources, today)
    condition_ids = [c.id for c in db.conditions]
    for source in db.sources:
        problems += _source_kind_fields(source, condition_ids, broken_ids)
        if source.kind.is_registration and source.conditions:
            continue  # research under way: listed on the pages of its conditions, cited or not
        if source.id not in cited and not unreadable:
            problems.append(
                warning(
                    source.location,
                    "ref.unused-source",
                    f"source '{source.id}' is not cited by any claim",
                    "cite it from a claim, or delete the file",
                )
            )
        problems += _source_dates(source, today)
    return problems


def _claim_problems(
    claim: Claim,
    cited_sources: tuple[Source | None, ...],
    today: str,
    sources: dict[str, Source] | None = None,
    broken_ids: Set[str] = frozenset(),
) -> tuple[Problem, ...]:
    """Every rule about one claim. ``sources`` (all of them) is needed only when one it cites is unknown."""
    found = tuple(s for s in cited_sources if s is not None)
    sources = sources if sources is not None else {s.id: s for s in found}
    problems = list(_citations(claim, sources, broken_ids))
    if len(found) == len(cited_sources):
        # A source that failed to parse, or is misspelt, has no kind: tier and grade would be judged on half the evidence.
        known = [(c.role, source.kind) for c, source in zip(claim.sources, found, strict=True)]
        problems += _tier(claim, known)
        problems += _grade(claim, known)
        problems += _evidence_rules(claim, found)
    problems += _verdict(claim)
    problems += _dates(claim, today)
    problems += check_evidence(claim, cited_sources)
    return tuple(problems)


def default_today() -> str:
    """Return the latest date a review may carry: tomorrow in UTC, so no editor's time zone is 'in the future'.

    The clock is read here, in validation only; it never reaches the output. SOURCE_DATE_EPOCH is not
    used: CI sets it to the last commit's time, which can be earlier than a review dated today.
    """
    return (dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=1)).isoformat()


def _duplicate_claims(claims: Iterable[Claim]) -> Iterator[Problem]:
    claims = list(claims)
    counts = Counter(c.id for c in claims)
    claims = [c for c in claims if counts[c.id] > 1]  # sorting every claim by location only to find none costs
    first: dict[str, Claim] = {}
    for claim in sorted(claims, key=lambda c: c.location):
        if claim.id in first:
            where = first[claim.id].location
            yield error(
                claim.location,
                "ref.duplicate-id",
                f"claim id '{claim.id}' is already used at {where}",
                "claim ids must be unique across all files; rename one of them",
            )
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
            yield error(
                condition.location.key("group"),
                "ref.unknown-group",
                f"condition '{condition.id}' names unknown group '{condition.group}'",
                _did_you_mean(condition.group, groups, known),
            )


def _citations(claim: Claim, sources: dict, broken_ids: Set[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for citation in claim.sources:
        if citation.id in seen:
            yield error(
                citation.location,
                "ref.duplicate-citation",
                f"claim '{claim.id}' cites source '{citation.id}' twice",
                "cite each source once; put several locators in one 'locator'",
            )
        seen.add(citation.id)
        if citation.id not in sources and citation.id not in broken_ids:
            yield error(
                citation.location,
                "ref.unknown-source",
                f"claim '{claim.id}' cites unknown source '{citation.id}'",
                _did_you_mean(citation.id, list(sources), "sources are files in content/sources/"),
            )
        if citation.role is Role.ASSERTS and not citation.quote:
            yield error(
                citation.location,
                "rule.asserts-needs-quote",
                f"claim '{claim.id}': source '{citation.id}' asserts the claim but no 'quote' shows where",
                "add 'quote:' with the source's own words (at most 300 characters)",
            )


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
        yield error(
            claim.location.key("grade"),
            "rule.grade-exceeds-evidence",
            f"claim '{claim.id}' is graded '{claim.grade}' but its evidence supports at most '{allowed}'",
            f"lower the grade to '{allowed}', cite stronger evidence, or explain the exception in 'grade_rationale'",
        )
    elif claim.grade.rank <= allowed.rank and claim.grade_rationale and not grading_differs(claim):
        yield warning(
            claim.location.key("grade_rationale"),
            "rule.needless-rationale",
            f"claim '{claim.id}' has a 'grade_rationale' but its grade '{claim.grade}' needs none",
            "remove 'grade_rationale' so that readers are not told of an exception that is not there",
        )


def _tier(claim: Claim, cited: list[tuple[Role, SourceKind]]) -> Iterator[Problem]:
    evidence = [kind for role, kind in cited if role.is_evidence]
    if claim.status is Status.FDA_APPROVED and claim.verdict is not Verdict.SUPPORTED:
        yield error(
            claim.location.key("status"),
            "rule.fda-needs-support",
            f"claim '{claim.id}' has status 'fda-approved' but verdict '{claim.verdict}'",
            "the FDA-approved tier lists only what the label supports; move a doubtful or wrong claim to "
            "'off-label' or 'anecdotal' and keep the label as its evidence",
        )
    if claim.status is Status.FDA_APPROVED:
        if not any(kind.is_regulatory for role, kind in cited if role is Role.SUPPORTS):
            yield error(
                claim.location.key("status"),
                "rule.fda-needs-label",
                f"claim '{claim.id}' has status 'fda-approved' but cites no FDA label or approval as support",
                "cite a source of kind 'regulatory-label' or 'regulatory-approval' with role 'supports', or change the status",
            )
    elif claim.status is Status.OFF_LABEL and not any(kind.is_human_study for kind in evidence):
        if cited and all(kind.is_anecdotal for _, kind in cited):
            yield error(
                claim.location.key("status"),
                "rule.anecdotal-only",
                f"claim '{claim.id}' has status 'off-label' but its sources are only web articles, testimonials or case reports",
                "change the status to 'anecdotal', or cite a study in people",
            )
        else:
            yield error(
                claim.location.key("status"),
                "rule.off-label-needs-study",
                f"claim '{claim.id}' has status 'off-label' but cites no study in people as evidence",
                "cite a randomized trial, non-randomized study or systematic review with role 'supports' or 'contradicts', "
                "or change the status to 'anecdotal'",
            )


def _verdict(claim: Claim) -> Iterator[Problem]:
    roles = {c.role for c in claim.sources}
    if claim.verdict is Verdict.CONTRADICTED and Role.CONTRADICTS not in roles:
        yield error(
            claim.location.key("verdict"),
            "rule.contradicted-needs-source",
            f"claim '{claim.id}' has verdict 'contradicted' but cites no source with role 'contradicts'",
            "cite the source that contradicts the claim",
        )
    allowed = VERDICT_DIRECTIONS[claim.verdict]
    if claim.direction not in allowed:
        yield error(
            claim.location.key("direction"),
            "rule.verdict-direction",
            f"claim '{claim.id}' has verdict '{claim.verdict}' but direction '{claim.direction}'; "
            f"with '{claim.verdict}' the direction is one of {', '.join(d.value for d in allowed)}",
            _VERDICT_DIRECTION_HINTS[claim.verdict],
        )


VERDICT_DIRECTIONS: dict[Verdict, tuple[Direction, ...]] = {
    Verdict.SUPPORTED: (Direction.BENEFIT, Direction.HARM, Direction.NO_HARM, Direction.NOT_APPLICABLE),
    Verdict.UNCERTAIN: tuple(Direction),
    Verdict.NOT_SUPPORTED: tuple(Direction),
    Verdict.CONTRADICTED: (Direction.NO_BENEFIT, Direction.MIXED, Direction.HARM, Direction.NO_HARM, Direction.NOT_APPLICABLE),
}
"""The directions each verdict goes with (the table in docs/rules.md). A `supported` claim is what the
evidence says (a benefit, a harm, no harm, or a fact); evidence that contradicts a claim found something."""

_VERDICT_DIRECTION_HINTS = {
    Verdict.SUPPORTED: "a claim the studies did not confirm (no benefit, mixed or unstudied) is not 'supported': "
    "make the verdict 'uncertain', 'not-supported' or 'contradicted', or correct the direction",
    Verdict.CONTRADICTED: "evidence that contradicts a claim found no benefit, mixed results, harm or no harm: "
    "correct the direction, or make the verdict 'uncertain' or 'not-supported'",
}


def _evidence_rules(claim: Claim, cited: tuple[Source, ...]) -> Iterator[Problem]:
    """What may count as evidence: no registration ever; for 'supported', a study in people or a label.

    Label sections cited must exist.
    """
    for citation, source in zip(claim.sources, cited, strict=True):
        if citation.role.is_evidence and source.kind.is_registration:
            yield error(
                citation.location,
                "rule.registration-as-evidence",
                f"claim '{claim.id}' cites {source.kind.label.lower()} '{source.id}' with role '{citation.role}'; "
                "a trial without published results is not evidence",
                "cite it with role 'background' (it is listed under 'Research under way'), or cite the published results",
            )
        if citation.section is not None:
            yield from _section(claim, citation, source)
    if claim.verdict is Verdict.SUPPORTED:
        if not any(c.role is Role.SUPPORTS and s.kind.is_support for c, s in zip(claim.sources, cited, strict=True)):
            yield error(
                claim.location.key("verdict"),
                "rule.supported-without-support",
                f"claim '{claim.id}' has verdict 'supported' but cites no study in people or label with role 'supports'",
                "cite the study or label that supports it with role 'supports' (a source that only asserts "
                "the claim is no support), or change the verdict",
            )
        elif claim.status is Status.ANECDOTAL:
            yield error(
                claim.location.key("verdict"),
                "rule.supported-without-support",
                f"claim '{claim.id}' has verdict 'supported' but status 'anecdotal', the tier of claims "
                "no study in people that we could verify supports",
                "make the verdict 'uncertain' or 'not-supported'; if a randomized trial, non-randomized "
                "study or systematic review supports it, move it to 'off-label'",
            )


def _section(claim: Claim, citation, source: Source) -> Iterator[Problem]:
    ids = [s.id for s in source.sections]
    if not ids:
        yield error(
            citation.location,
            "ref.unknown-section",
            f"claim '{claim.id}' cites section '{citation.section}' of source '{source.id}', which has no 'sections'",
            "remove 'section', or quote the section under the label's 'sections' (only a 'regulatory-label' has them)",
        )
    elif citation.section not in ids:
        yield error(
            citation.location,
            "ref.unknown-section",
            f"claim '{claim.id}' cites unknown section '{citation.section}' of source '{source.id}'",
            _did_you_mean(citation.section, ids, f"the sections of '{source.id}' are: {', '.join(ids)}"),
        )


_LABEL_FIELDS = ("label_version", "sections")
_LABEL_PAGE_IDS = frozenset({"main"})
"""Ids the label page uses itself (with ``topic-<topic>`` and ``<section id>-title``): a section may not take them."""
_REGISTRATION_FIELDS = ("registration_status", "results_posted", "conditions")


def _source_kind_fields(source: Source, condition_ids: list[str], broken_ids: Set[str]) -> Iterator[Problem]:
    """Fields that belong to one kind of source: label sections on a label, registry details on a registration."""
    for name in _LABEL_FIELDS:
        if getattr(source, name) and source.kind is not SourceKind.REGULATORY_LABEL:
            yield error(
                source.location.key(name),
                "rule.kind-field",
                f"source '{source.id}' of kind '{source.kind}' has '{name}', which only a 'regulatory-label' has",
                f"remove '{name}', or correct 'kind'",
            )
    for name in _REGISTRATION_FIELDS:
        if getattr(source, name) not in (None, ()) and not source.kind.is_registration:
            yield error(
                source.location.key(name),
                "rule.kind-field",
                f"source '{source.id}' of kind '{source.kind}' has '{name}', "
                "which only a 'trial-registration' or 'trial-protocol' has",
                f"remove '{name}', or correct 'kind'",
            )
    if source.kind is SourceKind.TRIAL_REGISTRATION:
        missing = [f"'{name}'" for name in ("registration_status", "results_posted") if getattr(source, name) is None]
        if not (source.nct or source.registration):
            missing.append("a registry id ('nct' or 'registration')")
        if missing:
            yield error(
                source.location,
                "rule.kind-field",
                f"source '{source.id}' is a 'trial-registration' without {' or '.join(missing)}",
                "copy them from the registry record: its id, its status and whether results are posted",
            )
    seen: set[str] = set()
    for section in source.sections:
        if section.id in _LABEL_PAGE_IDS or section.id.startswith("topic-") or section.id.endswith("-title"):
            yield error(
                section.location,
                "ref.duplicate-id",
                f"source '{source.id}': section id '{section.id}' is taken by the label page itself",
                "choose another id: not 'main', nor starting with 'topic-' or ending in '-title'",
            )
        if section.id in seen:
            yield error(
                section.location,
                "ref.duplicate-id",
                f"source '{source.id}': section id '{section.id}' is used twice",
                "section ids are anchors on the label page and must be unique within the label",
            )
        seen.add(section.id)
    for condition in source.conditions:
        if condition not in condition_ids and condition not in broken_ids:
            yield error(
                source.location.key("conditions"),
                "ref.unknown-condition",
                f"source '{source.id}' names unknown condition '{condition}' in 'conditions'",
                _did_you_mean(condition, condition_ids, "conditions are files in content/conditions/"),
            )


_IDENTIFIERS = (
    ("pmid", "PMID"),
    ("pmcid", "PMCID"),
    ("doi", "DOI"),
    ("nct", "NCT number"),
    ("dailymed_setid", "DailyMed set id"),
)


_DOSE = re.compile(DOSE_PATTERN)


def _site_settings(db: Database) -> Iterator[Problem]:
    """Rules that depend on site.yaml: the dose units, example content and replaced wording."""
    from ldnsite.content.wording import unknown_keys, wording_problems

    units = db.site.dose_units
    for claim in db.claims:
        match = _DOSE.match(claim.dose) if claim.dose else None
        if match and match.group(1) not in units:
            yield error(
                claim.location.key("dose"),
                "rule.dose-unit",
                f"claim '{claim.id}': dose '{claim.dose}' is in '{match.group(1)}', not in {_units(units)}",
                f"write the dose in {_units(units)}, or add '{match.group(1)}' to dose_units in site.yaml",
            )
    if not db.site.example:
        for source in db.sources:
            if source.example:
                yield error(
                    source.location.key("example"),
                    "rule.example-content",
                    f"source '{source.id}' is invented example content, and this project is not an example",
                    "replace it with a real source, or set 'example: true' in site.yaml if the whole project is an example",
                )
    yield from wording_problems(db.site)
    for wording, hint in unknown_keys(db.site.wording):
        yield error(
            wording.location.key("key"),
            "rule.unknown-wording",
            f"site wording: '{wording.key}' is not a key of the locale file",
            hint,
        )


def _units(units: tuple[str, ...]) -> str:
    return " or ".join(f"'{unit}'" for unit in units)


def _duplicate_identifiers(sources: Iterable[Source]) -> Iterator[Problem]:
    """Two files for one work: the same PMID, PMCID, DOI (in any case), NCT number or DailyMed set id."""
    first: dict[tuple[str, str], Source] = {}
    for source in sorted(sources, key=lambda s: s.location):
        for name, label in _IDENTIFIERS:
            value = getattr(source, name)
            if not value:
                continue
            key = (name, value.casefold())
            if key in first:
                other = first[key]
                yield error(
                    source.location.key(name),
                    "ref.duplicate-identifier",
                    f"source '{source.id}' has the same {label} '{value}' as source '{other.id}' ({other.location.path})",
                    "one work is one source: merge the two files and cite the one left, or correct the identifier",
                )
            else:
                first[key] = source


def _dates(claim: Claim, today: str) -> Iterator[Problem]:
    for name in ("reviewed", "added"):
        value = getattr(claim, name)
        if value and value > today:
            yield error(
                claim.location.key(name),
                "rule.future-date",
                f"claim '{claim.id}': '{name}' date {value} is in the future",
                "use the date the evidence was actually reviewed",
            )
    if claim.added and claim.added > claim.reviewed:
        yield error(
            claim.location.key("added"),
            "rule.future-date",
            f"claim '{claim.id}' was added ({claim.added}) after it was last reviewed ({claim.reviewed})",
            "a claim is reviewed when it is added; set 'reviewed' to the later date",
        )


def _source_dates(source, today: str) -> Iterator[Problem]:
    if source.date and source.date > today:
        yield error(source.location.key("date"), "rule.future-date", f"source '{source.id}': date {source.date} is in the future")
    if source.date and source.year and int(source.date[:4]) != source.year:
        yield error(
            source.location.key("date"),
            "rule.date-year",
            f"source '{source.id}': date {source.date} and year {source.year} disagree",
            "keep only 'date', or make the two agree",
        )
