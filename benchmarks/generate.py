"""Generate a synthetic but valid ldnsite project (and the same data as a Hugo site).

    python benchmarks/generate.py N OUTDIR [--seed S] [--hugo]

writes ``OUTDIR/content/`` with N claims in N/10 condition files (about 10 claims each)
and N/2 source files, plus ``site.yaml`` with seven condition groups. With ``--hugo`` it
also writes two Hugo sites, ``OUTDIR/hugo-site/`` and ``OUTDIR/hugo-site-taxonomy/``: the
layouts of ``benchmarks/hugo/`` and Markdown content files converted from the very same
records (see ``write_hugo``).

Every claim passes ``ldnsite check --strict``: the generator follows the rules of
``src/ldnsite/content/validate.py`` (tiers, grade ceilings, quotes for 'asserts', every source
cited, no TODO, no HTML, kebab-case ids). It is deterministic: the same N and seed give
byte-identical files. It needs only the standard library.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# --- rules mirrored from src/ldnsite/content/model.py and validate.py -------------------------------

GRADES = ["very-low", "low", "moderate", "high"]  # index = rank - 1
MAX_GRADE = {
    "regulatory-label": "moderate", "regulatory-approval": "moderate", "regulatory-record": "very-low",
    "systematic-review": "high", "randomized-trial": "moderate", "non-randomized-study": "low",
    "case-series": "very-low", "case-report": "very-low", "narrative-review": "very-low",
    "reference-work": "low", "trial-protocol": "very-low", "preclinical": "very-low",
    "commentary": "very-low", "web-article": "very-low", "testimonial": "very-low",
}
REGULATORY = {"regulatory-label", "regulatory-approval"}
HUMAN_STUDY = {"systematic-review", "randomized-trial", "non-randomized-study"}
ASSERTING = {"web-article", "testimonial"}
EVIDENCE_ROLES = {"supports", "contradicts"}
START_RANK = {"high": 4, "low": 2, "very-low": 1}  # GRADE's starting level, as grading.py
START_FOR_KIND = {"randomized-trial": "high", "systematic-review": "high", "regulatory-label": "high",
                  "regulatory-approval": "high", "non-randomized-study": "low", "reference-work": "low"}
DOWNGRADES = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")

# Share of each source kind, in percent (sums to 100).
KIND_WEIGHTS = {
    "regulatory-label": 3, "regulatory-approval": 2, "regulatory-record": 1,
    "systematic-review": 6, "randomized-trial": 22, "non-randomized-study": 14,
    "case-series": 4, "case-report": 6, "narrative-review": 6, "reference-work": 2,
    "trial-protocol": 3, "preclinical": 8, "commentary": 3, "web-article": 16, "testimonial": 4,
}

GROUPS = [
    ("approved-uses", "Addiction and weight (standard-dose naltrexone)"),
    ("autoimmune", "Autoimmune and inflammatory diseases"),
    ("pain", "Pain conditions"),
    ("mental-health", "Mental health"),
    ("cancer", "Cancer"),
    ("other-conditions", "Other conditions"),
    ("about-the-medicine", "About the medicine (how it works, safety, cost)"),
]


def allowed_start(cited: list[tuple[str, str]]) -> str:
    """GRADE's starting level from the best design cited as evidence: the same rule as grading.allowed_start."""
    starts = [START_FOR_KIND.get(kind, "very-low") for role, kind in cited if role in EVIDENCE_ROLES]
    return max(starts, key=START_RANK.__getitem__, default="very-low")


def grading_for(start: str, grade: str) -> dict:
    """GRADE's inputs that compute ``grade`` from ``start``: downgrades from a higher start, an upgrade from 'low'.

    Deterministic (no random draw), so the rest of the content is the same as without grading. A grade
    above what the start can reach is left to the claim's grade_rationale (grade.mismatch allows it then).
    """
    change = GRADES.index(grade) + 1 - START_RANK[start]
    ratings = dict.fromkeys(DOWNGRADES, "none")
    if change < 0:
        ratings["risk_of_bias"] = "very-serious" if change <= -2 else "serious"
        if change == -3:
            ratings["imprecision"] = "serious"
    grading = {"start": start, "ratings": ratings, "large_effect": None}
    if change > 0 and start == "low":
        grading["large_effect"] = "very-large" if change >= 2 else "large"
    return grading


