"""The topic is configuration: nothing of the LDN site in the code or the theme, and a second site on another topic."""

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, TEMPLATES, check_lines, run_cli, write_project
from ldnsite.content.wording import locale_strings

EXAMPLE = REPO / "examples" / "vitamin-d"
LDN_WORDS = re.compile(r"\b(naltrexone|ldn)\b", re.IGNORECASE)


def files_below(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def test_no_word_of_naltrexone_or_ldn_in_the_code_or_the_default_theme():
    hits = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
            for path in files_below(REPO / "src" / "ldnsite", TEMPLATES)
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            if LDN_WORDS.search(line)]
    assert hits == []


def test_the_search_for_naltrexone_finds_it_in_any_case_as_a_whole_word():
    assert LDN_WORDS.search("about Naltrexone.") and LDN_WORDS.search("(LDN)") and LDN_WORDS.search("ldn-fibro-pain")
    assert not LDN_WORDS.search("seldnom") and not LDN_WORDS.search("naltrexones")


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "build"
    result = run_cli("build", "--project", EXAMPLE, "--templates", TEMPLATES, "--out", out, "--no-search", "--strict")
    assert result.exit_code == 0, result.output
    return out


def test_the_example_project_builds_in_strict_mode_without_a_word_of_naltrexone(example_site):
    leaks = [p.relative_to(example_site).as_posix() for p in files_below(example_site)
             if p.suffix in {".html", ".xml", ".json", ".txt", ".bib", ".ris"} and LDN_WORDS.search(p.read_text(encoding="utf-8"))]
    assert leaks == []


def visible_text(page: Path) -> str:
    return " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())


def test_the_example_site_uses_its_regulators_words_and_never_the_fdas(example_site):
    pages = {p.relative_to(example_site).as_posix(): visible_text(p) for p in files_below(example_site) if p.suffix == ".html"}
    assert "EMA-authorised" in pages["index.html"]
    assert "EMA product information (SmPC)" in pages["sources/index.html"]
    assert "must cite an EMA SmPC or approval" in pages["methodology.html"]
    assert [name for name, text in pages.items() if re.search(r"\bFDA\b", text)] == []


def test_the_example_site_shows_the_example_data_banner_on_every_page(example_site):
    banner = " ".join(locale_strings()["example.banner"].split())
    assert [p.name for p in files_below(example_site) if p.suffix == ".html" and banner not in visible_text(p)] == []


