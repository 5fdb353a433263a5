"""The synthetic papers the benchmarks build: deterministic (seeded), written with `dump_paper`.

Each paper: a ~1.3 KB abstract, 5 authors, some accented, 1-3 of 20 categories, a day of a year
of weekdays, a YYMM.NNNNN id, version 1-3 (a later version dated on or after the site's newest day
is not written: no mailing the site fetched announced it), some upvotes. The abstracts are shaped like the
shipped snapshots (real arXiv and Hugging Face records, measured by benchmarks/corpus_shape.py):
12% hold math (about 5 inline formulas each), 14.5% text-mode TeX (dashes, ``quotes'',
\\emph{}, accents, ~), 0.3% Markdown (a **bold** name), 0.7% of titles a formula. Before
issue 19 every abstract held about 6 formulas and none text-mode TeX: ten times the math of real
papers, which made the speed work chase MathML.

The "markdown" corpus (pelican_compare.py) is the earlier, math-heavy papers with about half
the abstracts written in Markdown, as a fork that hand-edits or imports abstracts has them:
strong emphasis, emphasis, code spans, some links and lists. Each of those carries `**` or a
link, which is what makes sitegen render an abstract as Markdown (arXiv text where `*` and
`` ` `` are literal stays plain). It is drawn exactly as before, so its measurements stay
comparable. The "semanticscholar" corpus is the arXiv-shaped papers with what Semantic
Scholar adds (enrich_s2, drawn apart so the papers stay the same). The site gets 20 topics
(category, keyword, exclude and author rules) and a copy of templates/.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sitegen.arxiv_ids import safe_name, shard
from sitegen.model import Paper
from sitegen.snapshot.format import dump_paper
from sitegen.sources.huggingface.record import HuggingFace
from sitegen.sources.semanticscholar.record import SemanticScholar

REPO = Path(__file__).resolve().parent.parent
SEED, GENERATOR = 20240603, 3
# The shipped content/'s shares (benchmarks/corpus_shape.py, 297 papers): abstracts with math,
# with text-mode TeX, rendered as Markdown; titles with math.
MATH_SHARE, TEXT_TEX_SHARE, MARKDOWN_SHARE, TITLE_MATH_SHARE = 0.12, 0.145, 0.003, 0.007
FIRST_DAY = date(2024, 6, 3)  # a Monday; one year of weekdays from here
CATEGORIES = (
    "cs.LG", "cs.CV", "cs.CL", "stat.ML", "cs.AI", "cs.RO", "cs.CR", "cs.SE", "cs.IR", "cs.NE", "cs.DS", "cs.IT",
    "math.OC", "math.ST", "stat.ME", "eess.IV", "eess.SP", "q-bio.NC", "quant-ph", "physics.comp-ph",
)
FIRST = (
    "José", "Zoë", "Łukasz", "François", "Søren", "Jürgen", "Ana", "Wei", "Priya", "Chen", "Ayşe", "Mateo", "Olga",
    "Kenji", "Fatima", "Noah", "Emma", "Ravi",
)
LAST = (
    "García", "Müller", "Dvořák", "Nguyễn", "Çelik", "Smith", "Zhang", "Kumar", "Johansson", "Rossi", "Tanaka",
    "Okafor", "Silva", "Kowalski", "Ivanova", "Brown", "Lee", "Haddad", "Petersen", "Ångström", "Novak", "Moreau",
    "Schäfer", "Ortiz", "Yilmaz",
)
PHRASES = (
    "language model", "large language models", "LLM agents", "diffusion models", "transformer",
    "reinforcement learning", "graph neural networks", "federated learning", "contrastive learning", "benchmark",
    "survey", "tool use", "retrieval-augmented generation", "image segmentation", "object detection",
    "robot manipulation", "adversarial robustness", "differential privacy", "hypothesis testing",
    "convex optimization", "variational inference", "fuzzing", "program synthesis", "knowledge distillation",
    "in-context learning",
)
WORDS = (
    "we", "propose", "a", "novel", "method", "framework", "approach", "that", "improves", "the", "performance",
    "of", "existing", "baselines", "on", "several", "datasets", "while", "reducing", "cost", "and", "memory", "our",
    "analysis", "shows", "results", "experiments", "demonstrate", "state-of-the-art", "accuracy", "under",
    "distribution", "shift", "with", "theoretical", "guarantees", "for", "training", "inference", "scaling",
    "sparse", "efficient", "robust", "models", "data", "tasks",
)
# Code spans as abstracts write them: dotted names, flags, snake_case (underscores that must
# stay literal inside code), calls.
CODE = ("torch.compile", "jax.jit", "--max-tokens", "model.generate()", "max_new_tokens", "__init__",
        "CUDA_VISIBLE_DEVICES", "pip install repo", "x[i] * 2", "<eos>", "a && b")


def tex(r: random.Random) -> str:
    v, i, d, k = r.choice("xyzwuvh"), r.choice("ijkt"), r.choice("dnmkT"), r.randint(1, 4)
    return r.choice([
        r"\alpha", r"\beta", f"\\alpha={k / 10}", r"O(n \log n)", f"O({d}^{k} \\log {d})",
        r"\mathcal{L}_{\text{KL}}", f"{v}_{i} \\in \\mathbb{{R}}^{d}", f"\\epsilon = 10^{{-{k}}}",
        f"\\sum_{{{i}=1}}^{{{d}}} {v}_{i}", f"\\frac{{1}}{{\\sqrt{{{d}}}}}", f"\\|{v}\\|_{k}",
        r"\tilde{O}(\sqrt{T})", f"p < 0.0{k}", r"\lambda_{\max}", f"{v}^\\top A {v}",
        f"\\mathbb{{E}}[{v}_{i}]", f"k={k}", r"\theta^*", f"\\ell_{k}", f"{k}\\times", r"\nabla f(x)"])


def sentence(r: random.Random, math: float = 0.45) -> str:
    """A sentence of abstract prose, with an inline formula at the odds of `math`."""
    words = r.choices(WORDS, k=r.randint(6, 14))
    for _ in range(r.randint(0, 2)):
        words.insert(r.randrange(len(words) + 1), r.choice(PHRASES))
    if r.random() < math:
        words.insert(r.randrange(1, len(words) + 1), f"${tex(r)}$")
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


# Text-mode TeX as arXiv abstracts write it (the forms the shipped content/ holds most: dashes,
# ~, \emph, accents, ``quotes'').
TEXT_TEX = ("{w}--{v}", "10--20", "i.e.~{w}", "\\emph{{{w}}}", "Schr\\\"odinger", "na\\\"ive", "``{w}''",
            "{{\\em {w}}}", "state-of-the-art --- {w}", "Poincar\\'e")


def abstract(r: random.Random, arxiv: bool = True) -> str:
    """An abstract: `arxiv` shaped like the shipped content/ (see the module docstring), else the
    earlier math-heavy one (a formula in nearly every other sentence)."""
    math = (0.45 if r.random() < MATH_SHARE else 0.0) if arxiv else 0.45
    size, out = (r.randint(1050, 1550) if arxiv else r.randint(1000, 1400)), []
    while sum(map(len, out)) < size:
        out.append(sentence(r, math))
    if arxiv and r.random() < TEXT_TEX_SHARE:
        for _ in range(r.randint(1, 2)):
            form = r.choice(TEXT_TEX).format(w=r.choice(WORDS), v=r.choice(WORDS))
            i = r.randrange(len(out))
            out[i] = out[i][:-1] + f" {form}."
    if arxiv and r.random() < MARKDOWN_SHARE:
        out[0] = f"We propose **{r.choice(LAST)}**, " + out[0][0].lower() + out[0][1:]
    if r.random() < 0.25:  # some abstracts have two paragraphs
        cut = r.randrange(1, len(out))
        return " ".join(out[:cut]) + "\n\n" + " ".join(out[cut:])
    return " ".join(out)


def markdown_abstract(text: str, r: random.Random) -> str:
    """The abstract with Markdown: 1-3 strong words, 0-3 emphasised, 0-2 code spans; some get a
    link or a two-item list. Words inside $...$ are never touched."""
    words, inside, prose = text.split(" "), False, []
    for i, w in enumerate(words):
        if not inside and "$" not in w and w.isalpha():
            prose.append(i)
        inside ^= w.count("$") % 2 == 1
    picks = r.sample(prose, min(len(prose), 6))
    for n, i in enumerate(picks):
        kind = "**" if n < r.randint(1, 3) or n == 0 else r.choice(("*", "*", "`", "_"))
        words[i] = f"`{r.choice(CODE)}`" if kind == "`" else f"{kind}{words[i]}{kind}"
    out = " ".join(words)
    if r.random() < 0.2:
        out += f" Code: [{r.choice(WORDS)}](https://github.com/{r.choice(LAST).lower()}/{r.choice(WORDS)})."
    if r.random() < 0.1:
        out += f"\n\nContributions:\n\n- a *{r.choice(PHRASES)}* method\n- `{r.choice(CODE)}` support"
    return out


def make_paper(r: random.Random, pid: str, day: date, markdown: bool = False, last: date | None = None) -> Paper:
    """A paper of the arXiv-shaped corpus, or (`markdown`) of the earlier math-heavy one with
    about half its abstracts in Markdown; `last`: the site's newest day (no version after it)."""
    published = datetime.combine(day - timedelta(days=r.randint(1, 3)), datetime.min.time(),
                                 UTC) + timedelta(seconds=r.randrange(86400))
    version = r.choice((1, 1, 1, 2, 2, 3))
    updated = published + timedelta(days=r.randint(3, 60)) if version > 1 else published
    title = " ".join([w.title() for w in r.choices(WORDS, k=r.randint(3, 8))] + [r.choice(PHRASES)])
    if r.random() < (0.1 if markdown else TITLE_MATH_SHARE):
        title += f" with ${tex(r)}$"
    hf = HuggingFace(upvotes=r.randint(0, 300), comments=r.randint(0, 9)) if r.random() < 0.15 else None
    links = {"abs": f"https://arxiv.org/abs/{pid}", "pdf": f"https://arxiv.org/pdf/{pid}v{version}"}
    if r.random() < 0.2:
        links["code"] = f"https://github.com/{r.choice(LAST).lower()}/{r.choice(WORDS)}"
    # Drawn in this order (authors, categories, abstract, comment): the sites every benchmark
    # has measured were generated so, and the same seed must keep giving the same papers.
    authors = tuple(f"{r.choice(FIRST)} {r.choice(LAST)}" for _ in range(5))
    categories = tuple(r.sample(CATEGORIES, r.randint(1, 3)))
    text = abstract(r, arxiv=not markdown)
    comment = f"{r.randint(4, 40)} pages, {r.randint(1, 12)} figures" if r.random() < 0.6 else None
    if markdown:  # its own generator, so the plain corpus's papers are drawn exactly as before
        md = random.Random(f"markdown {pid}")
        text = markdown_abstract(text, md) if md.random() < 0.5 else text
    if last is not None and version > 1 and updated.date() >= last:
        # A version submitted on or after the site's newest day is in no mailing the site has
        # fetched: content/ still holds v1 (drawn all the same, so the other papers stay put).
        version, updated = 1, published
        links["pdf"] = f"https://arxiv.org/pdf/{pid}v1"
    return Paper(id=pid, title=title, authors=authors, published=published, categories=categories,
                 announced=day, abstract=text, version=version, updated=updated, links=links,
                 comment=comment, extras={"huggingface": hf} if hf else {},
                 sources=("arxiv", "huggingface") if hf else ("arxiv",))


