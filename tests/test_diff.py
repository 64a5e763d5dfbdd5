"""`ldnsite diff`: every change a reviewer must check, between two git revisions, in text and Markdown."""

import shutil
import subprocess
from pathlib import Path

import conftest
import pytest
from conftest import OUTCOME_YAML, SITE_YAML, SOURCE_RCT, run_cli, write_project

GRADING_LINE = "    grading: " + conftest.CONDITION_YAML.split("    grading: ")[1]
CONDITION_YAML = conftest.CONDITION_YAML.replace(GRADING_LINE, "")
"""The base claim without its GRADE inputs (a warning, not an error), so that a test can change its grade alone;
test_a_change_to_grading_or_outcomes_is_reported compares the inputs."""

ROOT = Path(__file__).resolve().parents[1]
SECOND_SOURCE = "id: trial2021\nkind: randomized-trial\ntitle: Another trial\nyear: 2021\nverified: test\n"
NEW_CLAIM = """\
  - id: ldn-fibro-sleep
    title: LDN improves sleep
    statement: Not studied.
    status: off-label
    grade: very-low
    direction: mixed
    verdict: uncertain
    sources:
      - id: trial2021
        role: supports
    reviewed: 2024-02-01
"""
CITED = "      - id: trial2020\n        role: supports\n"
QUOTED = CITED + "        quote: Pain fell by a third.\n        finding: Less pain at 12 weeks.\n"
BASE_CONDITION = CONDITION_YAML.replace(CITED, QUOTED) + NEW_CLAIM


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def commit(repo, message, edits):
    """Apply {path: (old, new)} text replacements (or {path: text} for a new file) and commit them."""
    for relative, edit in edits.items():
        path = repo / relative
        if isinstance(edit, tuple):
            text = path.read_text()
            assert edit[0] in text, f"{edit[0]!r} not in {relative}"
            path.write_text(text.replace(edit[0], edit[1], 1))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edit)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD")


def new_repo(root, files=None):
    project = write_project(
        root,
        {
            "content/sources/trial2021.yaml": SECOND_SOURCE,
            "content/sources/trial2020.yaml": SOURCE_RCT + "pmid: '38258677'\n",
            "content/conditions/fibromyalgia.yaml": BASE_CONDITION,
            **(files or {}),
        },
    )
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.email", "t@example.org")
    git(project, "config", "user.name", "Test")
    git(project, "add", ".")
    git(project, "commit", "-qm", "first")
    return project


CONDITION = "content/conditions/fibromyalgia.yaml"
LONG_DISCLAIMER = "Not medical advice. Ask your doctor before you start, stop or change any medicine, LDN included."

