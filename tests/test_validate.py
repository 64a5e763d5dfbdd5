"""Each ref.* and rule.* problem code, with its exact report line: the tiers are enforced, not labelled."""

from conftest import CONDITION_YAML, SOURCE_RCT, check_lines, grading_yaml, write_project

CLAIM_FILE = "content/conditions/fibromyalgia.yaml"

LABEL = "id: label2020\nkind: regulatory-label\ntitle: A label\nverified: test\n"
WEB = "id: web2020\nkind: web-article\ntitle: An article\nverified: test\n"
CASE = "id: case2020\nkind: case-report\ntitle: A case\nverified: test\n"
REVIEW = "id: review2020\nkind: systematic-review\ntitle: A review\nverified: test\n"
RCT2 = "id: trial2021\nkind: randomized-trial\ntitle: Another trial\nverified: test\n"


def claim(**changes: str) -> str:
    """Return the base condition file with fields of its one claim replaced (YAML snippets)."""
    text = CONDITION_YAML
    for key, value in changes.items():
        start = text.index(f"    {key}:")
        end = text.index("\n    ", start + 5) if key != "grading" else len(text) - 1
        if key == "sources":
            end = text.index("    reviewed:", start) - 1
        text = text[:start] + f"    {key}: {value}" + text[end:]
    return text


def sources(*items: tuple[str, str]) -> str:
    return "\n" + "".join(f"      - id: {sid}\n        role: {role}\n" + (
        "        quote: the claim\n" if role == "asserts" else "") for sid, role in items).rstrip("\n")


def project(tmp_path, condition: str, *extra_sources: str):
    files = {CLAIM_FILE: condition}
    for text in extra_sources:
        files[f"content/sources/{text.split()[1]}.yaml"] = text
    return write_project(tmp_path, files)


def test_unknown_source_with_suggestion_and_no_cascade_into_tier_and_grade(tmp_path):
    p = project(tmp_path, CONDITION_YAML.replace("- id: trial2020", "- id: trial2002"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:15:9: error: claim 'ldn-fibro-pain' cites unknown source 'trial2002' [ref.unknown-source]",
        "    hint: did you mean 'trial2020'? Sources are files in content/sources/",
        "content/sources/trial2020.yaml:1:1: warning: source 'trial2020' is not cited by any claim [ref.unused-source]",
        "    hint: cite it from a claim, or delete the file",
    ]


def test_unused_source_is_a_warning_and_fails_only_in_strict_mode(tmp_path):
    p = project(tmp_path, CONDITION_YAML, REVIEW)
    assert check_lines(p) == [
        "content/sources/review2020.yaml:1:1: warning: source 'review2020' is not cited by any claim [ref.unused-source]",
        "    hint: cite it from a claim, or delete the file",
    ]
    from conftest import run_cli

    assert run_cli("check", "--project", p).exit_code == 0
    strict = run_cli("check", "--project", p, "--strict")
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == (
        "ldnsite: 0 errors, 1 warning in 1 file (warnings count as errors in strict mode).")


def test_duplicate_claim_id_across_files(tmp_path):
    other = CONDITION_YAML.replace("id: fibromyalgia", "id: crps").replace("name: Fibromyalgia", "name: CRPS")
    p = write_project(tmp_path, {"content/conditions/crps.yaml": other})
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim id 'ldn-fibro-pain' is already used at content/conditions/crps.yaml:7:5 [ref.duplicate-id]",
        "    hint: claim ids must be unique across all files; rename one of them",
    ]


def test_duplicate_citation(tmp_path):
    p = project(tmp_path, claim(sources=sources(("trial2020", "supports"), ("trial2020", "contradicts"))))
    assert check_lines(p)[0] == (
        "content/conditions/fibromyalgia.yaml:17:9: error: claim 'ldn-fibro-pain' cites source 'trial2020' twice [ref.duplicate-citation]")