VENUES = ("Neural Information Processing Systems", "International Conference on Machine Learning",
          "Computer Vision and Pattern Recognition", "Annual Meeting of the Association for Computational "
          "Linguistics", "International Conference on Learning Representations", "IEEE Transactions on "
          "Pattern Analysis and Machine Intelligence")


def enrich_s2(paper: Paper, newest: date) -> Paper:
    """The paper with a Semantic Scholar record as a nightly fetch would leave it. The shares are
    assumptions, not measurements (no recorded batch answer for arXiv ids was found): 95% of
    papers known; citations 0 in a paper's first month (80%), then heavy-tailed (median ~3,
    some in the hundreds); a venue for a quarter of the papers older than a month; a TLDR of
    about 25 words for 70%."""
    r = random.Random(f"semanticscholar {paper.id}")
    if r.random() >= 0.95:
        return paper
    young = (newest - paper.announced).days <= 30
    cited = 0 if young and r.random() < 0.8 else int(r.paretovariate(0.9)) - 1 + r.randint(0, 3)
    tldr = " ".join(r.choices(WORDS, k=r.randint(18, 30))).capitalize() + "." if r.random() < 0.7 else None
    record = SemanticScholar(citations=cited, influential_citations=cited // 10,
                             venue=r.choice(VENUES) if not young and r.random() < 0.25 else None, tldr=tldr,
                             paper_id=f"{r.getrandbits(160):040x}")
    return Paper(**{**{f: getattr(paper, f) for f in Paper.__dataclass_fields__},
                    "extras": {**paper.extras, "semanticscholar": record},
                    "sources": tuple(sorted({*paper.sources, "semanticscholar"}))})


