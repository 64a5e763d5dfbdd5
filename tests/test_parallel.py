"""Parsing and rendering in forked worker processes give exactly what one process gives.

Large sites are parsed and rendered by one worker per CPU (``load.parse_files``, ``render.render_pages``).
The project's own content is below the size where workers start, so these tests lower those thresholds
and set the number of CPUs.
"""

import os
import shutil

import pytest
from conftest import REPO, TEMPLATES, check_lines, tree

from ldnsite import processes
from ldnsite.content import load
from ldnsite.content.load import FileCache, load_database
from ldnsite.errors import LdnsiteError, TemplateError
from ldnsite.output import render
from ldnsite.output.build import build_site
from ldnsite.output.incremental import Builder
from ldnsite.project import Project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    shutil.copytree(REPO / "content", tmp_path / "project" / "content")
    shutil.copytree(TEMPLATES, tmp_path / "project" / "templates")
    return Project.at(tmp_path / "project")


def build_with(project: Project, out, monkeypatch, cpus: int):
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(processes, "cpu_count", lambda: cpus)
    return build_site(Project.at(project.root, out=out), search=False, cache=False)


def test_two_workers_write_the_same_files_as_one_process(project, tmp_path, monkeypatch):
    single = build_with(project, tmp_path / "single", monkeypatch, cpus=1)
    parallel = build_with(project, tmp_path / "parallel", monkeypatch, cpus=2)

    assert not single.failed and not parallel.failed
    assert single.pages == parallel.pages > 100
    assert tree(tmp_path / "parallel") == tree(tmp_path / "single")


def test_serve_first_build_with_workers_matches_a_clean_single_process_build(project, tmp_path, monkeypatch):
    clean = build_with(project, tmp_path / "clean", monkeypatch, cpus=1)
    monkeypatch.setattr(processes, "cpu_count", lambda: 2)
    served = Builder(Project.at(project.root, out=tmp_path / "served")).build()

    assert not clean.failed and not served.failed
    assert tree(tmp_path / "served") == tree(tmp_path / "clean")