def allowed_grade(cited: list[tuple[str, str]]) -> str:
    """Highest grade the cited evidence supports: the same rule as validate.allowed_grade."""
    kinds = [kind for role, kind in cited if role in EVIDENCE_ROLES]
    if not kinds:
        return "very-low"
    best = max((MAX_GRADE[k] for k in kinds), key=GRADES.index)
    if kinds.count("randomized-trial") >= 2:
        best = "high"
    return best


# --- vocabulary ------------------------------------------------------------------------------

SURNAMES = ("smith jones younger bruun parker chopra metz ploesser toljan weinstock lie raknes "
            "cant hota patten mischoulon kariv gironi bihari zagon mclaughlin segal jacobs "
            "agrawal ferreira okafor tanaka novak lindqvist moreau rossi kowalski haddad nguyen "
            "dubois schmidt hansen costa petrov ibrahim kim walsh murphy oconnor").split()
INITIALS = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "W"]
JOURNALS = ["Pain Med", "Arthritis Rheum", "Lancet Rheumatol", "J Clin Psychiatry", "Mult Scler",
            "Inflamm Bowel Dis", "BMJ Open", "JAMA Netw Open", "Clin Rheumatol", "Front Pharmacol",
            "Cochrane Database Syst Rev", "J Pain Res", "Eur J Pain", "PLoS One", "Am J Gastroenterol"]
WEBSITES = ["Healthline", "Verywell Health", "WebMD", "LDN Research Trust", "Medical News Today",
            "a compounding pharmacy blog", "a patient forum", "Everyday Health"]
ADJ = ("chronic primary secondary idiopathic recurrent refractory juvenile progressive acute "
       "autoimmune inflammatory diabetic post-viral complex relapsing systemic").split()
BODY = ("skin joint bowel nerve muscle thyroid liver lung bladder brain spine eye "
        "kidney pelvic gut immune").split()
DISEASE = ("pain syndrome disease disorder neuropathy fatigue dermatitis colitis arthritis "
           "inflammation fibrosis sclerosis myopathy dysfunction").split()
OUTCOMES = [("pain", "pain scores"), ("fatigue", "fatigue"), ("sleep", "sleep quality"),
            ("mood", "depressive symptoms"), ("function", "daily function"), ("relapse", "relapse rate"),
            ("inflammation", "inflammation markers"), ("quality-of-life", "quality of life"),
            ("remission", "remission rates"), ("itch", "itch"), ("cravings", "cravings"),
            ("weight", "body weight"), ("cognition", "memory and concentration"), ("flares", "flares")]
DESIGNS = ["randomized, double-blind, placebo-controlled trial", "open-label single-arm study",
           "retrospective cohort study", "crossover trial", "registry study", "pilot study",
           "systematic review and meta-analysis", "case series", "mouse model", "cell culture study"]
POPULATIONS = ["adults", "women", "children", "older adults", "patients", "volunteers", "veterans"]
VERBS_UP = ["reduced", "lowered", "eased", "improved", "did not change", "slightly reduced"]
FILLER = ("the effect was small and the confidence interval was wide. most participants finished the study. "
          "side effects were mild, mostly vivid dreams, headache and nausea. "
          "the trial was too short to show effects on long-term outcomes. "
          "dropouts were similar in both groups. the authors called for larger trials. "
          "results were reported for the first eight weeks only. "
          "participants did not know which treatment they received. "
          "blood levels were not measured. the placebo response was large. "
          "the study was funded by a charity and registered in advance. "
          "no serious adverse events were attributed to the treatment.").split(". ")
NOUNS = ("dose evidence trial placebo response outcome symptom patient review study effect benefit "
         "risk sample cohort measure scale baseline follow-up").split()
WORDS = ("the of in and a to was with for on that by at as from low dose naltrexone people "
         "study trial treatment effect pain small larger placebo weeks month daily report found "
         "not more less than group participants symptoms evidence certainty result outcome "
         "measured reported compared overall clinical benefit harm side effects").split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def finding_text(rng: random.Random, outcome: str) -> str:
    """About 25 words: what one study found."""
    n = rng.randint(12, 480)
    return (f"In {n} {rng.choice(POPULATIONS)}, naltrexone {rng.choice(VERBS_UP)} {outcome} compared with placebo "
            f"after {rng.randint(4, 26)} weeks; {rng.choice(FILLER)}.")


