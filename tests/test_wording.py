"""Counts read as English (issue 16): '1 participant', never '1 participants' or 'All 1 claims',
and items listed with a separator keep a space on both sides of it, even as plain text."""

import re
from html.parser import HTMLParser

import pytest

from conftest import REPO, TEMPLATES, run_cli, write_project
from ldnsite.plan.views import counted
from ldnsite.content.wording import Words, default_words

@pytest.mark.parametrize("count, expected", [(0, "0 claims"), (1, "1 claim"), (2, "2 claims"), (12345, "12,345 claims")])
def test_counted_uses_the_singular_for_one_only(count, expected):
    assert counted(count, "claim") == expected


def test_counted_takes_the_locales_form_for_one_and_for_any_other_number():
    english = default_words()
    german = Words(tuple({**dict(english.strings), "count.claim.one": "{count} Aussage",
                          "count.claim.other": "{count} Aussagen"}.items()), english.values)
    assert (counted(1, "claim", german), counted(3, "claim", german)) == ("1 Aussage", "3 Aussagen")


class _Text(HTMLParser):
    """The text of a page as a reader's tools see it (markup removed, nothing collapsed)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_texts(out) -> dict[str, str]:
    texts = {}
    for page in sorted(out.rglob("*.html")):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        texts[page.relative_to(out).as_posix()] = " ".join("".join(parser.parts).split())
    return texts


@pytest.fixture(scope="module")
def one_of_each(tmp_path_factory):
    """A site with one claim, one condition and one source of one participant: every count is 1."""
    project = write_project(tmp_path_factory.mktemp("one"), {})
    (project / "content/sources/trial2020.yaml").write_text(
        "id: trial2020\nkind: randomized-trial\ntitle: A trial\nyear: 2020\nverified: test\nparticipants: 1\n")
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search")
    assert result.exit_code == 0, result.output
    return page_texts(project / "build")


WRONG = re.compile(r"\b1 (participants|claims|sources|conditions)\b|\b[Aa]ll 1 |\S·|·\S")


def test_a_site_where_every_count_is_one_says_so_in_the_singular(one_of_each):
    assert {path: WRONG.findall(text) for path, text in one_of_each.items() if WRONG.search(text)} == {}
    assert "1 claim about 1 condition or topic" in one_of_each["index.html"]
    assert "Randomized controlled trial · 1 participant · 2020" in one_of_each["claims/ldn-fibro-pain.html"]


def test_the_real_site_has_no_count_in_the_wrong_number_and_no_separator_without_its_space(tmp_path):
    out = tmp_path / "build"
    assert run_cli("build", "--project", REPO, "--templates", TEMPLATES, "--out", out, "--no-search").exit_code == 0
    texts = page_texts(out)
    assert {path: WRONG.findall(text) for path, text in texts.items() if WRONG.search(text)} == {}
    # The home page's topics are separated by a ' ·' the style sheet adds after each item: without white
    # space between the items in the HTML, a reader's tools saw 'Anxiety ·Cancer'.
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "tier-topics" in home and "</li><li" not in home
