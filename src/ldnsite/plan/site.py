"""Plan the site: which pages exist, at which paths, with which data.

This module is pure: it takes the Database and returns a list of Pages (no templates,
no I/O). Each Page carries everything its template shows, already decided and sorted:
views of claims and conditions (``views.py``), the structured data (``structured.py``),
how it is indexed for search, and its "cite this page" text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ldnsite.content.grading import start_for
from ldnsite.content.model import Database, Direction, Grade, Role, Site, SourceKind, Status, Verdict
from ldnsite.content.wording import Words, default_words, words_for
from ldnsite.memo import call
from ldnsite.plan import structured
from ldnsite.plan.citations import BIBLIOGRAPHY_EXPORTS, page_citation
from ldnsite.plan.longlists import database_map_groups, map_parts, source_groups, source_parts
from ldnsite.plan.views import (  # noqa: F401 - re-exported: the context types of the templates
    CitedSource,
    CitingClaim,
    ClaimView,
    ConditionGroupView,
    ConditionView,
    LabelView,
    Link,
    ResearchItem,
    SourceView,
    TierSection,
    TierTopic,
    claim_order,
    claim_view,
    condition_view,
    counted,
    grouped_conditions,
    label_path,
    label_view,
    research_under_way,
    source_view,
    tier_sections,
    tier_topics,
    with_citing,
)
from ldnsite.problems import Location, Problem, error

EVIDENCE_MAP_PATH = "evidence-map.html"
SEARCH_PATH = "search.html"
FEED_PATH = "feed.xml"

NAV = (
    ("index.html", "overview"),
    (EVIDENCE_MAP_PATH, "evidence_map"),
    (SEARCH_PATH, "search"),
    ("sources/index.html", "sources"),
    ("methodology.html", "methodology"),
    ("disclaimer.html", "disclaimer"),
)
"""The main navigation, in order: (path, key of its label in the locale's ``nav``)."""


def navigation(site: Site) -> tuple[tuple[str, str], ...]:
    """Return the main navigation as (path, label) in the site's words."""
    words = words_for(site)
    return tuple((path, words(f"nav.{key}")) for path, key in NAV)


SEARCH_TYPES = (("Condition", "theme.search.types.conditions"), ("Claim", "theme.search.types.claims"), ("Source", "nav.sources"))
"""The kinds of search result the search page can filter on: (filter value, label)."""


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """How a page is indexed for search: the kind of result, and the metadata and filters kept with it."""

    type: str
    meta: tuple[tuple[str, str], ...] = ()
    filters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FilterOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class MapFilter:
    """One filter of the evidence map: ``name`` is both the query parameter and the row's data attribute."""

    name: str
    label: str
    options: tuple[FilterOption, ...]


@dataclass(frozen=True, slots=True)
class MapGroup:
    """The rows of the evidence map for one condition."""

    condition: ConditionView
    claims: tuple[ClaimView, ...]


@dataclass(frozen=True, slots=True)
class MapPart:
    """One page of a split evidence map, as its index lists it: the claims per (tier, grade, direction) let the
    index's filters count what each page holds."""

    name: str
    path: str
    condition_count: int
    claim_count: int
    combinations: tuple[tuple[str, str, str, int], ...]


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: its path inside the site, the template that renders it and its data."""

    path: str
    template: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    lastmod: str | None = None
    root_override: str | None = None
    json_ld: structured.Deferred | None = None
    """The page's schema.org JSON-LD (``.value``), built when the page is rendered."""
    search: SearchEntry | None = None

    @property
    def root(self) -> str:
        """Prefix from this page back to the site root: relative (e.g. '../'), except where overridden.

        The 404 page is served at any address, so its links start from the site's own path instead.
        """
        if self.root_override is not None:
            return self.root_override
        return "../" * self.path.count("/")

    @property
    def view(self) -> Any:
        """The view the page shows (a claim's, a condition's or a source's), or None."""
        return self.context.get("view")


@dataclass(frozen=True, slots=True)
class LazyPage:
    """A page planned by its inputs: the page itself (its title, description, context and structured data)
    is built by ``page()`` when it is rendered, in the process that renders it.

    A large site plans hundreds of thousands of pages. Their texts, kept from planning until rendering,
    were a third of what a build held, and each forked render worker copies what it reads of it (see
    ``render.render_pages``). What the build needs before rendering is kept here: the path and
    template, the view (for the render order and the exports) and the date for the sitemap. Anything
    else a template shows needs ``page()``, which ``render.render_page`` calls: reading it from here
    is an error, not a silent rebuild of the page. ``tests/test_site.py`` checks that each of these
    fields equals the built page's.
    """

    path: str
    template: str
    view: Any
    lastmod: str | None
    make: Callable[..., Page]
    args: tuple

    in_sitemap = True
    root_override = None

    def page(self) -> Page:
        """Build the page."""
        return self.make(*self.args)


def page_url(base_url: str, path: str) -> str:
    """Return the absolute address of a page: the home page is the base URL itself."""
    return base_url + ("" if path == "index.html" else path)


def plan_site(db: Database, memo: Callable = call) -> tuple[list[Page | LazyPage], list[Problem]]:
    """Return every page of the site, in a stable order, and any path collisions.

    With a ``memo`` (``memo.Memo``, kept by the incremental builder), views and pages whose inputs are
    the same objects as in the previous build are reused, so that planning after an edit costs little
    and unchanged pages compare equal at once.
    """
    site = db.site
    sources = {s.id: memo(source_view, s, site) for s in db.sources}
    conditions = {c.id: c for c in db.conditions}
    planned = [
        memo(_planned_claim, claim, conditions[db.claim_condition[claim.id]], tuple([sources[c.id] for c in claim.sources]), site)
        for claim in db.claims
    ]
    planned.sort(key=lambda pair: claim_order(pair[0]))
    claims = [view for view, _ in planned]
    sources = with_citing(sources, claims, memo)
    by_condition: dict[str, list[ClaimView]] = {c.id: [] for c in db.conditions}
    for view in claims:  # grouped in one pass, in claim order: a scan per condition would be quadratic
        by_condition[view.condition.id].append(view)
    registrations = tuple(v for v in sources.values() if v.source.kind.is_registration)
    condition_views = [
        memo(
            condition_view,
            c,
            tuple(by_condition[c.id]),
            site,
            memo(research_under_way, c, tuple(by_condition[c.id]), registrations),
        )
        for c in db.conditions
    ]
    groups = grouped_conditions(db, condition_views)
    words = words_for(site)
    pages = [
        _home_page(db, claims, groups),
        *(memo(_planned_condition, site, view) for view in condition_views),
        *(page for _, page in planned),
        *_evidence_map_pages(site, claims, groups, by_condition, memo),
        _search_page(site),
        *_sources_pages(site, list(sources.values())),
        *(memo(_planned_source, view, _research_links(view, conditions), site) for view in sources.values()),
        *(memo(_planned_label, view, site) for view in sources.values() if view.label_path),
        _methodology_page(site),
        Page("disclaimer.html", "disclaimer.html", words("page.disclaimer.title"), words("page.disclaimer.description")),
        Page(
            "404.html",
            "404.html",
            words("page.not_found.title"),
            words("page.not_found.description"),
            in_sitemap=False,
            root_override=urlsplit(site.base_url).path,
        ),
    ]
    return pages, path_collisions(plan_paths(db))


LONG_LIST_TEMPLATES = frozenset({"evidence_map.html", "sources.html"})
"""Pages that list every claim or every source: by far the longest to render."""


def render_order(pages: list[Page]) -> list[Page]:
    """Return the pages in the order that renders them fastest: the long lists first, then each
    condition page followed by the pages of its claims.

    A long list takes a worker as long as thousands of other pages: started first, it runs while
    the other workers share the rest, instead of holding up the end of the build. A condition page
    shows its claims in full, so rendering the two together lets the worker that renders them
    convert each claim's Markdown once (the conversion is cached per process).
    """
    by_condition: dict[str, list[Page]] = {}
    for page in pages:
        if page.template == "claim.html":
            by_condition.setdefault(page.view.condition.id, []).append(page)
    ordered = [page for page in pages if page.template in LONG_LIST_TEMPLATES]
    for page in pages:
        if page.template == "claim.html" or page.template in LONG_LIST_TEMPLATES:
            continue
        ordered.append(page)
        if page.template == "condition.html":
            ordered.extend(by_condition.pop(page.view.condition.id, []))
    for rest in by_condition.values():
        ordered.extend(rest)
    return ordered


def plan_paths(db: Database) -> list[tuple[str, str]]:
    """Return the path of every page ``plan_site`` plans, with what the page is for (claims by id, not in page order).

    No view is built, so ``ldnsite check`` finds two pages that would share one path at little cost.
    A test keeps this list in step with ``plan_site``.
    """
    return [
        ("index.html", "the home page"),
        *((f"conditions/{c.id}.html", f"condition '{c.id}'") for c in db.conditions),
        *((f"claims/{c.id}.html", f"claim '{c.id}'") for c in db.claims),
        (EVIDENCE_MAP_PATH, "the evidence map"),
        *(
            (part.path, f"the evidence map of '{part.name}'")
            for part in map_parts(database_map_groups(db), len(db.claims), db.site.list_page_size)
        ),
        (SEARCH_PATH, "the search page"),
        ("sources/index.html", "the list of sources"),
        *(
            (part.path, f"the list of sources '{part.name}'")
            for part in source_parts(source_groups(db.sources), len(db.sources), db.site.list_page_size)
        ),
        *((f"sources/{s.id}.html", f"source '{s.id}'") for s in db.sources),
        *((path, f"the label page of source '{s.id}'") for s in db.sources if (path := label_path(s))),
        ("methodology.html", "the methodology page"),
        ("disclaimer.html", "the disclaimer"),
        ("404.html", "the 'page not found' page"),
    ]


def _planned_claim(claim, condition, sources: tuple[SourceView, ...], site: Site) -> tuple[ClaimView, LazyPage]:
    """A claim's view and its page, planned together: the page depends on nothing else."""
    view = claim_view(claim, condition, sources, site)
    return view, LazyPage(view.path, "claim.html", view, claim.reviewed, _claim_page, (site, view))


def _planned_condition(site: Site, view: ConditionView) -> LazyPage:
    return LazyPage(view.path, "condition.html", view, view.reviewed, _condition_page, (site, view))


def _planned_source(view: SourceView, research_for: tuple[Link, ...] = (), site: Site | None = None) -> LazyPage:
    return LazyPage(view.path, "source.html", view, _source_lastmod(view), _source_page, (view, research_for, site))


def _research_links(view: SourceView, conditions: dict) -> tuple[Link, ...]:
    """The conditions a registration names, linked to their "Research under way" sections."""
    return tuple(
        Link(conditions[c].name, f"conditions/{c}.html#research-title") for c in view.source.conditions if c in conditions
    )


def _planned_label(view: SourceView, site: Site) -> LazyPage:
    label = label_view(view)
    return LazyPage(label.path, "label.html", label, _source_lastmod(view), _label_page, (label, site))


def _label_page(view: LabelView, site: Site) -> Page:
    source = view.source.source
    count = sum(len(group.sections) for group in view.topics)
    version = f" ({source.label_version})" if source.label_version else ""
    words = words_for(site)
    description = words.n("page.label.description", count, title=f"{source.title}{version}")[:300]
    return Page(
        view.path,
        "label.html",
        words("page.label.title", title=source.title),
        description,
        {"view": view},
        lastmod=_source_lastmod(view.source),
        search=SearchEntry(
            "Source", (("type", words_for(site)("label_page.type")), ("design", view.source.kind_label)), (("type", "Source"),)
        ),
    )


def _source_lastmod(view: SourceView) -> str | None:
    return max((c.claim.claim.reviewed for c in view.citing), default=None)


def _home_page(db: Database, claims: list[ClaimView], groups: tuple[ConditionGroupView, ...]) -> Page:
    latest = max((v.claim.reviewed for v in claims), default=None)
    site = db.site
    return Page(
        "index.html",
        "index.html",
        site.title,
        site.tagline,
        {
            "tiers": tier_sections(claims, "home-", site),
            "groups": groups,
            "claim_count": len(claims),
            "topics": {
                status.value: topics for status, topics in tier_topics(claims, frozenset(structured.TOPIC_GROUPS)).items()
            },
            "condition_count": sum(len(g.conditions) for g in groups),
            "latest_review": latest,
            "first_steps": not db.conditions,
        },
        lastmod=latest,
        json_ld=structured.deferred(structured.home_page, site, url=page_url(site.base_url, "index.html"), last_reviewed=latest),
    )


def _condition_page(site: Site, view: ConditionView) -> Page:
    name = view.condition.name
    words = words_for(site)
    title = words("page.condition.title", condition=name)
    counts = ", ".join(f"{count} {short}" for _, count, short in view.tier_counts)
    description = (
        words("page.condition.description", condition=name)
        + " "
        + words("page.condition.counts", claims=counted(view.claim_count, "claim", words), counts=counts)
    )
    url = page_url(site.base_url, view.path)
    aka = (("aka", "; ".join(view.condition.also_known_as)),) if view.condition.also_known_as else ()
    return Page(
        view.path,
        "condition.html",
        title,
        description,
        {"view": view, "cite": page_citation(title, site.title, view.reviewed, url, words)},
        lastmod=view.reviewed,
        json_ld=structured.deferred(_condition_structured_data, site, view, description),
        search=SearchEntry(
            "Condition",
            (("type", words("theme.search.kind.condition")), ("group", view.group_name), *aka),
            (("type", "Condition"),),
        ),
    )


def _claim_page(site: Site, view: ClaimView) -> Page:
    claim = view.claim
    tier_name = words_for(site).tiers[claim.status].name
    words = words_for(site)
    grade_name = words.label(claim.grade)
    description = words(
        "page.claim.description",
        condition=view.condition.name,
        tier=tier_name,
        grade=grade_name.lower(),
        direction=words.label(claim.direction),
        verdict=words.label(claim.verdict),
    )
    url = page_url(site.base_url, view.path)
    tier = words("theme.search.tier", number=claim.status.order + 1, tier=tier_name)
    grade = f"{claim.grade.symbol} {words('theme.grade_certainty', grade=grade_name)}"
    return Page(
        view.path,
        "claim.html",
        words("page.claim.title", claim=claim.title, tier=tier_name, grade=grade_name.lower()),
        description,
        {"view": view, "cite": page_citation(claim.title, site.title, claim.reviewed, url, words)},
        lastmod=claim.reviewed,
        json_ld=structured.deferred(_claim_structured_data, site, view, description),
        search=SearchEntry(
            "Claim",
            (("type", words("theme.search.kind.claim")), ("condition", view.condition.name), ("tier", tier), ("grade", grade)),
            (("type", "Claim"), ("tier", tier_name)),
        ),
    )


def _claim_structured_data(site: Site, view: ClaimView, description: str) -> dict[str, Any]:
    claim = view.claim
    cited = [
        (item.source.source, page_url(site.base_url, item.source.path))
        for item in (*view.evidence, *view.asserted_by, *view.background)
    ]
    return structured.claim_page(
        site,
        name=claim.title,
        condition=view.condition,
        url=page_url(site.base_url, view.path),
        description=description,
        last_reviewed=claim.reviewed,
        added=claim.added,
        citations=cited,
    )


def _condition_structured_data(site: Site, view: ConditionView, description: str) -> dict[str, Any]:
    return structured.condition_page(
        site, view.condition, url=page_url(site.base_url, view.path), description=description, last_reviewed=view.reviewed
    )


def _evidence_map_pages(
    site: Site,
    claims: list[ClaimView],
    groups: tuple[ConditionGroupView, ...],
    by_condition: dict[str, list[ClaimView]],
    memo: Callable = call,
) -> list[Page]:
    """Plan the evidence map: one page, or above ``site.list_page_size`` claims an index and a page per condition group."""
    rows = tuple(memo(MapGroup, cv, tuple(by_condition[cv.condition.id])) for group in groups for cv in group.conditions)
    words = words_for(site)
    parts = map_parts(
        [
            (g.id, g.name, [(cv.condition.id, cv.condition.name, len(by_condition[cv.condition.id])) for cv in g.conditions])
            for g in groups
        ],
        len(claims),
        site.list_page_size,
    )
    if not parts:
        return [
            Page(
                EVIDENCE_MAP_PATH,
                "evidence_map.html",
                words("page.evidence_map.title"),
                words("page.evidence_map.description", count=len(claims)),
                {"groups": rows, "filters": _map_filters(words, claims), "claim_count": len(claims), "part": None},
                lastmod=_latest(claims),
            )
        ]
    by_id = {row.condition.condition.id: row for row in rows}
    pages, links = [], []
    for part in parts:
        part_rows = tuple(by_id[key] for key in part.keys)
        part_claims = [view for row in part_rows for view in row.claims]
        pages.append(
            Page(
                part.path,
                "evidence_map.html",
                words("page.evidence_map.part_title", part=part.name),
                words("page.evidence_map.part_description", count=len(part_claims), part=part.name.lower()),
                {"groups": part_rows, "filters": _map_filters(words, part_claims), "claim_count": len(part_claims), "part": part},
                lastmod=_latest(part_claims),
            )
        )
        links.append(MapPart(part.name, part.path, len(part_rows), len(part_claims), _combinations(part_claims)))
    index = Page(
        EVIDENCE_MAP_PATH,
        "evidence_map_index.html",
        words("page.evidence_map.title"),
        words("page.evidence_map.index_description", count=len(claims), parts=len(parts)),
        {"parts": tuple(links), "filters": _map_filters(words, claims), "claim_count": len(claims)},
        lastmod=_latest(claims),
    )
    return [index, *pages]


def _latest(claims: list[ClaimView]) -> str | None:
    return max((v.claim.reviewed for v in claims), default=None)


def _combinations(claims: list[ClaimView]) -> tuple[tuple[str, str, str, int], ...]:
    """Count the claims per (tier, grade, direction), sorted: what the index's filters add up per page."""
    counts = Counter((v.claim.status.value, v.claim.grade.value, v.claim.direction.value) for v in claims)
    return tuple((*key, count) for key, count in sorted(counts.items()))


def _map_filters(words: Words, claims: list[ClaimView]) -> tuple[MapFilter, ...]:
    combinations = Counter([(v.claim.status, v.claim.grade, v.claim.direction) for v in claims])  # one pass over the claims
    return (
        _map_filter("tier", words("page.evidence_map.filter_tier"), combinations, 0, [(s, words.tiers[s].name) for s in Status]),
        _map_filter(
            "grade",
            words("page.evidence_map.filter_grade"),
            combinations,
            1,
            [(g, f"{g.symbol} {words.label(g)}") for g in Grade],
        ),
        _map_filter(
            "direction", words("page.evidence_map.filter_direction"), combinations, 2, [(d, words.label(d)) for d in Direction]
        ),
    )


def _map_filter(name: str, label: str, combinations: Counter, position: int, choices: list[tuple]) -> MapFilter:
    """Offer only the values some claim has, in the model's order, with how many claims have each.

    ``combinations`` counts the claims per (status, grade, direction); ``position`` picks the field.
    """
    counts: Counter = Counter()
    for combination, count in combinations.items():
        counts[combination[position]] += count
    return MapFilter(
        name, label, tuple(FilterOption(value.value, text, counts[value]) for value, text in choices if value in counts)
    )


def _search_page(site: Site) -> Page:
    words = words_for(site)
    return Page(
        SEARCH_PATH,
        "search.html",
        words("page.search.title"),
        words("page.search.description"),
        {"types": tuple((value, words(key)) for value, key in SEARCH_TYPES)},
    )
    # in the sitemap: search engines may list the search page itself


def _sources_pages(site: Site, sources: list[SourceView]) -> list[Page]:
    """Plan the list of sources: one page, or above ``site.list_page_size`` sources an index and a page per design."""
    by_kind = [(kind, tuple(v for v in sources if v.source.kind is kind)) for kind in SourceKind]
    exports = tuple(Link(label, f"api/{name}") for name, (label, _) in BIBLIOGRAPHY_EXPORTS.items())
    words = words_for(site)
    title = words("page.sources.title")
    description = words("page.sources.description", count=len(sources))
    groups = [
        (value, words.kind(SourceKind(value)), members)  # each design named in the site's words
        for value, _, members in source_groups(sources, lambda v: v.source.kind, lambda v: v.source.id)
    ]
    parts = source_parts(groups, len(sources), site.list_page_size)
    if not parts:
        return [
            Page(
                "sources/index.html",
                "sources.html",
                title,
                description,
                {
                    "by_kind": tuple((kind, items) for kind, items in by_kind if items),
                    "count": len(sources),
                    "exports": exports,
                    "part": None,
                },
                lastmod=_cited_latest(sources),
            )
        ]
    by_id = {v.source.id: v for v in sources}
    pages: list[Page] = []
    toc: dict[SourceKind, list[Any]] = {}
    for part in parts:
        items = tuple(by_id[key] for key in part.keys)
        kind = items[0].source.kind
        pages.append(
            Page(
                part.path,
                "sources.html",
                words("page.sources.part_title", part=part.name),
                words("page.sources.part_description", count=len(items), part=part.name),
                {"by_kind": ((kind, items),), "count": len(items), "exports": (), "part": part},
                lastmod=_cited_latest(items),
            )
        )
        toc.setdefault(kind, []).append(part)
    kinds = tuple((kind, len(items), tuple(Link(p.name, p.path) for p in toc[kind])) for kind, items in by_kind if items)
    index = Page(
        "sources/index.html",
        "sources_index.html",
        title,
        description,
        {"kinds": kinds, "count": len(sources), "exports": exports},
        lastmod=_cited_latest(sources),
    )
    return [index, *pages]


def _cited_latest(sources) -> str | None:
    return max((c.claim.claim.reviewed for v in sources for c in v.citing), default=None)


def _source_page(view: SourceView, research_for: tuple[Link, ...] = (), site: Site | None = None) -> Page:
    source = view.source
    words = words_for(site) if site else default_words()
    size = (
        words("page.source.size", participants=counted(source.participants, "participant", words)) if source.participants else ""
    )
    cited = " " + words("page.source.cited", claims=counted(len(view.citing), "claim", words))
    description = (
        words("page.source.description", kind=view.kind_label, year=view.year, size=size, title=source.title)[:240] + cited
    )
    return Page(
        view.path,
        "source.html",
        f"{source.title} ({view.year})",
        description,
        {"view": view, "claim_check": source.kind.has_claim_check, "research_for": research_for},
        lastmod=_source_lastmod(view),
        search=SearchEntry(
            "Source",
            (("type", words("theme.search.kind.source")), ("design", view.kind_label), ("year", view.year)),
            (("type", "Source"),),
        ),
    )


def _methodology_page(site: Site) -> Page:
    kinds = tuple((kind, kind.max_grade, start_for(kind).grade) for kind in SourceKind)
    words = words_for(site)
    return Page(
        "methodology.html",
        "methodology.html",
        words("page.methodology.title"),
        words("page.methodology.description"),
        {
            "statuses": tuple(Status),
            "grades": tuple(Grade),
            "directions": tuple(Direction),
            "verdicts": tuple(Verdict),
            "roles": tuple(Role),
            "kinds": kinds,
            "verdict_directions": _verdict_directions(words),
        },
        search=SearchEntry("Guide", (("type", words("theme.search.kind.guide")),), (("type", "Guide"),)),
    )


def _verdict_directions(words: Words) -> tuple[tuple[Verdict, str], ...]:
    """Each verdict with the findings it can go with, in words (the validator's table)."""
    from ldnsite.content.validate import VERDICT_DIRECTIONS

    return tuple(
        (
            verdict,
            words("theme.methodology.any")
            if set(allowed) == set(Direction)
            else words("theme.methodology.separator").join(words.label(d) for d in allowed),
        )
        for verdict, allowed in VERDICT_DIRECTIONS.items()
    )


def path_collisions(paths: list[tuple[str, str]]) -> list[Problem]:
    """Report every page whose path an earlier page already takes (compared without case: not every file system has it).

    ``paths`` holds (path, what the page is) pairs, as ``plan_paths`` returns them.
    """
    seen: dict[str, str] = {}
    problems = []
    for path, what in paths:
        key = path.lower()
        if key in seen:
            problems.append(
                error(
                    Location("content"),
                    "site.url-collision",
                    f"two pages would be written to '{path}' ({seen[key]} and {what})",
                    "give one of them a different id",
                )
            )
        else:
            seen[key] = what
    return problems
