"""The HTML report as an editor receives it: one self-contained page, hostile text kept as text,
every finding highlighted on its exact span, overlaps that do not break the text.

These tests read the page with the standard library's HTML parser (the same tokenisation rules
as a browser for this markup); tests/test_html_browser.py loads it in a real Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from mtaudit.core.findings import Finding, Severity
from mtaudit.core.scorecard import Scorecard, SentenceScore
from mtaudit.io.inputs import InputError
from mtaudit.report.html import nest_spans, render_html
from mtaudit.text.furniture import Excluded

SIG = "mtaudit:0.1.0|rules:3@abcd1234|data:furniture@4659f950|lm:none|thresholds:fail_likelihood=0.8,warn_likelihood=0.5"
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">&amp; "quoted" \'single\' {a}'


# ------------------------------------------------------------------ building scorecards by hand
def finding(
    text: str,
    start: int,
    end: int,
    rule="AN201",
    category="anglicism",
    severity="minor",
    message="a message",
    suggestion="une correction",
) -> Finding:
    return Finding(
        rule,
        category,
        Severity(severity),
        start,
        end,
        message,
        suggestion,
        text=text[start:end] if 0 <= start < end <= len(text) else "",
    )


def find(text: str, snippet: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(snippet, i + 1)
    return i, i + len(snippet)


def make_card(
    text: str,
    findings=(),
    excluded=(),
    source="article.txt",
    verdict="fail",
    scores=None,
    sentences=(),
    signature=SIG,
    notes=(),
    thresholds=None,
) -> Scorecard:
    return Scorecard(
        source=source,
        language="fr",
        verdict=verdict,
        scores={"words": len(text.split()), **(scores or {})},
        findings=list(findings),
        excluded=list(excluded),
        signature=signature,
        reasons=["2 major findings"],
        text=text,
        sentences=list(sentences),
        notes=list(notes),
        thresholds={} if thresholds is None else thresholds,
    )


OVERLAP_TEXT = (
    "Aller au contenu\n"
    "Le président a dit qu'il était excité à propos du deal signé hier.\n"
    "\n"
    "CNN a fourni le reporting pour cet article.\n"
)


def overlap_card() -> Scorecard:
    """Nested, crossing, identical, adjacent and line-crossing findings, and one off the text."""
    t = OVERLAP_TEXT
    fs = []
    s, e = find(t, "excité à propos du deal")
    # finding 0, the outer span
    fs.append(finding(t, s, e, "FL601", "fluency", "minor", "awkward phrase"))
    s, e = find(t, "excité")
    # 1, nested in 0
    fs.append(finding(t, s, e, "AN202", "anglicism", "major", "false friend", "enthousiaste"))
    s, e = find(t, "deal signé")
    # 2, crosses the end of 0
    fs.append(finding(t, s, e, "EN101", "english", "major", "English word", "accord"))
    s2, e2 = find(t, "deal")
    # 3, the last word of 0 and the first of 2
    fs.append(finding(t, s2, e2, "AN203", "anglicism", "minor", "same span as part of 2"))
    s, e = find(t, "signé hier")
    # 4, crosses the end of 2
    fs.append(finding(t, s, e, "GR701", "grammar", "info", "adjacent/crossing"))
    s, _ = find(t, "hier.")
    _, e = find(t, "CNN a fourni")
    # 5, over three lines (one blank)
    fs.append(finding(t, s, e, "CR401", "credit", "critical", "crosses lines"))
    s, e = find(t, "reporting")
    # 6, on the line where 5 ends
    fs.append(finding(t, s, e, "EN102", "english", "major", "English word", "les informations"))
    # 7, outside the text
    fs.append(finding(t, len(t) + 5, len(t) + 9, "NM501", "name", "minor", "off the text"))
    ex = [Excluded(1, 0, 16, "navigation", "skip link", "Aller au contenu")]
    return make_card(t, fs, ex, scores={"translated_from_english": 0.91, "fluency": 42.0})


# ------------------------------------------------------------------ a small DOM from the page
VOID = {
    "meta",
    "input",
    "br",
    "img",
    "link",
    "hr",
    "wbr",
    "source",
    "area",
    "base",
    "col",
    "embed",
    "param",
    "track",
}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class Tree(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        assert n is not self.root, f"stray </{tag}>"
        assert n is self.cur, f"</{tag}> closes <{self.cur.tag}>: markup is not nested"
        self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)

    def all(self, tag=None, cls=None, **attrs):
        for n in self.root.iter():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.classes():
                continue
            if any(n.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            yield n

    def by_id(self, i):
        found = [n for n in self.root.iter() if n.attrs.get("id") == i]
        assert len(found) <= 1, f"duplicate id {i}"
        return found[0] if found else None


def article_text(tree: Tree, aid: str) -> str:
    """The text of an article view as the reader sees it, line by line."""
    art = tree.by_id(aid)
    return "\n".join(n.text() for n in art.iter() if n.tag == "div" and "ln" in n.classes())


def pieces(tree: Tree, aid: str, fid: int) -> list[Node]:
    return list(tree.all("mark", data_f=f"{aid}-f{fid}"))


# ------------------------------------------------------------------ tests
def test_hostile_text_stays_text():
    t = f"Titre {HOSTILE}\nUn texte </div></details></main> avec <b>balises</b> et </script> dedans.\n"
    s, e = find(t, "<script>")
    f1 = Finding(
        "EN1<b>",
        "catégorie <img src=x onerror=alert(1)>",
        Severity.MAJOR,
        s,
        e,
        HOSTILE,
        HOSTILE,
        text=t[s:e],
    )
    s, e = find(t, "</div>")
    f2 = finding(t, s, e, message="</mark></span>", suggestion="<mark>")
    ex = [Excluded(2, t.index("\n") + 1, len(t) - 1, "dup<licate>", HOSTILE, "x")]
    card = make_card(t, [f1, f2], ex, source=f"evil{HOSTILE}.txt", signature=f"sig{HOSTILE}")
    page = render_html([card], [InputError(f"bad{HOSTILE}", HOSTILE)], f"sig{HOSTILE}")

    # only our own script and no element that came from the article
    assert page.lower().count("<script") == 1
    assert "<img" not in page and "<b>balises" not in page
    tree = Tree(page)  # well nested: the article's tags did not close ours
    assert [n.tag for n in tree.all("script")] == ["script"]
    assert not list(tree.all("img")) and not [b for b in tree.all("b") if b.text() == "balises"]
    # ... and the reader sees the hostile text as written
    assert article_text(tree, "a0") == t.rstrip("\n")
    assert tree.by_id("a0-m0").text() == "<script>"
    assert HOSTILE in tree.by_id("a0-f0").text()
    assert HOSTILE in tree.by_id("signature").text()
    assert any(HOSTILE in n.text() for n in tree.all("section", cls="errors"))
    assert any(HOSTILE in (n.attrs.get("data-why") or "") for n in tree.all("div", cls="ex"))
    assert any(f"evil{HOSTILE}.txt" == n.text() for n in tree.all("span", cls="src"))


def test_one_highlight_per_finding_on_exact_span():
    card = overlap_card()
    tree = Tree(render_html([card], [], SIG))
    # the text is intact despite overlapping highlights
    assert article_text(tree, "a0") == OVERLAP_TEXT.rstrip("\n")
    for fid, f in enumerate(card.findings):
        ps = pieces(tree, "a0", fid)
        if fid == 7:  # outside the text: listed, not highlighted
            assert ps == [] and tree.by_id("a0-m7") is None
            assert "(no span)" in tree.by_id("a0-f7").text()
            continue
        first = tree.by_id(f"a0-m{fid}")
        assert first is not None and first.attrs.get("tabindex") == "0", f.rule
        assert ps[0] is first
        assert sum(1 for p in ps if p.attrs.get("tabindex")) == 1, "one keyboard stop per finding"
        assert "".join(p.text() for p in ps) == f.text.replace("\n", ""), f.rule
        assert first.attrs["aria-describedby"] == f"a0-f{fid}"
        assert tree.by_id(f"a0-f{fid}") is not None
    # nested: the false friend sits inside the fluency span; the crossing one is split
    assert tree.by_id("a0-m1").parent is tree.by_id("a0-m0")
    assert len(pieces(tree, "a0", 2)) == 2
    # "hier" inside "signé hier", then "." on line 2, then "CNN a fourni" on line 4
    assert [p.text() for p in pieces(tree, "a0", 5)] == ["hier", ".", "CNN a fourni"]


@pytest.mark.parametrize(
    "spans",
    [
        [(0, 10, 0), (5, 15, 1)],
        [(0, 10, 0), (2, 4, 1), (3, 12, 2), (3, 12, 3), (11, 20, 4)],
        [(0, 5, 0), (5, 9, 1), (0, 9, 2)],
        [(i, i + 7, i) for i in range(0, 30, 3)],
    ],
)
def test_nest_spans_covers_each_span_and_nests(spans):
    roots = nest_spans([(s, e, fid, True) for s, e, fid in spans])
    covered: dict[int, set[int]] = {}

    def walk(nodes, lo, hi):
        last = lo
        for n in nodes:
            assert last <= n.start < n.end <= hi  # ordered, inside the parent
            covered.setdefault(n.fid, set()).update(range(n.start, n.end))
            walk(n.children, n.start, n.end)
            last = n.end

    walk(roots, 0, 10**6)
    for s, e, fid in spans:
        assert covered[fid] == set(range(s, e))


def test_page_is_self_contained_and_locked_down():
    page = render_html([overlap_card()], [], SIG)
    no_ns = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://|//cdn|<link|<iframe|@import|url\(", no_ns, re.I)
    assert not re.search(r"\ssrc=", page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp  # our script runs, no other would


def test_deterministic():
    cards = [overlap_card(), make_card("Un autre texte.\n", source="b.txt", verdict="pass")]
    assert render_html(cards, [], SIG) == render_html(cards, [], SIG)


def test_excluded_lines_greyed_with_reason_and_never_highlighted():
    tree = Tree(render_html([overlap_card()], [], SIG))
    (ex,) = tree.all("div", cls="ex")
    assert ex.attrs["data-why"] == "navigation: skip link"
    assert ex is next(tree.all("div", cls="ln"))  # the first line
    assert ex.text() == "Aller au contenu" and not [n for n in ex.iter() if n.tag == "mark"]


def test_batch_table_chart_filters_and_signature():
    cards = [overlap_card()] + [
        make_card(
            "Texte sain.\n",
            source=f"dir/b{i}.txt",
            verdict="pass",
            scores={"translated_from_english": i / 10},
        )
        for i in range(4)
    ]
    cards.append(make_card("Sans score.\n", source="dir/c.txt", verdict="warn"))
    tree = Tree(render_html(cards, [InputError("dir/x.txt", "binary file")], SIG))
    rows = list(tree.all("tr", cls=None))[1:]
    assert [r.attrs.get("data-verdict") for r in rows] == [
        "fail",
        "pass",
        "pass",
        "pass",
        "pass",
        "warn",
    ]
    assert rows[0].children[3].attrs["data-v"] == "0.91" and rows[0].children[3].text() == "0.91"
    assert rows[5].children[3].attrs["data-v"] == "" and rows[5].children[3].text() == "–"
    heads = [th.text().strip() for th in tree.all("th")]
    assert (
        heads[:4] == ["#", "article", "verdict", "from EN"]
        and "english" in heads
        and "credit" in heads
    )
    assert all(b.attrs.get("data-col") for b in tree.all("button") if b.parent.tag == "th")
    # one dot per article with a likelihood, linked to its view
    dots = list(tree.all("circle"))
    assert len(dots) == 5
    assert {d.parent.attrs["href"] for d in dots} == {"#a0", "#a1", "#a2", "#a3", "#a4"}
    # filters list the categories present, with their counts; all four severities
    cats = {
        n.attrs["data-k"]: n.parent.text().split() for n in tree.all("input") if "data-k" in n.attrs
    }
    assert sorted(v[0] for v in cats.values()) == sorted(
        ["english", "anglicism", "grammar", "name", "credit", "fluency"]
    )
    assert {n.attrs["data-s"] for n in tree.all("input") if "data-s" in n.attrs} == {
        "critical",
        "major",
        "minor",
        "info",
    }
    # errors, signature at the foot and in each article
    assert "dir/x.txt: binary file" in tree.by_id("errors").text()
    assert tree.by_id("signature").text() == SIG
    sigs = list(tree.all("p", cls="artsig"))
    assert len(sigs) == len(cards) and all("foot of the page" in p.text() for p in sigs)
    other = make_card("Texte.\n", signature="mtaudit:0.0.9|rules:1@x")
    tree = Tree(render_html([other], [], SIG))
    assert next(tree.all("p", cls="artsig")).text() == "signature: mtaudit:0.0.9|rules:1@x"


def test_large_batch_gets_bars_and_closed_articles():
    cards = [
        make_card(
            f"Article {i}.\n",
            source=f"d/{i}.txt",
            verdict="pass",
            scores={"translated_from_english": (i % 17) / 17},
        )
        for i in range(200)
    ]
    tree = Tree(render_html(cards, [], SIG))
    assert not list(tree.all("circle"))
    bars = list(tree.all("rect"))
    assert bars and sum(int(b.children[0].text().split(": ")[1].split()[0]) for b in bars) == 200
    assert not any("open" in d.attrs for d in tree.all("details"))
    small = Tree(render_html(cards[:3], [], SIG))
    assert all("open" in d.attrs for d in small.all("details"))


def test_fluency_strip_only_when_the_model_ran():
    t = "Une phrase correcte. Une phrase trop bizarre de la traduction.\nUne autre.\n"
    sents = [
        SentenceScore(0, 20, 12.5, 0.1, 88.0, 0, 4, True),
        SentenceScore(21, 62, 410.0, 2.0, 3.0, 4, 12, True),
        SentenceScore(63, 73, 20.0, 0.3, 70.0, 12, 14, True),
    ]
    tree = Tree(render_html([make_card(t, sentences=sents)], [], SIG))
    bars = [
        n
        for n in tree.all("span")
        if "fs" in (n.parent.classes() if isinstance(n.parent, Node) else set())
    ]
    assert len(bars) == 3
    assert bars[0].attrs["class"] == "q0" and bars[1].attrs["class"] == "q4"
    assert "perplexity 410.0" in bars[1].attrs["title"] and "trop bizarre" in bars[1].attrs["title"]
    plain = Tree(render_html([make_card(t)], [], SIG))
    assert not list(plain.all("span", cls="fs"))


def test_unknown_category_and_missing_text_do_not_break_the_page():
    t = "Un mot.\n"
    odd = Finding("ZZ999", 'nouvelle "catégorie"', Severity.INFO, 3, 6, "m", None, text="mot")
    card = make_card(t, [odd])
    nocard = make_card("x", [], verdict="skipped")
    nocard.text = None
    page = render_html([card, nocard], [], SIG)
    tree = Tree(page)
    m = tree.by_id("a0-m0")
    assert m.text() == "mot" and "k0" in m.classes()
    assert 'nouvelle "catégorie"' in tree.by_id("a0-f0").text()
    assert "not in the scorecard" in tree.by_id("a1").text()


def test_seed_findings_highlighted(seeds_dir, rules_auditor):
    """Whatever the checks find on the seeds lands on its exact text in the page."""
    from mtaudit.io.inputs import read_inputs

    cards = [
        c
        for c in rules_auditor.audit_many(read_inputs([str(seeds_dir)]))
        if isinstance(c, Scorecard)
    ]
    assert len(cards) >= 5
    tree = Tree(render_html(cards, [], rules_auditor.signature))
    for n, card in enumerate(cards):
        assert article_text(tree, f"a{n}") == (
            card.text[:-1] if card.text.endswith("\n") else card.text
        )
        for fid, f in enumerate(card.findings):
            assert "".join(p.text() for p in pieces(tree, f"a{n}", fid)) == f.text.replace("\n", "")
        assert len(list(tree.by_id(f"a{n}").iter())) > 0


def test_batch_with_only_input_errors():
    tree = Tree(render_html([], [InputError("a.bin", "binary file (NUL bytes), not text")], SIG))
    assert "a.bin: binary file (NUL bytes), not text" in tree.by_id("errors").text()
    assert tree.by_id("chart-none") is not None and not list(tree.all("details"))


# ------------------------------------------------------------------ the page reads the Scorecard
NOTE = "no fluency calibration for model tiny-gpt2: perplexity only"


def test_a_note_of_the_scorecard_is_shown_in_the_article():
    card = make_card("Une phrase.\n", notes=[NOTE])
    tree = Tree(render_html([card], [], SIG))
    notes = [li.text() for li in tree.all("li") if "muted" in li.classes()]
    assert notes == [f"note: {NOTE}"]
    assert NOTE not in render_html([make_card("Une phrase.\n")], [], SIG)


def chart_thresholds(page: str) -> dict[str, str]:
    """The threshold labels drawn on the likelihood chart: {"warn": "0.6", ...}."""
    tree = Tree(page)
    out = {}
    for n in tree.all("text"):
        words = n.text().split()
        if len(words) == 2 and words[0] in ("warn", "fail"):
            out[words[0]] = words[1]
    return out


def test_chart_thresholds_come_from_the_scorecard_not_the_signature_string():
    thr = {"warn_likelihood": 0.6, "fail_likelihood": 0.9}
    cards = [make_card("Texte.\n", scores={"translated_from_english": 0.7}, thresholds=thr)]
    # a signature string that says other thresholds, or nothing readable
    for sig in ("odd", SIG, "thresholds:warn_likelihood=0.1|thresholds:fail_likelihood=x"):
        assert chart_thresholds(render_html(cards, [], sig)) == {"warn": "0.6", "fail": "0.9"}


def test_chart_thresholds_from_a_signature_object_whatever_its_string():
    from mtaudit.core.signature import Signature

    # a check's part holding "|thresholds:…" makes the string misleading to a parser
    sig = Signature(
        "0.1.0",
        3,
        "abcd1234",
        parts={"lm": "none", "odd": "x|thresholds:warn_likelihood=0.1"},
        thresholds={"fail_likelihood": 0.85, "warn_likelihood": 0.55},
    )
    assert "|thresholds:warn_likelihood=0.1|" in str(sig)
    cards = [make_card("Texte.\n", scores={"translated_from_english": 0.7})]
    page = render_html(cards, [], sig)
    assert chart_thresholds(page) == {"warn": "0.55", "fail": "0.85"}
    assert Tree(page).by_id("signature").text() == str(sig)


def test_finding_list_gives_the_findings_own_line_and_column():
    t = "Titre\nLe deal est signé.\n"
    s, e = find(t, "deal")
    f = finding(t, s, e)
    f.line, f.column = 2, 4  # as the pipeline fills them
    tree = Tree(render_html([make_card(t, [f])], [], SIG))
    assert [a.text() for a in tree.all("a", cls="loc")] == ["2:4"]