def statement_text(rng: random.Random, outcome: str, emphasis: bool) -> str:
    """Two to five sentences of plain Markdown, sometimes with emphasis."""
    parts = [f"In a {rng.choice(DESIGNS)} of {rng.randint(8, 900)} {rng.choice(POPULATIONS)}, low-dose naltrexone "
             f"{rng.choice(VERBS_UP)} {outcome} compared with placebo."]
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if choice < 0.5:
            text = rng.choice(FILLER)
            parts.append(text[0].upper() + text[1:] + ".")
        else:
            parts.append(sentence(rng, rng.randint(9, 18)))
    if emphasis:
        index = rng.randrange(len(parts))
        words = parts[index].split(" ")
        at = rng.randrange(1, max(2, len(words) - 1))
        words[at] = f"*{words[at].rstrip('.;,')}*" + ("." if words[at].endswith(".") else "")
        parts[index] = " ".join(words)
    return _wrap(" ".join(parts))


def notes_text(rng: random.Random, outcome: str, index: int) -> str:
    """Markdown with emphasis, a list and a link."""
    paragraphs = [f"**What to watch for.** {sentence(rng, 14)} {rng.choice(FILLER).capitalize()}."]
    items = [f"- {sentence(rng, rng.randint(5, 10))}" for _ in range(rng.randint(2, 5))]
    items[0] = f"- *{outcome.capitalize()}* was measured with a validated scale."
    paragraphs.append("\n".join(items))
    paragraphs.append(f"See the [trial registry entry](https://clinicaltrials.gov/study/NCT{40000000 + index:08d}) "
                      f"and the _plain-language summary_ for details. {sentence(rng, 12)}")
    return "\n\n".join(_wrap(p) if not p.startswith("- ") else p for p in paragraphs)