def test_unknown_group(tmp_path):
    p = project(tmp_path, CONDITION_YAML.replace("group: pain", "group: pian"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:4:3: error: condition 'fibromyalgia' names unknown group 'pian' [ref.unknown-group]",
        "    hint: did you mean 'pain'? The groups in content/site.yaml are: pain",
    ]


def test_condition_id_must_match_file_name(tmp_path):
    p = write_project(tmp_path, {CLAIM_FILE: None, "content/conditions/fibro.yaml": CONDITION_YAML})
    assert check_lines(p) == [
        "content/conditions/fibro.yaml:2:7: error: condition id 'fibromyalgia' does not match file name 'fibro.yaml' [rule.file-name]",
        "    hint: rename the file to 'fibromyalgia.yaml' or change the id to 'fibro'",
    ]


def test_fda_approved_needs_a_label(tmp_path):
    p = project(tmp_path, claim(status="fda-approved", verdict="supported"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:10:5: error: claim 'ldn-fibro-pain' has status 'fda-approved' but cites no FDA label or approval as support [rule.fda-needs-label]",
        "    hint: cite a source of kind 'regulatory-label' or 'regulatory-approval' with role 'supports', or change the status",
    ]


def test_fda_approved_with_a_label_passes(tmp_path):
    p = project(tmp_path, claim(status="fda-approved", verdict="supported",
                                sources=sources(("label2020", "supports"), ("trial2020", "supports"))), LABEL)
    assert check_lines(p) == []


def test_fda_approved_tier_holds_only_supported_claims(tmp_path):
    p = project(tmp_path, claim(status="fda-approved", verdict="contradicted", direction="no-benefit",
                                sources=sources(("label2020", "supports"), ("trial2020", "contradicts"))), LABEL)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:10:5: error: claim 'ldn-fibro-pain' has status 'fda-approved' but verdict 'contradicted' [rule.fda-needs-support]",
        "    hint: the FDA-approved tier lists only what the label supports; move a doubtful or wrong claim to 'off-label' or "
        "'anecdotal' and keep the label as its evidence",
    ]


def test_off_label_with_only_anecdotal_sources(tmp_path):
    p = project(tmp_path, claim(grade="very-low", sources=sources(("web2020", "asserts"), ("case2020", "supports"), ("trial2020", "background")),
                                  grading=grading_yaml("very-low")),
                WEB, CASE)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:10:5: error: claim 'ldn-fibro-pain' has status 'off-label' but cites no study in people as evidence [rule.off-label-needs-study]",
        "    hint: cite a randomized trial, non-randomized study or systematic review with role 'supports' or 'contradicts', or change the status to 'anecdotal'",
    ]


def test_off_label_whose_sources_are_all_anecdotal(tmp_path):
    p = write_project(tmp_path, {CLAIM_FILE: claim(grade="very-low", sources=sources(("web2020", "asserts"), ("case2020", "supports")),
                                                   grading=grading_yaml("very-low")),
                                 "content/sources/web2020.yaml": WEB, "content/sources/case2020.yaml": CASE,
                                 "content/sources/trial2020.yaml": None})
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:10:5: error: claim 'ldn-fibro-pain' has status 'off-label' but its sources are only web articles, testimonials or case reports [rule.anecdotal-only]",
        "    hint: change the status to 'anecdotal', or cite a study in people",
    ]


def test_anecdotal_claim_from_a_web_article_passes_at_very_low(tmp_path):
    p = project(tmp_path, claim(status="anecdotal", grade="very-low", sources=sources(("web2020", "asserts"), ("trial2020", "contradicts")),
                                grading=grading_yaml(risk_of_bias="very-serious", imprecision="serious")), WEB)
    assert check_lines(p) == []


def test_grade_above_what_one_trial_supports(tmp_path):
    p = project(tmp_path, claim(grade="high", grading=grading_yaml()))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:11:5: error: claim 'ldn-fibro-pain' is graded 'high' but its evidence supports at most 'moderate' [rule.grade-exceeds-evidence]",
        "    hint: lower the grade to 'moderate', cite stronger evidence, or explain the exception in 'grade_rationale'",
    ]