def paper_path(content: Path, pid: str) -> Path:
    return content / "papers" / shard(pid) / (safe_name(pid) + ".md")


def write_paper(content: Path, paper: Paper) -> Path:
    path = paper_path(content, paper.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_paper(paper), encoding="utf-8")
    return path


# slug: categories; keywords; exclude; authors (comma-separated). 8 categories-only, 6 keyword,
# 3 keyword + exclude, 3 author rules (written with other accents and case than the data).
TOPICS = [
    "vision: cs.CV;;;", "nlp: cs.CL;;;", "stat-ml: stat.ML;;;", "robotics: cs.RO;;;", "security: cs.CR;;;",
    "optimization: math.OC;;;", "imaging: eess.IV,cs.CV;;;", "quantum: quant-ph;;;",
    "language-models: cs.CL,cs.LG,cs.AI; language model,LLM,LLMs,transformer;;",
    "rl: cs.LG,cs.AI,cs.RO; reinforcement learning;;",
    "agents: ; agent,agents,agentic,tool use;;", "diffusion: ; diffusion model,diffusion models;;",
    "graphs: ; graph neural network,graph neural networks,GNN;;",
    "privacy: ; differential privacy,federated learning;;",
    "testing: cs.SE,cs.CR; fuzzing,testing,program synthesis; hypothesis testing;",
    "vision-no-diffusion: cs.CV;; diffusion models,survey;",
    "llm-no-benchmarks: ; large language models; benchmark,survey;",
    "garcia-group: ;;; Jose Garcia,ZOE MULLER,Søren Dvořák",
    "favourite-authors: cs.LG,stat.ML;;; Łukasz Nguyễn,Ayşe Çelik,Kenji Tanaka",
    "stats-testing: stat.ME,math.ST,stat.ML; hypothesis testing; survey; Olga Ivanova",
]
TOPIC_KEYS = ("categories", "keywords", "exclude", "authors")  # a TOPICS rule's four ';'-separated parts