# One commit per kind of change: (name, edits, lines the text form must show, lines the Markdown form must show).
KINDS = [
    (
        "quote",
        {CONDITION: ("quote: Pain fell by a third.", "quote: Pain fell by a quarter.")},
        [
            "CHANGED claim 'ldn-fibro-pain' (Fibromyalgia): LDN reduces pain",
            "  trial2020 quote: Pain fell by a third. → Pain fell by a quarter.",
        ],
        [
            "| claim | `ldn-fibro-pain` (Fibromyalgia) | changed | "
            "trial2020 quote: Pain fell by a third. → **Pain fell by a quarter.** |"
        ],
    ),
    (
        "finding",
        {CONDITION: ("finding: Less pain at 12 weeks.", "finding: No less pain at 12 weeks.")},
        ["  trial2020 finding: Less pain at 12 weeks. → No less pain at 12 weeks."],
        [
            "| claim | `ldn-fibro-pain` (Fibromyalgia) | changed | "
            "trial2020 finding: Less pain at 12 weeks. → **No less pain at 12 weeks.** |"
        ],
    ),
    (
        "summary",
        {CONDITION: ("summary: LDN may help.", "summary: LDN may help some people.")},
        ["Conditions:", "CHANGED condition 'fibromyalgia': Fibromyalgia", "  summary: LDN may help. → LDN may help some people."],
        ["| condition | `fibromyalgia` | changed | summary: LDN may help. → **LDN may help some people.** |"],
    ),
    (
        "disclaimer",
        {"content/site.yaml": ("disclaimer: Not medical advice.", f"disclaimer: {LONG_DISCLAIMER}")},
        [
            "Site settings:",
            "CHANGED site 'site.yaml': Test Evidence",
            "  disclaimer was:",
            "    Not medical advice.",
            "  disclaimer now:",
            f"    {LONG_DISCLAIMER}",
        ],
        [
            "| site | `site.yaml` | changed | disclaimer edited |",
            "<details><summary>Site <code>site.yaml</code>: disclaimer</summary>",
            "**disclaimer** before:",
            "> Not medical advice.",
            "**disclaimer** after:",
            f"> {LONG_DISCLAIMER}",
            "</details>",
        ],
    ),
    (
        "site title",
        {"content/site.yaml": ("title: Test Evidence", "title: LDN Evidence")},
        ["CHANGED site 'site.yaml': LDN Evidence", "  title: Test Evidence → LDN Evidence"],
        ["| site | `site.yaml` | changed | title: Test Evidence → **LDN Evidence** |"],
    ),
    (
        "site group",
        {"content/site.yaml": ("    name: Pain\n", "    name: Pain conditions\n")},
        ["  condition groups: pain (Pain) → pain (Pain conditions)"],
        ["| site | `site.yaml` | changed | condition groups: pain (Pain) → **pain (Pain conditions)** |"],
    ),
    (
        "pmid",
        {"content/sources/trial2020.yaml": ("pmid: '38258677'", "pmid: '38258678'")},
        ["Sources:", "CHANGED source 'trial2020': A trial", "  pmid: 38258677 → 38258678"],
        ["| source | `trial2020` | changed | pmid: 38258677 → **38258678** |"],
    ),
    (
        "doi added",
        {"content/sources/trial2020.yaml": ("year: 2020\n", "year: 2020\ndoi: 10.1000/xyz\n")},
        ["  doi: 10.1000/xyz"],
        ["| source | `trial2020` | changed | doi: **10.1000/xyz** |"],
    ),
    (
        "source added",
        {
            "content/sources/trial2022.yaml": SECOND_SOURCE.replace("2021", "2022").replace("Another", "A third"),
            CONDITION: ("      - id: trial2021\n", "      - id: trial2022\n        role: background\n      - id: trial2021\n"),
        },
        [
            "ADDED source 'trial2022': A third trial",
            "  kind: randomized-trial",
            "  verified: test",
            "CHANGED claim 'ldn-fibro-sleep' (Fibromyalgia): LDN improves sleep",
            "  + source trial2022 (background)",
        ],
        [
            "| source | `trial2022` | added | kind: **randomized-trial**; verified: **test** |",
            "| claim | `ldn-fibro-sleep` (Fibromyalgia) | changed | + `trial2022 (background)` |",
        ],
    ),
    (
        "source removed",
        {
            "content/sources/trial2021.yaml": ("title: Another trial", "title: Another trial"),
            CONDITION: ("      - id: trial2021\n        role: supports\n", "      - id: trial2020\n        role: supports\n"),
        },
        ["  + source trial2020 (supports)", "  - source trial2021"],
        ["| claim | `ldn-fibro-sleep` (Fibromyalgia) | changed | + `trial2020 (supports)`; − `trial2021` |"],
    ),
    (
        "role",
        {CONDITION: ("      - id: trial2021\n        role: supports", "      - id: trial2021\n        role: contradicts")},
        ["CHANGED claim 'ldn-fibro-sleep' (Fibromyalgia): LDN improves sleep", "  trial2021 role: supports → contradicts"],
        ["| claim | `ldn-fibro-sleep` (Fibromyalgia) | changed | trial2021 role: supports → **contradicts** |"],
    ),
    (
        "tier up",
        {CONDITION: ("status: off-label\n    grade: very-low", "status: fda-approved\n    grade: very-low")},
        None,
        None,
    ),  # content errors at head: exercised in test_invalid_content_at_a_revision_is_reported
    (
        "grade and statement",
        {CONDITION: ("grade: low", "grade: moderate")},
        ["  !! grade raised from 'low' to 'moderate' without a new source", "  grade: low → moderate"],
        [
            "> - `ldn-fibro-pain`: grade raised from 'low' to 'moderate' without a new source",
            "| claim | `ldn-fibro-pain` (Fibromyalgia) | changed | grade: low → **moderate** |",
        ],
    ),
    (
        "claim removed",
        {CONDITION: (NEW_CLAIM, ""), "content/sources/trial2021.yaml": None},
        [
            "REMOVED claim 'ldn-fibro-sleep' (Fibromyalgia): LDN improves sleep",
            "  !! claim removed: check that the evidence really no longer supports listing it",
            "REMOVED source 'trial2021': Another trial",
        ],
        [
            "| claim | `ldn-fibro-sleep` (Fibromyalgia) | removed | LDN improves sleep |",
            "| source | `trial2021` | removed | Another trial |",
        ],
    ),
]
KINDS = [k for k in KINDS if k[2] is not None]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A repository with one commit per kind of change, each on top of the same first commit."""
    repo = new_repo(tmp_path_factory.mktemp("history"))
    first = git(repo, "rev-parse", "HEAD")
    commits = {}
    for name, edits, _, _ in KINDS:
        git(repo, "checkout", "-q", "--detach", first)
        removals = [path for path, edit in edits.items() if edit is None]
        for path in removals:
            git(repo, "rm", "-q", path)
        commits[name] = commit(repo, name, {p: e for p, e in edits.items() if e is not None})
    git(repo, "checkout", "-q", "main")
    return repo, first, commits


@pytest.mark.parametrize("name, text_lines, markdown_lines", [(k[0], k[2], k[3]) for k in KINDS], ids=[k[0] for k in KINDS])
def test_each_kind_of_change_appears_in_both_forms(history, name, text_lines, markdown_lines):
    repo, first, commits = history
    text = run_cli("diff", first, commits[name], "--project", repo)
    assert text.exit_code == 0, text.output
    assert "No evidence changes" not in text.output
    lines = text.output.splitlines()
    assert [line for line in text_lines if line not in lines] == []
    markdown = run_cli("diff", first, commits[name], "--project", repo, "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    lines = markdown.output.splitlines()
    assert [line for line in markdown_lines if line not in lines] == []
    assert lines.index("| what | id | change | summary |") < min(
        lines.index(line) for line in markdown_lines if not line.startswith(">")
    )


@pytest.fixture
def repo(tmp_path):
    """A repository whose second commit edits, adds and removes claims and sources."""
    project = write_project(
        tmp_path,
        {
            "content/sources/trial2021.yaml": SECOND_SOURCE,
            "content/conditions/fibromyalgia.yaml": CONDITION_YAML + NEW_CLAIM.replace("ldn-fibro-sleep", "ldn-fibro-old"),
        },
    )
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.email", "t@example.org")
    git(project, "config", "user.name", "Test")
    git(project, "add", ".")
    git(project, "commit", "-qm", "first")
    edited = (
        CONDITION_YAML.replace("grade: low", "grade: moderate")
        .replace(
            "statement: A trial found less pain.",
            "statement: A trial found a little less pain, and the effect lasted for months.",
        )
        .replace("role: supports\n    reviewed: 2024-01-01", "role: supports\n    reviewed: 2024-03-01")
        + NEW_CLAIM
    )
    (project / "content/conditions/fibromyalgia.yaml").write_text(edited)
    (project / "content/sources/trial2020.yaml").write_text(SOURCE_RCT.replace("title: A trial", "title: A renamed trial"))
    git(project, "commit", "-qam", "second")
    return project


def test_text_report_lists_every_change(repo):
    result = run_cli("diff", "HEAD~1", "HEAD", "--project", repo)
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == """\
Evidence changes from HEAD~1 to HEAD: 1 claim added, 1 claim changed, 1 claim removed, 1 source changed