def test_two_trials_or_a_systematic_review_can_support_high(tmp_path):
    two = project(tmp_path / "a", claim(grade="high", sources=sources(("trial2020", "supports"), ("trial2021", "supports")), grading=grading_yaml()), RCT2)
    review = project(tmp_path / "b", claim(grade="high", sources=sources(("trial2020", "supports"), ("review2020", "supports")), grading=grading_yaml()), REVIEW)
    assert check_lines(two) == []
    assert check_lines(review) == []


def test_background_and_asserting_sources_do_not_raise_the_ceiling(tmp_path):
    p = project(tmp_path, claim(grade="high", grading=grading_yaml(), sources=sources(("trial2020", "supports"), ("review2020", "background"))), REVIEW)
    assert "[rule.grade-exceeds-evidence]" in check_lines(p)[0]


def test_grade_rationale_allows_an_exception_and_a_needless_one_is_a_warning(tmp_path):
    allowed = project(tmp_path / "a", claim(grade="high") + "    grade_rationale: The effect is pharmacologically certain.\n")
    needless = project(tmp_path / "b", claim() + "    grade_rationale: Not needed.\n")
    assert check_lines(allowed) == []
    assert check_lines(needless) == [
        "content/conditions/fibromyalgia.yaml:19:5: warning: claim 'ldn-fibro-pain' has a 'grade_rationale' but its grade 'low' needs none [rule.needless-rationale]",
        "    hint: remove 'grade_rationale' so that readers are not told of an exception that is not there",
    ]


def test_contradicted_needs_a_contradicting_source(tmp_path):
    p = project(tmp_path, claim(verdict="contradicted", direction="no-benefit"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:13:5: error: claim 'ldn-fibro-pain' has verdict 'contradicted' but cites no source with role 'contradicts' [rule.contradicted-needs-source]",
        "    hint: cite the source that contradicts the claim",
    ]


def test_asserting_source_needs_a_quote(tmp_path):
    text = claim(sources=sources(("trial2020", "supports"), ("web2020", "asserts"))).replace("        quote: the claim\n", "")
    p = project(tmp_path, text, WEB)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:17:9: error: claim 'ldn-fibro-pain': source 'web2020' asserts the claim but no 'quote' shows where [rule.asserts-needs-quote]",
        "    hint: add 'quote:' with the source's own words (at most 300 characters)",
    ]


def test_supported_verdict_with_no_benefit_is_an_error(tmp_path):
    p = project(tmp_path, claim(verdict="supported", direction="no-benefit"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:12:5: error: claim 'ldn-fibro-pain' has verdict 'supported' but direction 'no-benefit'; "
        "with 'supported' the direction is one of benefit, harm, no-harm, not-applicable [rule.verdict-direction]",
        "    hint: a claim the studies did not confirm (no benefit, mixed or unstudied) is not 'supported': "
        "make the verdict 'uncertain', 'not-supported' or 'contradicted', or correct the direction",
    ]


def test_contradicted_verdict_with_benefit_is_an_error(tmp_path):
    p = project(tmp_path, claim(verdict="contradicted", direction="benefit", sources=sources(("trial2020", "contradicts"))))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:12:5: error: claim 'ldn-fibro-pain' has verdict 'contradicted' but direction 'benefit'; "
        "with 'contradicted' the direction is one of no-benefit, mixed, harm, no-harm, not-applicable [rule.verdict-direction]",
        "    hint: evidence that contradicts a claim found no benefit, mixed results, harm or no harm: "
        "correct the direction, or make the verdict 'uncertain' or 'not-supported'",
    ]