def test_the_example_site_describes_a_dietary_supplement_in_its_structured_data(example_site):
    soup = BeautifulSoup((example_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["about"] == [{"@type": "DietarySupplement", "name": "Vitamin D",
                              "alternateName": ["cholecalciferol", "colecalciferol", "vitamin D3"]}]


def test_a_real_project_refuses_the_example_sources(tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(EXAMPLE, project)
    site = project / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("example: true\n", ""), encoding="utf-8")
    lines = check_lines(project)
    assert [line for line in lines if line.endswith("[rule.example-content]")] == [
        f"content/sources/{name}.yaml:{line}:1: error: source '{name}' is invented example content, "
        "and this project is not an example [rule.example-content]"
        for name, line in (("example-smpc-colecalciferol", 8), ("example-trial2025", 11), ("example-web-sunshine", 10))
    ]
    assert "    hint: replace it with a real source, or set 'example: true' in site.yaml if the whole project is an example" in lines


def test_doses_may_be_in_any_unit_the_site_lists(tmp_path):
    site = "title: T\ntagline: t\nbase_url: https://example.org/\nlanguage: en\ndisclaimer: d\n" \
           "dose_units: [IU, µg]\ncondition_groups:\n  - id: pain\n    name: Pain\n"
    from conftest import CONDITION_YAML
    condition = CONDITION_YAML.replace("    reviewed: 2024-01-01", "    dose: 25 µg once daily\n    reviewed: 2024-01-01")
    assert check_lines(write_project(tmp_path / "ok", {"content/site.yaml": site, "content/conditions/fibromyalgia.yaml": condition})) == []
    in_mg = condition.replace("25 µg", "4.5 mg")
    assert check_lines(write_project(tmp_path / "mg", {"content/site.yaml": site, "content/conditions/fibromyalgia.yaml": in_mg}))[0] == (
        "content/conditions/fibromyalgia.yaml:17:5: error: claim 'ldn-fibro-pain': dose '4.5 mg once daily' is in 'mg', "
        "not in 'IU' or 'µg' [rule.dose-unit]")


# --- the locale file: a second one, wrapping every string, shows where each is used ------------------------------

def pseudo_locale() -> dict:
    """English with every string wrapped in ⟦ ⟧ (placeholders kept), as a project's locale/en.yaml."""
    text = (Path(__import__("ldnsite").__file__).parent / "content" / "locale" / "en.yaml").read_text(encoding="utf-8")

    def wrap(node):
        return {k: wrap(v) for k, v in node.items()} if isinstance(node, dict) else f"⟦{' '.join(str(node).split())}⟧"
    return wrap(yaml.safe_load(text))


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("pseudo") / "project"
    shutil.copytree(EXAMPLE, project)
    (project / "locale").mkdir()
    (project / "locale" / "en.yaml").write_text(yaml.safe_dump(pseudo_locale(), allow_unicode=True), encoding="utf-8")
    out = project / "build"
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--out", out, "--no-search", "--strict")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def pseudo_ldn_site(tmp_path_factory) -> Path:
    """The LDN site built with the wrapped locale: every kind of page and part (labels, research under way, outcomes,
    'Why this grade', claim checks, edit links), with lists small enough to be split, and the site's own tier texts
    and wording taken out so that every string is the locale's."""
    project = tmp_path_factory.mktemp("pseudo-ldn") / "project"
    shutil.copytree(REPO / "content", project / "content")
    site_file = project / "content" / "site.yaml"
    site = yaml.safe_load(site_file.read_text(encoding="utf-8"))
    del site["tiers"], site["wording"]
    site["list_page_size"] = 20
    site_file.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (project / "locale").mkdir()
    (project / "locale" / "en.yaml").write_text(yaml.safe_dump(pseudo_locale(), allow_unicode=True), encoding="utf-8")
    out = project / "build"
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--out", out, "--no-search")
    assert result.exit_code == 0, result.output
    return out


PAGE_OF_TEMPLATE = {
    "404.html": "404.html", "index.html": "index.html", "condition.html": "conditions/*.html", "claim.html": "claims/*.html",
    "evidence_map_index.html": "evidence-map.html", "evidence_map.html": "evidence-map/*.html",
    "sources_index.html": "sources/index.html", "sources.html": "sources/design/*.html", "source.html": "sources/*.html",
    "label.html": "labels/*.html", "methodology.html": "methodology.html", "disclaimer.html": "disclaimer.html",
    "search.html": "search.html", "sitemap.xml": "sitemap.xml", "robots.txt": "robots.txt",
}
"""A page of the LDN site each template of the default theme renders (the macros of _parts.html and base.html are in all)."""


def test_the_pseudo_locale_build_renders_every_template_of_the_theme(pseudo_ldn_site):
    templates = sorted(p.name for p in TEMPLATES.iterdir() if p.is_file() and p.name not in {"_parts.html", "base.html"})
    assert sorted(PAGE_OF_TEMPLATE) == templates, "a new template needs a page here, so that the locale test covers it"
    assert [name for name, pattern in PAGE_OF_TEMPLATE.items() if not list(pseudo_ldn_site.glob(pattern))] == []
    text = " ".join(visible_text(p) for p in files_below(pseudo_ldn_site) if p.suffix == ".html")
    parts = ["Why this grade", "Summary of findings", "Research under way", "Claim check", "Suggest a correction",
             "Background reading", "Cite this page"]
    assert [part for part in parts if f"⟦{part}" not in text] == []


def unwrapped(text: str) -> str:
    """The text with every ⟦wrapped⟧ string (innermost first) taken out."""
    while True:
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", "", text)
        if shorter == text:
            return text
        text = shorter


def english(site_values: dict) -> list[str]:
    """Every English string as a page would show it, for the strings long enough to be recognised."""
    shown = []
    for key, value in locale_strings().items():
        try:
            text, shortest = " ".join(value.format(**site_values).split()), 12
        except KeyError:  # takes a value of its own (a count, a condition): its longest run of words is checked
            text, shortest = max(re.split(r"\{[a-z_]+\}", " ".join(value.split())), key=len).strip(), 20
        if len(text) >= shortest:
            shown.append(text)
    return shown


def english_left(site: Path, intervention: str, regulator: str, content: Path) -> dict[str, list[str]]:
    """The English strings of the locale file that a page built with the wrapped locale still shows, by page.

    A string the content itself says (a source titled 'FDA approval') is not looked for.
    """
    written = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in files_below(content))
    strings = locale_strings()
    values = {"intervention": intervention, "regulator": strings[f"regulator.{regulator}.name"],
              **{part: strings[f"regulator.{regulator}.{part}"]
                 for part in ("approved", "label", "a_label", "approved_by", "label_kind", "approval_kind")}}
    shown = [text for text in english(values) if text not in written]
    left = {}
    for page in files_below(site):
        if page.suffix not in {".html", ".xml", ".json", ".txt"}:
            continue
        text = unwrapped(" ".join(page.read_text(encoding="utf-8").split()))
        if found := [s for s in shown if s in text]:
            left[page.relative_to(site).as_posix()] = found
    return left


def test_a_second_locale_file_replaces_every_string_the_theme_takes_from_the_locale(pseudo_site):
    assert english_left(pseudo_site, "vitamin D", "ema", EXAMPLE / "content") == {}


def test_a_second_locale_file_replaces_every_string_of_every_page_of_the_ldn_site(pseudo_ldn_site):
    assert english_left(pseudo_ldn_site, "naltrexone", "fda", REPO / "content") == {}


def content_strings(content: Path) -> re.Pattern:
    """A pattern matching, as whole words, any text the content's YAML files hold: its values, their paragraphs and list
    items, with and without their Markdown."""
    def scalars(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from scalars(value)
        elif isinstance(node, list):
            for value in node:
                yield from scalars(value)
        elif node is not None:
            yield str(node)
    texts = set()
    for file in files_below(content):
        for value in scalars(yaml.safe_load(file.read_text(encoding="utf-8"))):
            for piece in [value, *re.split(r"\n\s*\n|\n\s*[-*+]\s+|\n\s*\d+\.\s+", value)]:
                piece = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", piece)
                plain = re.sub(r"[*_`]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", piece))
                texts.update(" ".join(text.split()) for text in (piece, plain))
            if len(value) < 40:  # an author: pages cite 'Smith 2011'
                texts.add(value.split(" ")[0])
    ordered = sorted((text for text in texts if len(text) >= 2), key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(text)}(?!\w)" for text in ordered))


NAMES = {"PubMed", "Central", "ClinicalTrials", "gov", "DOI", "doi", "PMID", "BibTeX", "RIS", "CSL", "JSON"}
"""Words pages may show that no locale translates: the names of outside services and of file formats."""


def words_of_no_string(site: Path, content: Path) -> dict[str, list[str]]:
    """The words a page shows (text, labels, titles, descriptions) that are neither a locale string nor the content's."""
    written = content_strings(content)
    left = {}
    for page in files_below(site):
        if page.suffix != ".html":
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["script", "style", "code"]) + soup.find_all(attrs={"data-pagefind-filter": True}):  # code, keys
            tag.decompose()
        texts = [soup.get_text(" ")]
        for tag in soup.find_all(True):
            texts += [tag[name] for name in ("title", "aria-label", "alt", "placeholder", "data-label") if tag.has_attr(name)]
            texts += [value for name, value in tag.attrs.items() if name.startswith("data-") and "⟦" in str(value)]
            if tag.name == "meta" and (tag.get("name") == "description" or tag.get("property") in ("og:title", "og:description")):
                texts.append(tag["content"])
        # A string cut short (a description's [:300]) loses its closing bracket: it ends at the next part.
        shown = re.sub(r"⟦[^⟦⟧¦]*", "", unwrapped(" ¦ ".join(" ".join(text.split()) for text in texts)))
        words = [word for word in re.findall(r"[^\W\d_]{2,}", written.sub(" ", shown)) if word not in NAMES]
        if words:
            left[page.relative_to(site).as_posix()] = words
    return left