def _wrap(text: str, width: int = 96) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def title_words(rng: random.Random, outcome: str, count: int = 15) -> str:
    """A source title of about 15 words."""
    head = (f"{rng.choice(['Low-dose', 'Standard-dose', 'Oral', 'Extended-release'])} naltrexone for {outcome} in "
            f"{rng.choice(POPULATIONS)} with {rng.choice(ADJ)} {rng.choice(BODY)} {rng.choice(DISEASE)}:")
    words = (head + f" a {rng.choice(DESIGNS)}").split(" ")
    if len(words) < count:
        words.append("of " + " and ".join(rng.choice(NOUNS) for _ in range((count - len(words) + 1) // 2)))
    return " ".join(words)


# --- the synthetic database -------------------------------------------------------------------


@dataclass
class Source:
    id: str
    kind: str
    data: dict  # fields in file order


@dataclass
class Claim:
    id: str
    title: str
    statement: str
    status: str
    grade: str
    direction: str
    verdict: str
    citations: list[dict]
    reviewed: str
    added: str | None = None
    dose: str | None = None
    grade_rationale: str | None = None
    grading: dict | None = None
    notes: str | None = None


@dataclass
class Condition:
    id: str
    name: str
    group: str
    summary: str
    also_known_as: list[str]
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Dataset:
    n: int
    seed: int
    site: dict
    conditions: list[Condition]
    sources: list[Source]

    @property
    def claims(self) -> list[Claim]:
        return [c for cond in self.conditions for c in cond.claims]


def make_dataset(n: int, seed: int = 7) -> Dataset:
    """Build N claims over N/10 conditions and N/2 sources, all valid under --strict."""
    if n < 2:
        raise ValueError("N must be at least 2")
    rng = random.Random(seed)
    n_sources = max(1, (n + 1) // 2)
    n_conditions = max(1, n // 10)
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    sources = [_make_source(rng, i, rng.choices(kinds, weights)[0]) for i in range(n_sources)]
    pools: dict[str, list[Source]] = {}
    for src in sources:
        pools.setdefault(src.kind, []).append(src)
    # Make sure every pool a rule may need exists, even at tiny N.
    for kind in ("randomized-trial", "web-article", "regulatory-label", "preclinical"):
        if kind not in pools:
            extra = _make_source(rng, len(sources), kind)
            sources.append(extra)
            pools[kind] = [extra]
    conditions = [_make_condition(rng, i, n_conditions) for i in range(n_conditions)]
    kind_by_id = {s.id: s.kind for s in sources}
    for i in range(n):
        primary = sources[i // 2] if i // 2 < len(sources) else rng.choice(sources)
        cond = conditions[i * n_conditions // n]
        cond.claims.append(_make_claim(rng, i, cond, primary, pools, kind_by_id))
    # Sources added for tiny N, or left over by rounding, must be cited too.
    cited = {c["id"] for cond in conditions for claim in cond.claims for c in claim.citations}
    for src in sources:
        if src.id not in cited:
            claim = conditions[0].claims[0]
            claim.citations.append({"id": src.id, "role": "background"} if src.kind not in ASSERTING else
                                   {"id": src.id, "role": "asserts", "quote": _quote(rng, "pain")})
    site = {
        "title": "LDN Evidence (synthetic benchmark data)",
        "tagline": "What is known, and what is only claimed, about naltrexone and low-dose naltrexone (LDN).",
        "base_url": "https://example.org/ldn/",
        "language": "en",
        "repository_url": "https://github.com/ldnsite/ldnsite",
        "repository_branch": "main",
        "disclaimer": _wrap("This site summarises published evidence. It is **not medical advice**. Do not start, stop "
                            "or change a medicine because of what you read here: talk to your doctor or pharmacist "
                            "first. Naltrexone can cause sudden, severe opioid withdrawal in anyone who takes "
                            "opioids, including prescribed painkillers, methadone or buprenorphine."),
        "condition_groups": GROUPS,
    }
    return Dataset(n, seed, site, conditions, sources)


def _make_source(rng: random.Random, i: int, kind: str) -> Source:
    outcome = rng.choice(OUTCOMES)[1]
    year = rng.randint(1985, 2025)
    surname = rng.choice(SURNAMES)
    data: dict = {"id": "", "kind": kind}
    if kind in ASSERTING:
        sid = f"web-{surname}-{year}-{i}"
        data["title"] = title_words(rng, outcome, rng.randint(10, 16)).split(":")[0] + ": what patients report"
        data["publisher"] = rng.choice(WEBSITES)
        data["year"] = year
        data["url"] = f"https://www.example-health.org/articles/{sid}"
    else:
        sid = f"{surname}{year}-{i}"
        data["title"] = title_words(rng, outcome, rng.randint(13, 18))
        data["authors"] = [f"{rng.choice(SURNAMES).capitalize()} {rng.choice(INITIALS)}{rng.choice(INITIALS)}"
                           for _ in range(rng.randint(1, 3))] + (["et al."] if rng.random() < 0.5 else [])
        data["publisher"] = rng.choice(JOURNALS) if kind not in REGULATORY else "U.S. Food and Drug Administration"
        if rng.random() < 0.2:
            data["date"] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        else:
            data["year"] = year
        data["citation"] = f"{rng.randint(1, 80)}({rng.randint(1, 12)}):{rng.randint(1, 900)}-{rng.randint(901, 999)}"
        if kind not in REGULATORY:
            data["pmid"] = str(20000000 + i)
            data["doi"] = f"10.{rng.randint(1000, 9999)}/bench.{year}.{i}"
        if kind in ("randomized-trial", "trial-protocol") and rng.random() < 0.7:
            data["nct"] = f"NCT{10000000 + i:08d}"
        if kind in REGULATORY:
            data["dailymed_setid"] = _uuid(rng)
        if kind in HUMAN_STUDY or kind in ("case-series",):
            data["design"] = rng.choice(DESIGNS)
            data["participants"] = rng.randint(8, 2400)
            if rng.random() < 0.5:
                half = data["participants"] // 2
                data["participants_detail"] = f"{half} naltrexone, {data['participants'] - half} placebo"
    data["finding"] = finding_text(rng, outcome)
    if rng.random() < 0.3:
        data["caveats"] = f"{rng.choice(FILLER).capitalize()}; {rng.choice(FILLER)}."
    data["verified"] = f"synthetic benchmark record {i} (generated, not a real publication)"
    data["id"] = sid
    return Source(sid, kind, data)


def _uuid(rng: random.Random) -> str:
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _make_condition(rng: random.Random, i: int, total: int) -> Condition:
    adj, body, disease = rng.choice(ADJ), rng.choice(BODY), rng.choice(DISEASE)
    cid = f"{adj}-{body}-{disease}-{i}"
    name = f"{adj.capitalize()} {body} {disease} {i}"
    group = GROUPS[i % len(GROUPS)][0]
    summary = _wrap(f"Low-dose naltrexone **may** help some people with {name.lower()}, but the studies are small. "
                    f"{rng.choice(FILLER).capitalize()}. {sentence(rng, rng.randint(10, 20))}")
    aka = [f"{body.upper()}{disease[:1].upper()} {i}", f"{adj} {body} {disease}"] if rng.random() < 0.5 else []
    return Condition(cid, name, group, summary, aka)


def _quote(rng: random.Random, outcome: str) -> str:
    return (f"LDN has been found to offer real relief for {outcome}, and many readers say they felt better "
            f"within {rng.randint(2, 12)} weeks")


def _pick(rng: random.Random, pools: dict[str, list[Source]], kinds: tuple[str, ...], taken: set[str]) -> Source | None:
    for _ in range(6):
        pool = pools.get(rng.choice(kinds))
        if pool:
            src = rng.choice(pool)
            if src.id not in taken:
                return src
    return None


def _cite(rng: random.Random, src: Source, role: str, outcome: str) -> dict:
    citation: dict = {"id": src.id, "role": role}
    if role == "asserts":
        citation["quote"] = _quote(rng, outcome)
    elif role in EVIDENCE_ROLES and rng.random() < 0.6:
        citation["finding"] = finding_text(rng, outcome)
    if rng.random() < 0.15:
        citation["locator"] = f"Table {rng.randint(1, 5)}"
    return citation


def _make_claim(rng: random.Random, i: int, cond: Condition, primary: Source, pools: dict, kind_by_id: dict) -> Claim:
    slug, outcome = rng.choice(OUTCOMES)
    cid = f"{cond.id}-{slug}-{len(cond.claims) + 1}"
    cites: list[dict] = []
    taken = {primary.id}

    def add(kinds: tuple[str, ...], role: str) -> None:
        src = _pick(rng, pools, kinds, taken)
        if src is not None:
            taken.add(src.id)
            cites.append(_cite(rng, src, role, outcome))

    kind = primary.kind
    if kind in REGULATORY:
        status = "fda-approved"
        cites.append(_cite(rng, primary, "supports", outcome))
        if rng.random() < 0.3:
            add(("randomized-trial",), "supports")
        if rng.random() < 0.4:
            add(("narrative-review", "reference-work", "regulatory-record"), "background")
    elif kind in HUMAN_STUDY:
        status = "off-label"
        cites.append(_cite(rng, primary, "supports" if rng.random() < 0.75 else "contradicts", outcome))
        if rng.random() < 0.5:
            add(("randomized-trial", "non-randomized-study", "systematic-review"),
                "supports" if rng.random() < 0.7 else "contradicts")
        if rng.random() < 0.4:
            add(("web-article", "testimonial"), "asserts")
        if rng.random() < 0.3:
            add(("preclinical", "narrative-review", "commentary"), "background")
    elif kind in ASSERTING:
        status = "anecdotal"
        cites.append(_cite(rng, primary, "asserts", outcome))
        if rng.random() < 0.6:
            add(("preclinical", "narrative-review"), "background")
        if rng.random() < 0.3:
            add(("web-article", "testimonial"), "asserts")
        if rng.random() < 0.2:
            add(("case-report", "case-series"), "supports")
    else:
        # Case reports, preclinical work, reviews...: background to an off-label or anecdotal claim.
        cites.append(_cite(rng, primary, "supports" if kind in ("case-report", "case-series") else "background", outcome))
        if rng.random() < 0.5:
            status = "off-label"
            add(("randomized-trial", "non-randomized-study", "systematic-review"), "supports")
            if not any(c["role"] in EVIDENCE_ROLES and c["id"] != primary.id for c in cites):
                add(("randomized-trial",), "supports")
            if not any(c["role"] in EVIDENCE_ROLES and c["id"] != primary.id for c in cites):
                status = "anecdotal"  # no study found in the pools (tiny N)
        else:
            status = "anecdotal"
            add(("web-article", "testimonial"), "asserts")
    if len(cites) == 1 and rng.random() < 0.5:
        add(("commentary", "narrative-review", "preclinical"), "background")
    cited_kinds = [(c["role"], kind_by_id[c["id"]]) for c in cites]
    ceiling = allowed_grade(cited_kinds)
    top = GRADES.index(ceiling)
    # Lower grades are more common, as on the real site.
    grade_index = rng.choices(range(top + 1), weights=[4, 3, 2, 1][: top + 1])[0]
    rationale = None
    if top < 3 and rng.random() < 0.02:
        grade_index = top + 1
        rationale = _wrap(f"The grade is one step above what the designs allow because {sentence(rng, 14).lower()}")
    grade = GRADES[grade_index]
    roles = {c["role"] for c in cites}
    if status == "fda-approved":
        direction, verdict = "benefit", "supported"
    elif status == "anecdotal":
        direction = rng.choice(["not-studied", "not-studied", "mixed"])
        verdict = rng.choice(["not-supported", "uncertain"])
    else:
        direction = rng.choice(["benefit", "no-benefit", "mixed", "harm"])
        verdict = {"benefit": rng.choice(["supported", "uncertain"]), "no-benefit": "not-supported",
                   "mixed": "uncertain", "harm": "not-supported"}[direction]
        if "contradicts" in roles and rng.random() < 0.5 and direction != "benefit":
            verdict = "contradicted"  # (a contradicted claim's studies found no benefit, mixed results or harm)
    if verdict == "supported" and "supports" not in roles:
        verdict = "uncertain"  # only contradicting studies cited: 'supported' needs a source with role 'supports'
    year = rng.randint(2019, 2025)
    reviewed = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    added = f"{year - rng.randint(0, 3)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if added > reviewed:
        added = reviewed
    dose = rng.choice(["4.5 mg once daily", "1-5 mg at night", "50 mg once daily", "3 mg", "380 mg monthly injection",
                       "0.5-4.5 mg daily"]) if rng.random() < 0.8 else None
    verb = rng.choice(["reduces", "improves", "relieves", "prevents", "eases"])
    title = f"{'Naltrexone' if status == 'fda-approved' else 'Low-dose naltrexone'} {verb} {outcome} in {cond.name.lower()}"
    return Claim(
        id=cid, title=title, statement=statement_text(rng, outcome, rng.random() < 0.4), status=status, grade=grade,
        direction=direction, verdict=verdict, citations=cites, reviewed=reviewed, added=added if rng.random() < 0.7 else None,
        dose=dose, grade_rationale=rationale, grading=grading_for(allowed_start(cited_kinds), grade), notes=notes_text(rng, outcome, i) if rng.random() < 0.3 else None,
    )


# --- writing YAML by hand (fast, readable, and the same style as content/) -----------------------

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .,()/-]*$")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (_PLAIN.match(text) and text.lower() not in _RESERVED and not re.match(r"^[0-9.:-]+$", text)
            and ": " not in text and not text.endswith(":")):
        return text
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: str) -> str:
    return "|\n" + "\n".join((indent + line) if line else "" for line in text.split("\n")) + "\n"


def _emit(key: str, value, indent: str, markdown: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if not value:
            return ""
        return f"{indent}{key}:\n" + "".join(f"{indent}  - {_scalar(v)}\n" for v in value)
    if markdown or (isinstance(value, str) and "\n" in value):
        return f"{indent}{key}: {_block(value, indent + '  ')}"
    return f"{indent}{key}: {_scalar(value)}\n"


MARKDOWN_FIELDS = {"statement", "notes", "grade_rationale", "summary", "disclaimer"}


def site_yaml(site: dict) -> str:
    out = ["# yaml-language-server: $schema=../schema/site.schema.json\n"]
    for key in ("title", "tagline", "base_url", "language", "repository_url", "repository_branch"):
        out.append(_emit(key, site[key], ""))
    out.append(_emit("disclaimer", site["disclaimer"], "", markdown=True))
    out.append("condition_groups:\n")
    for gid, name in site["condition_groups"]:
        out.append(f"  - id: {gid}\n    name: {_scalar(name)}\n")
    return "".join(out)


def claim_yaml(claim: Claim, indent: str = "  ") -> str:
    inner = indent + "  "
    out = [f"{indent}- id: {claim.id}\n"]
    out.append(_emit("title", claim.title, inner))
    out.append(_emit("statement", claim.statement, inner, markdown=True))
    for key in ("status", "grade"):
        out.append(_emit(key, getattr(claim, key), inner))
    if claim.grading:
        out.append(f"{inner}grading:\n{inner}  start: {claim.grading['start']}\n")
        for name, rating in claim.grading["ratings"].items():
            out.append(f"{inner}  {name}: {{rating: {rating}, reason: Synthetic benchmark rating.}}\n")
        if claim.grading["large_effect"]:
            out.append(f"{inner}  large_effect: {{rating: {claim.grading['large_effect']}, reason: Synthetic benchmark rating.}}\n")
    for key in ("direction", "verdict", "dose"):
        out.append(_emit(key, getattr(claim, key), inner))
    out.append(f"{inner}sources:\n")
    for cite in claim.citations:
        out.append(f"{inner}  - id: {cite['id']}\n")
        for key in ("role", "locator", "quote", "finding"):
            if key in cite:
                out.append(f"{inner}    {key}: {_scalar(cite[key])}\n")
    for key in ("reviewed", "added"):
        out.append(_emit(key, getattr(claim, key), inner))
    out.append(_emit("grade_rationale", claim.grade_rationale, inner, markdown=True))
    out.append(_emit("notes", claim.notes, inner, markdown=True))
    return "".join(out)


def condition_yaml(cond: Condition) -> str:
    out = ["# yaml-language-server: $schema=../../schema/condition.schema.json\n", "condition:\n"]
    out.append(f"  id: {cond.id}\n")
    out.append(_emit("name", cond.name, "  "))
    out.append(f"  group: {cond.group}\n")
    out.append(_emit("also_known_as", cond.also_known_as, "  "))
    out.append(_emit("summary", cond.summary, "  ", markdown=True))
    out.append("claims:\n")
    out.extend(claim_yaml(c) for c in cond.claims)
    return "".join(out)


def source_yaml(src: Source) -> str:
    out = ["# yaml-language-server: $schema=../../schema/source.schema.json\n"]
    out.extend(_emit(key, value, "") for key, value in src.data.items())
    return "".join(out)


def write_ldnsite(ds: Dataset, outdir: Path) -> Path:
    """Write OUTDIR/content/ and return it."""
    content = outdir / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "conditions").mkdir(parents=True)
    (content / "sources").mkdir()
    (content / "site.yaml").write_text(site_yaml(ds.site), encoding="utf-8")
    for cond in ds.conditions:
        (content / "conditions" / f"{cond.id}.yaml").write_text(condition_yaml(cond), encoding="utf-8")
    for src in ds.sources:
        (content / "sources" / f"{src.id}.yaml").write_text(source_yaml(src), encoding="utf-8")
    return content


# --- the Hugo site -----------------------------------------------------------------------------


def _front_matter(pairs: list[tuple[str, object]]) -> str:
    out = ["---\n"]
    for key, value in pairs:
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{key}:\n")
            for item in value:
                first = True
                for k, v in item.items():
                    out.append(f"  {'- ' if first else '  '}{k}: {_scalar(v)}\n")
                    first = False
        else:
            out.append(_emit(key, value, "", markdown=key in MARKDOWN_FIELDS))
    out.append("---\n")
    return "".join(out)


HUGO_VARIANTS = ("section", "taxonomy")


def write_hugo(ds: Dataset, outdir: Path, variant: str = "section", layouts: Path = HERE / "hugo",
               static: Path = REPO / "templates" / "static") -> Path:
    """Write the Hugo site: config and layouts from benchmarks/hugo/, content converted from ``ds``.

    Common to both variants: each condition is a section (content/conditions/<id>/_index.md,
    body = summary); each claim a page in it (body = statement; notes and grade_rationale in
    front matter, rendered with markdownify); site settings go to data/site.yaml.

    - ``section`` (OUTDIR/hugo-site/): each source is a page in content/sources/, and the
      claims citing it are written into its front matter ('cited_by') by this converter.
    - ``taxonomy`` (OUTDIR/hugo-site-taxonomy/): each source is a term of the taxonomy
      'cites' (content/cites/<id>/_index.md), so Hugo itself finds the claims citing it.
    """
    if variant not in HUGO_VARIANTS:
        raise ValueError(f"unknown Hugo variant {variant!r}")
    site_dir = outdir / ("hugo-site" if variant == "section" else f"hugo-site-{variant}")
    if site_dir.exists():
        shutil.rmtree(site_dir)
    shutil.copytree(layouts, site_dir, ignore=shutil.ignore_patterns("README*", "public", "resources", "hugo-*.toml"))
    if variant == "taxonomy":
        shutil.copyfile(layouts / "hugo-taxonomy.toml", site_dir / "hugo.toml")
    if static.is_dir():
        shutil.copytree(static, site_dir / "static" / "static", dirs_exist_ok=True)
    section = "sources" if variant == "section" else "cites"
    data = site_dir / "data"
    data.mkdir(exist_ok=True)
    site = ds.site
    groups = "".join(f"  - id: {gid}\n    name: {_scalar(name)}\n" for gid, name in site["condition_groups"])
    (data / "site.yaml").write_text(
        _emit("title", site["title"], "") + _emit("tagline", site["tagline"], "") + _emit("repository_url", site["repository_url"], "")
        + f"sources_section: {section}\n"
        + _emit("disclaimer", site["disclaimer"], "", markdown=True) + "condition_groups:\n" + groups, encoding="utf-8")
    content = site_dir / "content"
    (content / "conditions").mkdir(parents=True)
    (content / "conditions" / "_index.md").write_text(_front_matter([("title", "Conditions")]), encoding="utf-8")
    (content / section).mkdir()
    (content / section / "_index.md").write_text(_front_matter([("title", "Sources and bibliography")]), encoding="utf-8")
    cited_by: dict[str, list[dict]] = {}
    kinds = {src.id: src.kind for src in ds.sources}
    for cond in ds.conditions:
        folder = content / "conditions" / cond.id
        folder.mkdir()
        (folder / "_index.md").write_text(
            _front_matter([("title", cond.name), ("group", cond.group), ("also_known_as", cond.also_known_as)]) + cond.summary + "\n",
            encoding="utf-8")
        for claim in cond.claims:
            fm = [("title", claim.title), ("claim_id", claim.id), ("status", claim.status), ("grade", claim.grade),
                  ("direction", claim.direction), ("verdict", claim.verdict), ("dose", claim.dose),
                  ("reviewed", claim.reviewed), ("added", claim.added),
                  ("cites", [c["id"] for c in claim.citations]), ("citations", claim.citations),
                  ("grade_rationale", claim.grade_rationale), ("notes", claim.notes)]
            (folder / f"{claim.id}.md").write_text(_front_matter(fm) + claim.statement + "\n", encoding="utf-8")
            if variant == "section":
                for cite in claim.citations:
                    entry = {"path": f"conditions/{cond.id}/{claim.id}.html", "title": claim.title, "role": cite["role"],
                             "condition": cond.name, "status": claim.status, "grade": claim.grade, "verdict": claim.verdict}
                    for key in ("finding", "quote"):
                        if key in cite:
                            entry[key] = cite[key]
                    if kinds[cite["id"]] in ASSERTING:
                        entry["statement"] = claim.statement
                    cited_by.setdefault(cite["id"], []).append(entry)
    for src in ds.sources:
        # 'url' would set the page's own address in Hugo: keep the source's link as 'link'.
        fm = [("link" if k == "url" else k, v) for k, v in src.data.items() if k != "id"]
        if variant == "section":
            (content / section / f"{src.id}.md").write_text(_front_matter(fm + [("cited_by", cited_by.get(src.id, []))]),
                                                           encoding="utf-8")
        else:
            folder = content / section / src.id
            folder.mkdir()
            (folder / "_index.md").write_text(_front_matter(fm), encoding="utf-8")
    return site_dir


def generate(n: int, outdir: Path, seed: int = 7, hugo: bool = False) -> Dataset:
    ds = make_dataset(n, seed)
    outdir.mkdir(parents=True, exist_ok=True)
    write_ldnsite(ds, outdir)
    if hugo:
        for variant in HUGO_VARIANTS:
            write_hugo(ds, outdir, variant)
    return ds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of claims")
    parser.add_argument("outdir", type=Path, help="folder to write content/ (and hugo-site/) into")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--hugo", action="store_true",
                        help="also write the equivalent Hugo sites to OUTDIR/hugo-site/ and OUTDIR/hugo-site-taxonomy/")
    args = parser.parse_args(argv)
    ds = generate(args.n, args.outdir, args.seed, args.hugo)
    print(f"generate: {len(ds.claims)} claims, {len(ds.conditions)} conditions, {len(ds.sources)} sources "
          f"in {args.outdir / 'content'}" + (f" and {args.outdir / 'hugo-site*'}" if args.hugo else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
