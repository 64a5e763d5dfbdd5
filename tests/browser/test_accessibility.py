"""Every page type in Chromium: keyboard access, no console errors or CSP violations, axe-core, screenshots."""

import json

import pytest

from .conftest import ARTIFACTS, DESKTOP, PAGE_TYPES, PHONE

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline code"));
});
"""

MARK_LINKS = """
() => {
  const links = [...document.querySelectorAll("a[href]")].filter((a) => a.checkVisibility({visibilityProperty: true}));
  links.forEach((a, i) => a.setAttribute("data-kb", String(i)));
  return links.map((a) => a.getAttribute("href"));
}
"""

FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {kb: el.getAttribute("data-kb"), tag: el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}
"""


@pytest.mark.parametrize("name", ["home", "condition", "claim", "claim-check", "evidence-map", "search", "404"])
def test_tab_alone_reaches_every_link_with_a_visible_focus_ring(site, context_factory, name):
    page = context_factory(viewport=DESKTOP).new_page()
    page.goto(site.url(PAGE_TYPES[name]))
    if name == "search":
        page.wait_for_selector("#search-results li")
    hrefs = page.evaluate(MARK_LINKS)
    reached: set[str] = set()
    first = None
    for _ in range(len(hrefs) + 40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        key = f"{focused['tag']}:{focused['kb']}"
        if key == first:
            break
        first = first or key
        assert focused["outline"] != "none" and focused["width"] >= 2, f"{name}: no visible focus on {focused}"
        if focused["kb"] is not None:
            reached.add(focused["kb"])
    missed = [hrefs[int(i)] for i in range(len(hrefs)) if str(i) not in reached]
    assert missed == [], f"{name}: Tab never reaches {missed}"


def test_the_skip_link_is_first_and_moves_focus_to_the_content(site, context_factory):
    page = context_factory(viewport=DESKTOP).new_page()
    page.goto(site.url(PAGE_TYPES["claim"]))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_no_console_error_or_csp_violation_on_any_page(site, context_factory):
    every_page = sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("*.html") if "pagefind" not in p.parts)
    visits = {**{path: path for path in every_page}, **PAGE_TYPES}
    context = context_factory(viewport=DESKTOP)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url}: console {m.type}: {m.text} ({m.location.get('url')})")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"{page.url}: uncaught {e}"))
    for name, path in visits.items():
        response = page.goto(site.url(path))
        assert response.status == (404 if name == "404" else 200), name
        if name == "search":
            page.wait_for_selector("#search-results li")  # runs Pagefind: WebAssembly under the site's CSP
        if name == "evidence-map":
            page.select_option("#filter-grade", "low")
        problems.extend(f"{name}: CSP: {v}" for v in page.evaluate("window.__cspViolations"))
    # The 404 page is itself answered with status 404, which Chromium reports on the console.
    expected = f"{site.url(PAGE_TYPES['404'])}: console error: Failed to load resource: the server responded with a status of 404"
    assert [p for p in problems if not p.startswith(expected)] == []


@pytest.mark.parametrize(("viewport", "scheme"), [(DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light")],
                         ids=["desktop-light", "desktop-dark", "phone-light"])
def test_axe_finds_no_wcag_22_aa_violation_on_any_page_type(site, context_factory, axe_source, viewport, scheme):
    # axe is injected as an inline script, which the site's CSP forbids; bypass it for this test only.
    page = context_factory(viewport=viewport, color_scheme=scheme, bypass_csp=True).new_page()
    failures = []
    for name, path in PAGE_TYPES.items():
        page.goto(site.url(path))
        if name == "search":
            page.wait_for_selector("#search-results li")
        page.add_script_tag(content=axe_source)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                               AXE_TAGS)
        for violation in result["violations"]:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
            failures.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_screenshots_of_every_page_type(site, context_factory, viewport, label):
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page = context_factory(viewport=viewport).new_page()
    for name, path in PAGE_TYPES.items():
        page.goto(site.url(path))
        if name == "search":
            page.wait_for_selector("#search-results li")
        target = folder / f"{name}-{label}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 0
    (folder / "index.json").write_text(json.dumps(sorted(p.name for p in folder.glob("*.png")), indent=1) + "\n")