def toml_value(v: str | list[str]) -> str:
    return json.dumps(v, ensure_ascii=False)  # JSON strings and lists are valid TOML


def config_text(search: bool) -> str:
    q = toml_value  # short, for the f-strings below
    out = ['[site]\ntitle = "Bench Feeds"\nbase_url = "https://example.org/bench/"\n',
           f"[build]\nsearch = {str(search).lower()}\n"]
    for line in TOPICS:
        slug, rules = line.split(":", 1)
        lists = [[x.strip() for x in part.split(",") if x.strip()] for part in rules.split(";")]
        out.append(f"[[topics]]\nslug = {q(slug)}\ntitle = {q(slug.replace('-', ' ').title())}\n"
                   f"description = {q('Papers about ' + slug)}\n"
                   + "".join(f"{key} = {q(v)}\n" for key, v in zip(TOPIC_KEYS, lists, strict=True)))
    return "\n".join(out)


def site_folder(root: Path, n: int, corpus: str = "plain") -> Path:
    return root / (f"site-{n}" if corpus == "plain" else f"site-{n}-{corpus}")


def schedule(n: int) -> tuple[list[str], list[date], random.Random]:
    """The ids and announcement days of the site's N papers (days drawn, ids numbered per month),
    and the generator, whose next draws make the papers."""
    r = random.Random(SEED * 1000003 + n)
    weekdays = [d for d in (FIRST_DAY + timedelta(i) for i in range(364)) if d.weekday() < 5]
    days = sorted(r.choice(weekdays) for _ in range(n))
    months = [f"{d:%y%m}" for d in days]  # sorted, so each month is one run; numbers from 00001
    return [f"{m}.{i:05d}" for m, run in itertools.groupby(months) for i, _ in enumerate(run, 1)], days, r


def generate(site: Path, n: int, corpus: str = "plain", templates: Path = REPO / "templates") -> None:
    """Write the site for N papers unless .bench-stamp says it is there; refresh its templates
    (a copy of `templates`) and configs."""
    ids, days, r = schedule(n)
    stamp = site / ".bench-stamp"
    wanted = f"{GENERATOR} {SEED} {n}\n" if corpus == "plain" else f"{GENERATOR} {SEED} {n} {corpus}\n"
    if not (stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(site, ignore_errors=True)
        t = time.perf_counter()
        for pid, day in zip(ids, days, strict=True):
            paper = make_paper(r, pid, day, corpus == "markdown", days[-1])
            write_paper(site / "content", enrich_s2(paper, days[-1]) if corpus == "semanticscholar" else paper)
        stamp.write_text(wanted)
        print(f"generated {n} {corpus} snapshots in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    shutil.rmtree(site / "templates", ignore_errors=True)
    shutil.copytree(templates, site / "templates")
    (site / "sitegen.toml").write_text(config_text(False))
    (site / "sitegen-search.toml").write_text(config_text(True))