def test_every_verdict_and_direction_pair_follows_the_table_in_the_rules(tmp_path):
    from ldnsite.content.model import Direction, Verdict
    from ldnsite.content.validate import VERDICT_DIRECTIONS

    from conftest import REPO

    table = (REPO / "docs" / "rules.md").read_text(encoding="utf-8").split("| verdict | directions allowed |", 1)[1].split("\n\n", 1)[0]
    documented = {}
    for line in table.strip().splitlines()[1:]:
        verdict, allowed = [cell.strip() for cell in line.strip().strip("|").split("|")]
        documented[Verdict(verdict.strip("`"))] = (tuple(Direction) if allowed == "any"
                                                    else tuple(Direction(d.strip().strip("`")) for d in allowed.split(",")))
    assert {v: set(d) for v, d in documented.items()} == {v: set(d) for v, d in VERDICT_DIRECTIONS.items()}


def test_supported_needs_a_supporting_study_in_people_or_label(tmp_path):
    p = project(tmp_path, claim(status="anecdotal", grade="very-low", verdict="supported", grading=grading_yaml("very-low"),
                                sources=sources(("web2020", "asserts"), ("trial2020", "background"))), WEB)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:13:5: error: claim 'ldn-fibro-pain' has verdict 'supported' but cites no study in people or label with role 'supports' [rule.supported-without-support]",
        "    hint: cite the study or label that supports it with role 'supports' (a source that only asserts the claim is no support), or change the verdict",
    ]


def test_a_supported_claim_is_never_in_the_anecdotal_tier(tmp_path):
    p = project(tmp_path, claim(status="anecdotal", grade="very-low", verdict="supported", grading=grading_yaml("very-low"),
                                sources=sources(("case2020", "supports"), ("trial2020", "background"))), CASE)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:13:5: error: claim 'ldn-fibro-pain' has verdict 'supported' but status 'anecdotal', "
        "the tier of claims no study in people that we could verify supports [rule.supported-without-support]",
        "    hint: make the verdict 'uncertain' or 'not-supported'; if a randomized trial, non-randomized study or systematic review "
        "supports it, move it to 'off-label'",
    ]


def test_supported_by_a_trial_passes(tmp_path):
    assert check_lines(project(tmp_path, claim(verdict="supported"))) == []


REGISTRATION = ("id: nct01234567\nkind: trial-registration\ntitle: A registered trial\nnct: NCT01234567\n"
                "registration_status: recruiting\nresults_posted: false\nconditions: [fibromyalgia]\nverified: test\n")
LABEL_WITH_SECTIONS = LABEL + ("label_version: Revised 11/2023\nsections:\n  - id: overdose\n    topic: warnings\n"
                               "    heading: Vulnerability to Opioid Overdose\n    locator: WARNINGS\n    quote: Patients may overdose.\n")


def test_a_registration_is_never_evidence(tmp_path):
    p = project(tmp_path, claim(sources=sources(("trial2020", "supports"), ("nct01234567", "supports"))), REGISTRATION)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:17:9: error: claim 'ldn-fibro-pain' cites registered trial (trial registry record) 'nct01234567' "
        "with role 'supports'; a trial without published results is not evidence [rule.registration-as-evidence]",
        "    hint: cite it with role 'background' (it is listed under 'Research under way'), or cite the published results",
    ]


def test_a_protocol_is_never_evidence_either(tmp_path):
    protocol = "id: protocol2020\nkind: trial-protocol\ntitle: A protocol\nverified: test\n"
    p = project(tmp_path, claim(sources=sources(("trial2020", "supports"), ("protocol2020", "contradicts"))), protocol)
    assert "[rule.registration-as-evidence]" in check_lines(p)[0]


def test_a_registration_naming_its_conditions_needs_no_citation(tmp_path):
    assert check_lines(project(tmp_path, CONDITION_YAML, REGISTRATION)) == []


def test_a_registration_names_only_known_conditions(tmp_path):
    p = project(tmp_path, CONDITION_YAML, REGISTRATION.replace("[fibromyalgia]", "[fibromyalgai]"))
    assert check_lines(p) == [
        "content/sources/nct01234567.yaml:7:1: error: source 'nct01234567' names unknown condition 'fibromyalgai' in 'conditions' [ref.unknown-condition]",
        "    hint: did you mean 'fibromyalgia'? Conditions are files in content/conditions/",
    ]