def test_every_word_a_page_shows_is_the_locales_or_the_contents(pseudo_site, pseudo_ldn_site):
    assert words_of_no_string(pseudo_site, EXAMPLE / "content") == {}
    assert words_of_no_string(pseudo_ldn_site, REPO / "content") == {}


ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")


def test_the_scripts_hold_no_words_of_their_own_and_take_them_from_the_page():
    """A script's visible words are the page's data- attributes, written from the locale (the CSP forbids inline scripts)."""
    found = []
    for script in sorted((TEMPLATES / "static").glob("*.js")):
        code = re.sub(r"/\*.*?\*/", "", script.read_text(encoding="utf-8"), flags=re.S)
        found += [f"{script.name}: {literal}" for literal in re.findall(r'"[^"\n]*"', code)
                  if ENGLISH_WORDS.search(literal) and literal != '"use strict"']
    assert found == []


def test_page_titles_descriptions_and_tier_names_come_from_the_locale(pseudo_site):
    soup = BeautifulSoup((pseudo_site / "conditions" / "fatigue.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.title.string.startswith("⟦Fatigue: vitamin D evidence⟧")
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith("⟦Fatigue: what studies show")
    assert "⟦Off-label, studied in humans⟧" in soup.find("h2", id="tier-off-label").get_text()
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["description"].startswith("⟦Fatigue: what studies show")


def test_a_locale_string_the_theme_does_not_have_is_reported(tmp_path):
    project = write_project(tmp_path, {"locale/en.yaml": "page:\n  condition:\n    titel: '{condition}'\n"})
    assert check_lines(project)[:2] == [
        "locale/en.yaml:3:5: error: locale string 'page.condition.titel' is not a key of the default locale file [rule.unknown-wording]",
        "    hint: did you mean 'page.condition.title'?",
    ]


def test_a_tier_text_with_a_placeholder_it_cannot_fill_is_reported(tmp_path):
    site = ("title: T\ntagline: t\nbase_url: https://example.org/\nlanguage: en\ndisclaimer: d\n"
            "tiers:\n  - status: off-label\n    name: Studied in {population}\n    summary: s\n    description: d\n"
            "condition_groups:\n  - id: pain\n    name: Pain\n")
    assert check_lines(write_project(tmp_path, {"content/site.yaml": site}))[0] == (
        "content/site.yaml:7:5: error: tier 'off-label' name uses '{population}', which it cannot fill [rule.wording-placeholder]")


def test_site_wording_replaces_the_locale_and_keeps_its_placeholders(tmp_path):
    site = ("title: T\ntagline: t\nbase_url: https://example.org/\nlanguage: en\ndisclaimer: d\n"
            "intervention: {name: vitamin D, kind: supplement}\nregulator: none\n"
            "wording:\n  - key: page.condition.title\n    text: '{condition} and {intervention}: {{evidence}}'\n"
            "condition_groups:\n  - id: pain\n    name: Pain\n")
    project = write_project(tmp_path, {"content/site.yaml": site})
    out = tmp_path / "out"
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--out", out, "--no-search")
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup((out / "conditions" / "fibromyalgia.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.title.string.startswith("Fibromyalgia and vitamin D: {evidence}")
    assert "Approved" in visible_text(out / "methodology.html") and "must cite a licence or approval" in visible_text(out / "methodology.html")