Claims:
REMOVED claim 'ldn-fibro-old' (Fibromyalgia): LDN improves sleep
  !! claim removed: check that the evidence really no longer supports listing it
CHANGED claim 'ldn-fibro-pain' (Fibromyalgia): LDN reduces pain
  !! grade raised from 'low' to 'moderate' without a new source
  grade: low → moderate
  last reviewed: 2024-01-01 → 2024-03-01
  statement was:
    A trial found less pain.
  statement now:
    A trial found a little less pain, and the effect lasted for months.
ADDED claim 'ldn-fibro-sleep' (Fibromyalgia): LDN improves sleep
  tier: off-label
  grade: very-low
  direction: mixed
  verdict: uncertain
  last reviewed: 2024-02-01
  statement: Not studied.
  + source trial2021 (supports)

Sources:
CHANGED source 'trial2020': A renamed trial
  title: A trial → A renamed trial
"""
    )


def test_markdown_report_puts_call_outs_and_a_summary_table_first_and_folds_the_texts(repo):
    result = run_cli("diff", "HEAD~1", "HEAD", "--project", repo, "--format", "markdown")
    assert result.exit_code == 0
    assert (
        result.output
        == """\
### Evidence changes

From `HEAD~1` to `HEAD`: 1 claim added, 1 claim changed, 1 claim removed, 1 source changed.