def test_a_broken_link_on_a_page_rendered_by_a_worker_fails_the_build_and_keeps_the_old_site(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert not build_with(project, out, monkeypatch, cpus=2).failed
    before = tree(out)
    claim_template = project.templates / "claim.html"
    text = claim_template.read_text(encoding="utf-8")
    marker = "{% block main %}"
    assert marker in text
    claim_template.write_text(text.replace(marker, marker + '<a href="{{ root }}nowhere.html">x</a>', 1), encoding="utf-8")

    result = build_with(project, out, monkeypatch, cpus=2)

    assert result.failed
    messages = [str(problem) for problem in result.problems]
    claim_pages = len(list((out / "claims").glob("*.html")))
    broken = [m for m in messages if "link '../nowhere.html' points at a page that does not exist" in m]
    assert len(broken) == claim_pages > 0, messages[:3]
    assert tree(out) == before


def parse_with(monkeypatch, cpus: int) -> None:
    monkeypatch.setattr(load, "PARALLEL_MIN_FILES", 0)
    monkeypatch.setattr(processes, "cpu_count", lambda: cpus)


def test_two_parsing_workers_load_the_same_database_as_one_process(project, monkeypatch):
    parse_with(monkeypatch, cpus=1)
    single, single_problems = load_database(project.content, project.root)
    parse_with(monkeypatch, cpus=2)
    parallel, parallel_problems = load_database(project.content, project.root)

    assert single is not None and len(single.claims) > 50
    assert parallel == single
    assert [str(p) for p in parallel_problems] == [str(p) for p in single_problems]


def test_two_parsing_workers_report_every_broken_file_exactly_as_one_process(project, monkeypatch):
    sources = sorted((project.content / "sources").glob("*.yaml"))
    sources[0].write_text("id: [unclosed\n", encoding="utf-8")
    sources[-1].write_text(sources[-1].read_text(encoding="utf-8").replace("kind:", "knid:", 1), encoding="utf-8")
    condition = sorted((project.content / "conditions").glob("*.yaml"))[1]
    text = condition.read_text(encoding="utf-8")
    condition.write_text(text.replace("grade:", "grade: extreme\n    old_grade:", 1), encoding="utf-8")

    parse_with(monkeypatch, cpus=1)
    single = check_lines(project.root, "--no-cache")
    parse_with(monkeypatch, cpus=2)
    parallel = check_lines(project.root, "--no-cache")

    assert parallel == single
    for broken in (sources[0], sources[-1], condition):
        assert any(line.startswith(f"content/{broken.parent.name}/{broken.name}:") for line in single), broken


def test_the_file_cache_parses_only_changed_files_in_workers_and_keeps_their_order(project, monkeypatch):
    parse_with(monkeypatch, cpus=2)
    sources = sorted((project.content / "sources").glob("*.yaml"))
    for file in sources:  # modified long ago: the cache trusts them (see load.RACY_NS)
        os.utime(file, (1_700_000_000, 1_700_000_000))
    files = [(str(file), f"content/sources/{file.name}") for file in sources]
    cache = FileCache()
    first = cache.load_all(files)
    edited = sources[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(edited, (1_700_000_100, 1_700_000_100))
    parsed = []
    real_parse = load.parse_files
    monkeypatch.setattr(load, "parse_files", lambda todo: parsed.extend(todo) or real_parse(todo))

    second = cache.load_all(files)

    assert parsed == [files[3]]
    assert [r.source.id for r in second] == [file.stem for file in sources]
    assert all(second[i] is first[i] for i in range(len(files)) if i != 3)
    assert second[3] is not first[3] and second[3].source == first[3].source


def _die(*args):
    os._exit(9)  # what a worker killed for lack of memory looks like to its parent


def _fail_template(*args):
    raise TemplateError("template claim.html failed while rendering claims/x.html: boom")


def test_a_parsing_worker_that_dies_stops_the_check_with_a_plain_error(project, monkeypatch):
    parse_with(monkeypatch, cpus=2)
    monkeypatch.setattr(load, "_parse_in_worker", _die)

    with pytest.raises(LdnsiteError, match="a worker process parsing content files stopped before it finished"):
        load_database(project.content, project.root)


def test_a_rendering_worker_that_dies_fails_the_build_and_keeps_the_old_site(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert not build_with(project, out, monkeypatch, cpus=2).failed
    before = tree(out)
    monkeypatch.setattr(render, "_render_chunk", _die)

    with pytest.raises(LdnsiteError, match="a worker process rendering pages stopped before it finished.*more memory"):
        build_with(project, out, monkeypatch, cpus=2)
    assert tree(out) == before


def test_a_template_error_in_a_worker_reaches_the_command_line_as_itself(project, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "_render_chunk", _fail_template)

    with pytest.raises(TemplateError, match="boom"):
        build_with(project, tmp_path / "out", monkeypatch, cpus=2)


def _rendered_by(path, html):
    return os.getpid()


def planned_site(project, monkeypatch):
    """The site's pages planned, its environment and common variables: what ``render_pages`` is given."""
    from ldnsite.plan.site import plan_site

    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 0)
    db, _ = load_database(project.content, project.root)
    pages, _ = plan_site(db)
    return pages, render.make_environment(project.templates), render.common_context(db, "2025-01-01")


def test_this_process_and_a_forked_worker_share_the_pages_and_the_results_keep_the_page_order(project, monkeypatch):
    pages, env, common = planned_site(project, monkeypatch)
    stored = []

    rendered_by = render.render_pages(env, pages, common, lambda path, html: stored.append(path), workers=2,
                                      digest=_rendered_by)

    assert list(rendered_by) == [page.path for page in pages]
    assert os.getpid() in rendered_by.values()  # this process took chunks from the back
    assert len(set(rendered_by.values())) == 2  # and one forked worker took the rest
    assert set(stored) < set(rendered_by)  # what the worker stored happened in the worker


def test_this_process_does_its_other_work_while_the_forked_worker_renders(project, monkeypatch):
    """The build writes its exports in ``meanwhile``: once the worker is forked, before this process renders."""
    import multiprocessing

    pages, env, common = planned_site(project, monkeypatch)
    seen = []

    def meanwhile():
        seen.append((os.getpid(), len(multiprocessing.active_children()), len(stored)))

    stored = []
    render.render_pages(env, pages, common, lambda path, html: stored.append(path), workers=2, meanwhile=meanwhile)
    assert seen == [(os.getpid(), 1, 0)]  # once, here, with the worker running and before this process stored a page

    seen.clear()
    stored.clear()
    render.render_pages(env, pages, common, lambda path, html: stored.append(path), workers=1, meanwhile=meanwhile)
    assert seen == [(os.getpid(), 0, len(pages))]  # without workers: after the pages


def test_exports_that_fail_while_the_workers_render_fail_the_build_and_keep_the_old_site(project, tmp_path, monkeypatch):
    from ldnsite.output import build

    out = tmp_path / "out"
    assert not build_with(project, out, monkeypatch, cpus=2).failed
    before = tree(out)

    def failing(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "iter_extras", failing)
    with pytest.raises(LdnsiteError, match="no space left on the device.*was left as it was"):
        build_with(project, out, monkeypatch, cpus=2)
    assert tree(out) == before


def test_three_processes_report_the_same_broken_links_as_one(project, tmp_path, monkeypatch):
    claim_template = project.templates / "claim.html"
    text = claim_template.read_text(encoding="utf-8")
    marker = "{% block main %}"
    claim_template.write_text(text.replace(marker, marker + '<a href="{{ root }}nowhere-{{ view.claim.id }}.html">x</a>', 1),
                              encoding="utf-8")

    single = build_with(project, tmp_path / "single", monkeypatch, cpus=1)
    three = build_with(project, tmp_path / "three", monkeypatch, cpus=3)

    assert single.failed and three.failed
    assert [str(p) for p in three.problems] == [str(p) for p in single.problems]
    assert len(single.problems) > 50


def test_files_are_shared_out_in_runs_of_about_the_same_size(tmp_path):
    """A condition file is many times a source file: chunks of as many bytes each, not as many files, keep both processes busy."""
    files = []
    for i, size in enumerate([5000] * 10 + [500] * 100):
        path = tmp_path / f"{i:03}.yaml"
        path.write_text("x" * size)
        files.append((str(path), f"content/{i:03}.yaml"))
    files.append((str(tmp_path / "gone.yaml"), "content/gone.yaml"))  # reported when read; shared out all the same

    chunks = load._chunks_by_size(files, 8)

    assert [entry for chunk in chunks for entry in chunk] == files  # every file once, in order
    assert all(chunks) and 7 <= len(chunks) <= 9
    sizes = [sum(os.path.getsize(f) for f, _ in chunk if os.path.exists(f)) for chunk in chunks]
    assert max(sizes) < 2.5 * min(sizes[:-1])  # the last run holds what is left over