def test_a_registration_needs_its_status_results_and_registry_id(tmp_path):
    bare = "id: reg2020\nkind: trial-registration\ntitle: A registered trial\nconditions: [fibromyalgia]\nverified: test\n"
    p = project(tmp_path, CONDITION_YAML, bare)
    assert check_lines(p) == [
        "content/sources/reg2020.yaml:1:1: error: source 'reg2020' is a 'trial-registration' without 'registration_status' or "
        "'results_posted' or a registry id ('nct' or 'registration') [rule.kind-field]",
        "    hint: copy them from the registry record: its id, its status and whether results are posted",
    ]


def test_label_and_registry_fields_belong_to_their_kinds(tmp_path):
    p = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT + "label_version: v1\nresults_posted: true\n"})
    assert check_lines(p) == [
        "content/sources/trial2020.yaml:6:1: error: source 'trial2020' of kind 'randomized-trial' has 'label_version', which only a 'regulatory-label' has [rule.kind-field]",
        "    hint: remove 'label_version', or correct 'kind'",
        "content/sources/trial2020.yaml:7:1: error: source 'trial2020' of kind 'randomized-trial' has 'results_posted', which only a 'trial-registration' or 'trial-protocol' has [rule.kind-field]",
        "    hint: remove 'results_posted', or correct 'kind'",
    ]


def test_a_citation_names_a_section_the_label_has(tmp_path):
    cited = claim(sources=sources(("trial2020", "supports"), ("label2020", "background")) + "\n        section: overdoes")
    p = project(tmp_path, cited, LABEL_WITH_SECTIONS)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:17:9: error: claim 'ldn-fibro-pain' cites unknown section 'overdoes' of source 'label2020' [ref.unknown-section]",
        "    hint: did you mean 'overdose'? The sections of 'label2020' are: overdose",
    ]
    assert check_lines(project(tmp_path / "ok", cited.replace("overdoes", "overdose"), LABEL_WITH_SECTIONS)) == []


def test_a_citation_cannot_name_a_section_of_a_source_without_sections(tmp_path):
    p = project(tmp_path, claim(sources=sources(("trial2020", "supports")) + "\n        section: results"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:15:9: error: claim 'ldn-fibro-pain' cites section 'results' of source 'trial2020', which has no 'sections' [ref.unknown-section]",
        "    hint: remove 'section', or quote the section under the label's 'sections' (only a 'regulatory-label' has them)",
    ]


def test_section_ids_are_unique_within_a_label(tmp_path):
    twice = LABEL_WITH_SECTIONS + LABEL_WITH_SECTIONS.split("sections:\n", 1)[1]
    p = project(tmp_path, claim(sources=sources(("trial2020", "supports"), ("label2020", "background"))), twice)
    assert check_lines(p) == [
        "content/sources/label2020.yaml:12:5: error: source 'label2020': section id 'overdose' is used twice [ref.duplicate-id]",
        "    hint: section ids are anchors on the label page and must be unique within the label",
    ]


def test_a_section_id_the_label_page_uses_itself_is_refused_at_the_section(tmp_path):
    for ident in ("main", "topic-dosage", "dosage-title"):
        taken = LABEL_WITH_SECTIONS.replace("  - id: overdose", f"  - id: {ident}")
        p = project(tmp_path / ident, claim(sources=sources(("trial2020", "supports"), ("label2020", "background"))), taken)
        assert check_lines(p) == [
            f"content/sources/label2020.yaml:7:5: error: source 'label2020': section id '{ident}' is taken by the label page itself [ref.duplicate-id]",
            "    hint: choose another id: not 'main', nor starting with 'topic-' or ending in '-title'",
        ]


def test_a_label_quote_is_at_most_1500_characters(tmp_path):
    long = LABEL_WITH_SECTIONS.replace("Patients may overdose.", "x" * 1501)
    p = project(tmp_path, claim(sources=sources(("trial2020", "supports"), ("label2020", "background"))), long)
    assert check_lines(p)[0] == (
        "content/sources/label2020.yaml:11:12: error: source 'label2020', section 'overdose': quote is 1,501 characters long; "
        "the limit is 1,500 [schema.too-long]")


def test_two_sources_sharing_an_identifier_name_both_files(tmp_path):
    p = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT + "doi: 10.1000/ABC\n",
                                 "content/sources/trial2021.yaml": RCT2 + "doi: 10.1000/abc\n"})
    assert check_lines(p) == [
        "content/sources/trial2021.yaml:1:1: warning: source 'trial2021' is not cited by any claim [ref.unused-source]",
        "    hint: cite it from a claim, or delete the file",
        "content/sources/trial2021.yaml:5:1: error: source 'trial2021' has the same DOI '10.1000/abc' as source 'trial2020' "
        "(content/sources/trial2020.yaml) [ref.duplicate-identifier]",
        "    hint: one work is one source: merge the two files and cite the one left, or correct the identifier",
    ]