> [!WARNING]
> Needs a reviewer's attention:
> - `ldn-fibro-old`: claim removed: check that the evidence really no longer supports listing it
> - `ldn-fibro-pain`: grade raised from 'low' to 'moderate' without a new source

| what | id | change | summary |
|---|---|---|---|
| claim | `ldn-fibro-old` (Fibromyalgia) | removed | LDN improves sleep |
| claim | `ldn-fibro-pain` (Fibromyalgia) | changed | grade: low → **moderate**; \
last reviewed: 2024-01-01 → **2024-03-01**; statement edited |
| claim | `ldn-fibro-sleep` (Fibromyalgia) | added | tier: **off-label**; grade: **very-low**; direction: **mixed**; \
verdict: **uncertain**; last reviewed: **2024-02-01**; statement: **Not studied.**; + `trial2021 (supports)` |
| source | `trial2020` | changed | title: A trial → **A renamed trial** |

<details><summary>Claim <code>ldn-fibro-pain</code>: statement</summary>

**statement** before:

> A trial found less pain.

**statement** after:

> A trial found a little less pain, and the effect lasted for months.

</details>

"""
    )


def test_only_sources_changed(history):
    repo, first, commits = history
    result = run_cli("diff", first, commits["pmid"], "--project", repo)
    assert result.output == (
        f"Evidence changes from {first} to {commits['pmid']}: 1 source changed\n\nSources:\n"
        "CHANGED source 'trial2020': A trial\n  pmid: 38258677 → 38258678\n"
    )
    markdown = run_cli("diff", first, commits["pmid"], "--project", repo, "--format", "markdown").output
    assert markdown == (
        f"### Evidence changes\n\nFrom `{first}` to `{commits['pmid']}`: 1 source changed.\n\n"
        "| what | id | change | summary |\n|---|---|---|---|\n"
        "| source | `trial2020` | changed | pmid: 38258677 → **38258678** |\n\n"
    )


def test_only_claims_changed(history):
    repo, first, commits = history
    result = run_cli("diff", first, commits["role"], "--project", repo)
    assert result.output == (
        f"Evidence changes from {first} to {commits['role']}: 1 claim changed\n\nClaims:\n"
        "CHANGED claim 'ldn-fibro-sleep' (Fibromyalgia): LDN improves sleep\n"
        "  trial2021 role: supports → contradicts\n"
    )
    markdown = run_cli("diff", first, commits["role"], "--project", repo, "--format", "markdown").output
    assert "> [!WARNING]" not in markdown
    assert "<details>" not in markdown
    assert markdown.endswith(
        "| claim | `ldn-fibro-sleep` (Fibromyalgia) | changed | trial2021 role: supports → **contradicts** |\n\n"
    )


def test_only_site_settings_changed(history):
    repo, first, commits = history
    result = run_cli("diff", first, commits["site title"], "--project", repo)
    assert result.output.splitlines()[0] == f"Evidence changes from {first} to {commits['site title']}: site settings changed"


def test_a_grade_rise_with_a_new_source_is_not_called_out(repo):
    path = repo / "content/conditions/fibromyalgia.yaml"
    text = path.read_text().replace(
        "      - id: trial2020\n        role: supports\n    reviewed: 2024-03-01",
        "      - id: trial2020\n        role: supports\n      - id: trial2021\n        role: supports\n    reviewed: 2024-03-01",
        1,
    )
    path.write_text(text)
    result = run_cli("diff", "HEAD~1", "--project", repo)
    assert "without a new source" not in result.output
    assert "  + source trial2021 (supports)" in result.output


def test_a_claim_moved_to_a_stronger_tier_is_called_out(repo):
    path = repo / "content/conditions/fibromyalgia.yaml"
    path.write_text(path.read_text().replace("status: off-label\n    grade: very-low", "status: anecdotal\n    grade: very-low"))
    git(repo, "commit", "-qam", "down")
    path.write_text(path.read_text().replace("status: anecdotal\n    grade: very-low", "status: off-label\n    grade: very-low"))
    result = run_cli("diff", "HEAD", "--project", repo)
    assert result.exit_code == 0, result.output
    assert (
        "  !! moved up from 'anecdotal' to 'off-label': check the sources support the stronger tier" in result.output.splitlines()
    )
    assert "  tier: anecdotal → off-label" in result.output.splitlines()


def test_default_head_is_the_working_tree_and_no_change_is_said_plainly(repo):
    assert run_cli("diff", "HEAD", "--project", repo).output == "No evidence changes between HEAD and working tree.\n"
    assert run_cli("diff", "HEAD", "--project", repo, "--format", "markdown").output == (
        "### Evidence changes\n\nNo evidence changes between `HEAD` and `working tree`.\n\n"
    )


def test_unknown_revision_is_a_usage_error(repo):
    result = run_cli("diff", "nope", "--project", repo)
    assert result.exit_code == 2
    assert "unknown revision 'nope'" in result.output


def test_invalid_content_at_a_revision_is_reported(repo):
    path = repo / "content/conditions/fibromyalgia.yaml"
    path.write_text(path.read_text().replace("grade: moderate", "grade: best"))
    result = run_cli("diff", "HEAD", "--project", repo)
    assert result.exit_code == 1
    assert result.output.startswith(
        "ldnsite: the content at the working tree has errors; fix them first:\n"
        "content/conditions/fibromyalgia.yaml:11:12: error: claim 'ldn-fibro-pain': grade 'best'"
    )


def test_a_template_edit_lists_the_pages_whose_html_changes(tmp_path):
    repo = new_repo(tmp_path)
    shutil.copytree(ROOT / "templates", repo / "templates")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "theme")
    page = repo / "templates/condition.html"
    page.write_text(page.read_text().replace("{% endblock %}", "<p>New note.</p>\n{% endblock %}"))
    result = run_cli("diff", "HEAD", "--project", repo)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Evidence changes from HEAD to working tree: 1 page with different HTML",
        "",
        "Pages whose HTML changes (templates edited):",
        "  changed conditions/fibromyalgia.html",
    ]
    markdown = run_cli("diff", "HEAD", "--project", repo, "--format", "markdown").output.splitlines()
    assert "| pages | 1 page | 1 changed | templates edited |" in markdown
    assert (
        markdown[markdown.index("<details><summary>Pages whose HTML changes</summary>") + 2]
        == "- changed: `conditions/fibromyalgia.html`"
    )


def load(root, files):
    from ldnsite.content.load import load_database

    project = write_project(root, {CONDITION: CONDITION_YAML, **files})
    db, problems = load_database(project / "content", project)
    assert db is not None, problems
    return db


LUPUS = """\
condition:
  id: lupus
  name: Lupus
  group: pain
  summary: Little is known.
claims:
  - id: ldn-lupus
    title: LDN eases lupus fatigue
    statement: One small study.
    status: off-label
    grade: very-low
    direction: benefit
    verdict: uncertain
    sources:
      - id: trial2020
        role: supports
    reviewed: 2024-01-01
"""


def test_a_condition_added_is_shown_with_its_name_group_and_summary(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_markdown, format_text

    old = load(tmp_path / "old", {})
    new = load(tmp_path / "new", {"content/conditions/lupus.yaml": LUPUS})
    diff = compare_databases(old, new)
    assert format_text(diff, "a", "b").splitlines() == [
        "Evidence changes from a to b: 1 claim added, 1 condition added",
        "",
        "Claims:",
        "ADDED claim 'ldn-lupus' (Lupus): LDN eases lupus fatigue",
        "  tier: off-label",
        "  grade: very-low",
        "  direction: benefit",
        "  verdict: uncertain",
        "  last reviewed: 2024-01-01",
        "  statement: One small study.",
        "  + source trial2020 (supports)",
        "",
        "Conditions:",
        "ADDED condition 'lupus': Lupus",
        "  name: Lupus",
        "  group: pain",
        "  summary: Little is known.",
    ]
    assert (
        "| condition | `lupus` | added | name: **Lupus**; group: **pain**; summary: **Little is known.** |"
        in format_markdown(diff, "a", "b").splitlines()
    )
    back = compare_databases(new, old)
    assert format_text(back, "b", "a").splitlines()[0] == "Evidence changes from b to a: 1 claim removed, 1 condition removed"
    assert "REMOVED condition 'lupus': Lupus" in format_text(back, "b", "a").splitlines()
    assert "| condition | `lupus` | removed | Lupus |" in format_markdown(back, "b", "a").splitlines()


def test_a_dose_removed_and_a_claim_moved_to_another_condition(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_markdown, format_text

    old = load(
        tmp_path / "old", {"content/conditions/lupus.yaml": LUPUS.replace("grade: very-low", "grade: very-low\n    dose: 4.5 mg")}
    )
    new = load(tmp_path / "new", {"content/conditions/lupus.yaml": LUPUS})
    assert "  dose: 4.5 mg → (none)" in format_text(compare_databases(old, new), "a", "b").splitlines()
    assert (
        "| claim | `ldn-lupus` (Lupus) | changed | dose: 4.5 mg → **(none)** |"
        in format_markdown(compare_databases(old, new), "a", "b").splitlines()
    )
    # ldn-fibro-pain moves from the fibromyalgia file into the lupus file; another claim keeps fibromyalgia valid.
    fibro_claims = CONDITION_YAML.split("claims:\n")[1]
    new = load(
        tmp_path / "moved",
        {
            "content/conditions/lupus.yaml": LUPUS + fibro_claims,
            "content/conditions/fibromyalgia.yaml": CONDITION_YAML.replace(
                fibro_claims, NEW_CLAIM.replace("trial2021", "trial2020")
            ),
        },
    )
    old = load(tmp_path / "before", {"content/conditions/lupus.yaml": LUPUS})
    text = format_text(compare_databases(old, new), "a", "b").splitlines()
    assert "CHANGED claim 'ldn-fibro-pain' (Lupus): LDN reduces pain" in text
    assert "  condition: Fibromyalgia → Lupus" in text
    regraded = load(
        tmp_path / "regraded",
        {
            "content/conditions/lupus.yaml": LUPUS + fibro_claims.replace("grade: low", "grade: very-low"),
            "content/conditions/fibromyalgia.yaml": CONDITION_YAML.replace(
                fibro_claims, NEW_CLAIM.replace("trial2021", "trial2020")
            ),
        },
    )
    text = format_text(compare_databases(old, regraded), "a", "b").splitlines()
    start = text.index("CHANGED claim 'ldn-fibro-pain' (Lupus): LDN reduces pain")
    assert text[start + 1 : start + 3] == ["  condition: Fibromyalgia → Lupus", "  grade: low → very-low"]


def test_long_texts_added_and_removed(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_markdown, format_text

    notes = "    notes: |\n      Two paragraphs of notes.\n\n      The second one.\n"
    with_notes = CONDITION_YAML.replace("    reviewed: 2024-01-01\n", "    reviewed: 2024-01-01\n" + notes)
    plain = load(tmp_path / "plain", {})
    noted = load(tmp_path / "noted", {"content/conditions/fibromyalgia.yaml": with_notes})
    added = format_text(compare_databases(plain, noted), "a", "b").splitlines()
    assert added[added.index("  notes now:") :] == ["  notes now:", "    Two paragraphs of notes.", "", "    The second one."]
    assert "  notes was:" not in added
    markdown = format_markdown(compare_databases(plain, noted), "a", "b").splitlines()
    assert "| claim | `ldn-fibro-pain` (Fibromyalgia) | changed | notes added |" in markdown
    assert markdown[markdown.index("**notes** before:") + 2] == "> *(none)*"
    removed = format_text(compare_databases(noted, plain), "b", "a").splitlines()
    assert removed[removed.index("  notes was:") :] == [
        "  notes was:",
        "    Two paragraphs of notes.",
        "",
        "    The second one.",
        "  notes now:",
        "    (removed)",
    ]
    markdown = format_markdown(compare_databases(noted, plain), "b", "a").splitlines()
    assert "| claim | `ldn-fibro-pain` (Fibromyalgia) | changed | notes removed |" in markdown
    assert markdown[markdown.index("**notes** before:") + 2 : markdown.index("**notes** before:") + 5] == [
        "> Two paragraphs of notes.",
        ">",
        "> The second one.",
    ]
    assert markdown[markdown.index("**notes** after:") + 2] == "> *(none)*"


def test_markdown_escapes_what_would_break_the_table(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_markdown

    old = load(tmp_path / "old", {})
    new = load(
        tmp_path / "new",
        {"content/sources/trial2020.yaml": SOURCE_RCT.replace("title: A trial", "title: A *bold* trial | x_y `z`")},
    )
    markdown = format_markdown(compare_databases(old, new), "a", "b").splitlines()
    assert "| source | `trial2020` | changed | title: A trial → **A \\*bold\\* trial \\| x\\_y \\`z\\`** |" in markdown


def test_pages_are_counted_by_kind(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_markdown, format_text

    db = load(tmp_path / "same", {})
    pages = (("a.html", "added"), ("b.html", "changed"), ("c.html", "changed"), ("d.html", "removed"))
    diff = compare_databases(db, db, pages)
    assert bool(diff) and not bool(compare_databases(db, db))
    assert format_text(diff, "a", "b").splitlines() == [
        "Evidence changes from a to b: 4 pages with different HTML",
        "",
        "Pages whose HTML changes (templates edited):",
        "  added a.html",
        "  changed b.html",
        "  changed c.html",
        "  removed d.html",
    ]
    markdown = format_markdown(diff, "a", "b").splitlines()
    assert "| pages | 4 pages | 1 added, 2 changed, 1 removed | templates edited |" in markdown
    assert markdown[-8:] == [
        "<details><summary>Pages whose HTML changes</summary>",
        "",
        "- added: `a.html`",
        "- changed: `b.html`",
        "- changed: `c.html`",
        "- removed: `d.html`",
        "",
        "</details>",
    ]


def test_a_text_over_60_characters_is_shown_in_full_before_and_after(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_text

    sixty, sixty_one = "x" * 59 + ".", "x" * 60 + "."
    for text, long in ((sixty, False), (sixty_one, True)):
        old = load(tmp_path / f"old{len(text)}", {})
        new = load(
            tmp_path / f"new{len(text)}",
            {
                "content/conditions/fibromyalgia.yaml": CONDITION_YAML.replace(
                    "statement: A trial found less pain.", f"statement: {text}"
                )
            },
        )
        lines = format_text(compare_databases(old, new), "a", "b").splitlines()
        assert ("  statement now:" in lines) is long
        assert (f"  statement: A trial found less pain. → {text}" in lines) is not long


def test_counts_use_plurals_and_alerts_name_their_claim(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_text

    two = CONDITION_YAML + NEW_CLAIM.replace("ldn-fibro-sleep", "ldn-fibro-two").replace("trial2021", "trial2020")
    old = load(tmp_path / "old", {"content/conditions/fibromyalgia.yaml": two})
    new = load(
        tmp_path / "new",
        {
            "content/conditions/fibromyalgia.yaml": two.replace("grade: low", "grade: moderate").replace(
                "grade: very-low", "grade: low"
            ),
            "content/sources/trial2020.yaml": SOURCE_RCT + "pmid: '1'\n",
            "content/sources/trial2021.yaml": SECOND_SOURCE,
        },
    )
    diff = compare_databases(old, new)
    assert (
        format_text(diff, "a", "b").splitlines()[0]
        == "Evidence changes from a to b: 2 claims changed, 1 source added, 1 source changed"
    )
    assert diff.alerts == [
        "ldn-fibro-pain: grade raised from 'low' to 'moderate' without a new source",
        "ldn-fibro-two: grade raised from 'very-low' to 'low' without a new source",
    ]


def test_every_claim_field_and_citation_detail_is_compared(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_text

    rich = CONDITION_YAML.replace(
        "    reviewed: 2024-01-01\n", "    reviewed: 2024-01-01\n    added: 2023-01-01\n    dose: 4.5 mg\n"
    ).replace("        role: supports\n", "        role: supports\n        locator: Table 2\n")
    edited = (
        rich.replace("title: LDN reduces pain", "title: LDN eases pain")
        .replace("added: 2023-01-01", "added: 2023-02-01")
        .replace("dose: 4.5 mg", "dose: 3 mg")
        .replace("locator: Table 2", "locator: Figure 1")
        .replace("direction: benefit", "direction: mixed")
        .replace("verdict: uncertain", "verdict: not-supported")
        .replace("grade: low", "grade: very-low")
        .replace("    reviewed: 2024-01-01\n", "    reviewed: 2024-01-01\n    grade_rationale: Downgraded for imprecision.\n")
    )
    old = load(tmp_path / "old", {CONDITION: rich})
    new = load(tmp_path / "new", {CONDITION: edited})
    assert format_text(compare_databases(old, new), "a", "b").splitlines()[3:] == [
        "CHANGED claim 'ldn-fibro-pain' (Fibromyalgia): LDN eases pain",
        "  title: LDN reduces pain → LDN eases pain",
        "  grade: low → very-low",
        "  direction: benefit → mixed",
        "  verdict: uncertain → not-supported",
        "  dose: 4.5 mg → 3 mg",
        "  added: 2023-01-01 → 2023-02-01",
        "  grade rationale: Downgraded for imprecision.",
        "  trial2020 locator: Table 2 → Figure 1",
    ]


def test_comments_and_moved_lines_are_no_change(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_text

    old = load(tmp_path / "old", {})
    comment = "# A comment that moves every line down.\n"
    new = load(
        tmp_path / "new",
        {
            "content/site.yaml": comment + SITE_YAML,
            "content/sources/trial2020.yaml": comment + SOURCE_RCT,
            CONDITION: comment + CONDITION_YAML,
        },
    )
    assert new.sources[0].location != old.sources[0].location
    assert format_text(compare_databases(old, new), "a", "b") == "No evidence changes between a and b."


def test_a_title_on_two_lines_stays_in_its_table_row(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_markdown

    old = load(
        tmp_path / "old",
        {"content/sources/trial2021.yaml": SECOND_SOURCE.replace("title: Another trial", "title: |\n  Two\n  lines")},
    )
    new = load(tmp_path / "new", {})
    markdown = format_markdown(compare_databases(old, new), "a", "b").splitlines()
    assert "| source | `trial2021` | removed | Two lines |" in markdown


def test_several_long_texts_of_one_claim_are_folded_together(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_markdown

    long = "A statement long enough to be shown before and after in full, not inline."
    notes = "    notes: |\n      Some notes,\n      on two lines.\n"
    old = load(tmp_path / "old", {})
    new = load(
        tmp_path / "new",
        {
            CONDITION: CONDITION_YAML.replace("statement: A trial found less pain.", f"statement: {long}").replace(
                "    reviewed: 2024-01-01\n", "    reviewed: 2024-01-01\n" + notes
            )
        },
    )
    markdown = format_markdown(compare_databases(old, new), "a", "b").splitlines()
    assert "| claim | `ldn-fibro-pain` (Fibromyalgia) | changed | statement edited; notes added |" in markdown
    assert "<details><summary>Claim <code>ldn-fibro-pain</code>: statement, notes</summary>" in markdown


OUTCOME = OUTCOME_YAML


def test_a_change_to_grading_or_outcomes_is_reported(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_text

    graded = CONDITION_YAML + GRADING_LINE
    old = load(tmp_path / "old", {CONDITION: graded + OUTCOME})
    regraded = graded.replace("grade: low", "grade: moderate").replace(
        "imprecision: {rating: serious, reason: Few participants.}", "imprecision: {rating: none, reason: Enough people.}"
    )
    new = load(tmp_path / "new", {CONDITION: regraded + OUTCOME.replace("estimate: -0.5", "estimate: -0.4")})
    assert format_text(compare_databases(old, new), "a", "b").splitlines()[3:] == [
        "CHANGED claim 'ldn-fibro-pain' (Fibromyalgia): LDN reduces pain",
        "  !! grade raised from 'low' to 'moderate' without a new source",
        "  grade: low → moderate",
        "  grading imprecision: serious (Few participants.) → none (Enough people.)",
        "  outcome Pain estimate: -0.5 → -0.4",
    ]
    ungraded = load(tmp_path / "ungraded", {CONDITION: CONDITION_YAML})
    assert format_text(compare_databases(ungraded, old), "a", "b").splitlines()[4:] == [
        "  grading: recorded, start high",
        "  outcome Pain: MD, reduces-slightly, certainty low",
    ]
    assert format_text(compare_databases(old, ungraded), "a", "b").splitlines()[4:] == [
        "  grading: recorded, start high → (none)",
        "  outcome Pain: MD, reduces-slightly, certainty low → (none)",
    ]


def test_an_outcome_kept_is_compared_by_its_interval_and_its_own_grading(tmp_path):
    from ldnsite.commands.diff import compare_databases, format_text

    graded_outcome = OUTCOME + "      " + GRADING_LINE.strip().replace("grading:", "  grading:", 1) + "\n"
    old = load(tmp_path / "old", {CONDITION: CONDITION_YAML + graded_outcome})
    edited = graded_outcome.replace("ci: [-1.0, 0.1]", "ci: [-0.9, 0.1]").replace(
        "reason: Few participants.", "reason: Forty participants."
    )
    new = load(tmp_path / "new", {CONDITION: CONDITION_YAML + edited})
    assert format_text(compare_databases(old, new), "a", "b").splitlines()[3:] == [
        "CHANGED claim 'ldn-fibro-pain' (Fibromyalgia): LDN reduces pain",
        "  outcome Pain ci: -1.0, 0.1 → -0.9, 0.1",
        "  outcome Pain grading imprecision: serious (Few participants.) → serious (Forty participants.)",
    ]