def test_every_shared_identifier_is_a_duplicate(tmp_path):
    for field, value in (("pmid", "123"), ("pmcid", "PMC123"), ("nct", "NCT01234567"),
                         ("dailymed_setid", "f3305f0b-fb9e-4009-b28f-47fe9b1b618b")):
        p = write_project(tmp_path / field, {"content/sources/trial2020.yaml": SOURCE_RCT + f"{field}: '{value}'\n",
                                             "content/sources/trial2021.yaml": RCT2 + f"{field}: '{value}'\n"})
        assert any("[ref.duplicate-identifier]" in line for line in check_lines(p)), field


def test_future_review_date(tmp_path):
    p = project(tmp_path, claim(reviewed="2999-01-01"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:17:5: error: claim 'ldn-fibro-pain': 'reviewed' date 2999-01-01 is in the future [rule.future-date]",
        "    hint: use the date the evidence was actually reviewed",
    ]


def test_a_review_dated_tomorrow_utc_is_accepted_for_editors_ahead_of_utc(tmp_path):
    import datetime as dt

    tomorrow = (dt.datetime.now(tz=dt.timezone.utc).date() + dt.timedelta(days=1)).isoformat()
    assert check_lines(project(tmp_path, claim(reviewed=tomorrow))) == []


def test_source_date_and_year_must_agree(tmp_path):
    p = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT + "date: '2021-03-04'\n"})
    assert check_lines(p) == [
        "content/sources/trial2020.yaml:6:1: error: source 'trial2020': date 2021-03-04 and year 2020 disagree [rule.date-year]",
        "    hint: keep only 'date', or make the two agree",
    ]


def test_a_broken_source_file_does_not_cascade_into_claim_errors(tmp_path):
    p = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT.replace("kind: randomized-trial", "kind: rct")})
    assert [line for line in check_lines(p) if not line.startswith("    hint")] == [
        "content/sources/trial2020.yaml:2:7: error: source 'trial2020': kind 'rct' is not one of regulatory-label, regulatory-approval, "
        "regulatory-record, systematic-review, randomized-trial, non-randomized-study, case-series, case-report, narrative-review, "
        "reference-work, trial-protocol, trial-registration, preclinical, commentary, web-article, testimonial [schema.choice]",
    ]


def test_a_claim_added_after_its_review_is_reported_at_its_added_key(tmp_path):
    p = project(tmp_path, claim(reviewed="2024-01-01\n    added: 2024-02-01"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:18:5: error: claim 'ldn-fibro-pain' was added (2024-02-01) after it was last "
        "reviewed (2024-01-01) [rule.future-date]",
        "    hint: a claim is reviewed when it is added; set 'reviewed' to the later date",
    ]


def test_a_source_dated_in_the_future_is_reported_at_its_date_key(tmp_path):
    p = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT.replace("year: 2020", "year: 2099")
                                 + "date: '2099-03-04'\n"})
    assert check_lines(p) == [
        "content/sources/trial2020.yaml:6:1: error: source 'trial2020': date 2099-03-04 is in the future [rule.future-date]",
    ]
