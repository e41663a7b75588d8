"""The HTML report in a real headless Chromium (Debian's chromium + chromedriver, via Selenium).

What an editor would notice: the page loads without console errors and without any network
request; every finding is highlighted on its text; a hostile article renders as text; filters
hide what they should and nothing else; tooltips show on hover and keyboard focus; the table
sorts; a link to a collapsed article opens it.

Skipped, with the reason in the warnings summary, when Selenium, chromium or chromedriver is
missing (`scripts/install_browser.sh` installs them).
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from chromium import binaries as chromium_binaries
from chromium import start as chromium_start
from test_report_html import HOSTILE, SIG, find, finding, make_card, overlap_card

from mtaudit.core.findings import Finding, Severity
from mtaudit.core.scorecard import Scorecard
from mtaudit.report.html import render_html

pytestmark = pytest.mark.browser


def _skip(reason: str):
    warnings.warn(f"browser tests skipped: {reason}", stacklevel=2)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def driver():
    try:
        import selenium  # noqa: F401
    except ImportError:
        _skip("selenium is not installed (pip install -e '.[dev]')")
    chromium, chromedriver = chromium_binaries()
    if not chromium or not chromedriver:
        _skip("chromium or chromedriver not found (run scripts/install_browser.sh)")
    d, profile = chromium_start(chromium, chromedriver)
    try:
        yield d
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def load(driver, tmp_path):
    """Write a page and open it; returns the console messages of loading it."""

    def _load(page: str, name: str = "report.html"):
        p = tmp_path / name
        p.write_text(page, encoding="utf-8")
        driver.get_log("browser")  # drop what earlier tests left
        driver.get(p.as_uri())
        driver.execute_script("return document.readyState")
        return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]

    return _load


def by_id(driver, i):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, i)


def highlight_texts(driver) -> dict[str, str]:
    """Finding id -> the text of all its highlight pieces, in document order."""
    return driver.execute_script(
        """
        const out = {};
        document.querySelectorAll('mark.f').forEach(m => {
          const k = m.dataset.f;
          let t = '';
          m.childNodes.forEach(function walk(n) {
            if (n.nodeType === 3) t += n.data; else n.childNodes.forEach(walk);
          });
          out[k] = (out[k] || '') + t;
        });
        return out;"""
    )


def seed_cards(seeds_dir, auditor) -> list[Scorecard]:
    from mtaudit.io.inputs import read_inputs

    cards = [
        c for c in auditor.audit_many(read_inputs([str(seeds_dir)])) if isinstance(c, Scorecard)
    ]
    # the checks grow while the project does: add what an editor flags on seed 004 by hand,
    # so this test always has highlights to look for
    expected = json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))
    (c4,) = [c for c in cards if Path(c.source).name.startswith("004_")]
    flags = expected[Path(c4.source).name]
    for snippet, kind in flags["must_flag"] + flags["should_flag"]:
        s, e = find(c4.text, snippet)
        c4.findings.append(
            finding(
                c4.text, s, e, "XX000", kind, "major", f"hand-made {kind} finding", "correction"
            )
        )
    c4.findings.sort(key=Finding.sort_key)
    return cards


def test_seed_report_loads_clean_and_highlights_every_finding(
    driver, load, seeds_dir, rules_auditor
):
    cards = seed_cards(seeds_dir, rules_auditor)
    errors = load(render_html(cards, [], rules_auditor.signature))
    assert errors == [], errors
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    texts = highlight_texts(driver)
    n = 0
    for a, card in enumerate(cards):
        for fid, f in enumerate(card.findings):
            assert texts.get(f"a{a}-f{fid}") == f.text.replace("\n", ""), (
                card.source,
                f.rule,
                f.text,
            )
            n += 1
    assert n >= 17 and len(texts) == n
    # coloured, visible, and the article text reads as the file
    (a4,) = [i for i, c in enumerate(cards) if "004_" in c.source]
    m = by_id(driver, f"a{a4}-m0")
    assert m.is_displayed()
    assert (
        driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", m)
        != "rgba(0, 0, 0, 0)"
    )
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll(`#a${arguments[0]} .ln`)).map(e => e.textContent).join('\\n')",
        a4,
    )
    assert shown == cards[a4].text.removesuffix("\n")
    assert by_id(driver, "signature").text == str(rules_auditor.signature)


def test_hostile_article_renders_as_text(driver, load):
    t = f"Titre {HOSTILE}\nDu texte <b>gras</b> et </script><script>window.__pwned=3</script> fin.\n"
    s, e = find(t, "<script>")
    f = Finding("EN101", "english", Severity.MAJOR, s, e, HOSTILE, HOSTILE, text=t[s:e])
    card = make_card(t, [f], source=f"x{HOSTILE}")
    from mtaudit.io.inputs import InputError

    errors = load(render_html([card], [InputError(HOSTILE, HOSTILE)], f"sig {HOSTILE}"))
    assert errors == [], errors
    assert driver.execute_script("return window.__pwned === undefined")
    assert driver.execute_script("return document.querySelectorAll('script').length") == 1
    assert (
        driver.execute_script(
            "return document.querySelectorAll('img, #a0 .txt b, #a0 ol b').length"
        )
        == 0
    )
    txt = driver.execute_script("return document.querySelector('#a0 .txt').textContent")
    assert HOSTILE in txt and "<b>gras</b>" in txt
    # the tooltip shows the hostile message as text too
    driver.execute_script("document.getElementById('a0-m0').focus()")
    tip = by_id(driver, "tip")
    assert tip.is_displayed() and HOSTILE in tip.text
    assert driver.execute_script(
        "return window.__pwned === undefined && !document.querySelector('#tip img')"
    )


def test_filters_hide_what_they_should(driver, load):
    from selenium.webdriver.common.by import By

    card = overlap_card()
    assert (
        load(render_html([card, make_card("Rien.\n", source="ok.txt", verdict="pass")], [], SIG))
        == []
    )
    txt_before = driver.execute_script("return document.querySelector('#a0 .txt').textContent")

    def state():
        return driver.execute_script(
            """
            const r = {};
            document.querySelectorAll('#a0 mark.f[id]').forEach(m => {
              r[m.id] = [getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)', m.tabIndex,
                         getComputedStyle(document.getElementById(m.dataset.f)).display !== 'none'];
            });
            return r;"""
        )

    visible = {k: v[0] and v[2] for k, v in state().items()}
    assert all(visible.values()) and len(visible) == 7

    def toggle(attr, value):
        box = driver.find_element(By.CSS_SELECTOR, f"#filters input[{attr}='{value}']")
        box.find_element(By.XPATH, "..").click()  # click the label, as a user does

    kidx = {
        str(i): driver.find_element(By.CSS_SELECTOR, f"#a0 li .cat.k{i}").text for i in range(6)
    }
    anglicism = next(i for i, c in kidx.items() if c == "anglicism")
    toggle("data-k", anglicism)
    st = state()
    for fid, f in enumerate(card.findings[:7]):
        shown, tab, listed = st[f"a0-m{fid}"]
        hidden = f.category == "anglicism"
        assert shown is not hidden and listed is not hidden and tab == (-1 if hidden else 0), f.rule
    toggle("data-s", "major")
    st = state()
    for fid, f in enumerate(card.findings[:7]):
        hidden = f.category == "anglicism" or f.severity.value == "major"
        assert st[f"a0-m{fid}"][0] is not hidden, f.rule
    # left listed: the fluency, grammar and credit findings, and the minor name one off the text
    assert by_id(driver, "a0").find_element(By.CLASS_NAME, "shown").text == "4"
    # the text itself never changes
    assert (
        driver.execute_script("return document.querySelector('#a0 .txt').textContent") == txt_before
    )
    toggle("data-k", anglicism)
    toggle("data-s", "major")
    assert all(v[0] and v[2] for v in state().values())
    # verdict filter hides rows and articles of that verdict
    toggle("data-v", "pass")
    assert not by_id(driver, "a1").is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, "#batch tr[data-verdict='pass']").is_displayed()
    assert by_id(driver, "a0").is_displayed()


def test_tooltip_on_hover_and_keyboard(driver, load):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    assert load(render_html([overlap_card()], [], SIG)) == []
    tip = by_id(driver, "tip")
    assert not tip.is_displayed()
    # hover the false friend nested in the fluency span: both findings, innermost first
    ActionChains(driver).move_to_element(by_id(driver, "a0-m1")).perform()
    assert tip.is_displayed()
    lines = tip.find_elements(By.CLASS_NAME, "tf")
    assert [x.find_element(By.CLASS_NAME, "rule").text for x in lines] == ["AN202", "FL601"]
    assert "false friend" in lines[0].text and "enthousiaste" in lines[0].text
    ActionChains(driver).move_to_element(by_id(driver, "signature")).perform()
    assert not tip.is_displayed()
    # keyboard: from the article's summary, Tab reaches the first highlight
    driver.execute_script("document.querySelector('#a0 summary').focus()")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.execute_script("return document.activeElement.id") == "a0-m0"
    assert tip.is_displayed() and "FL601" in tip.text and "awkward phrase" in tip.text
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.execute_script("return document.activeElement.id") == "a0-m1"
    assert "enthousiaste" in tip.text
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    assert not tip.is_displayed()


def test_table_sorts_and_links_open_collapsed_articles(driver, load):
    from selenium.webdriver.common.by import By

    cards = [
        make_card(
            f"Article {i}.\n",
            source=f"d/{i:02}.txt",
            verdict="pass",
            scores={"translated_from_english": lik},
        )
        for i, lik in enumerate([0.2, 0.9, None, 0.5, 0.05, 0.7, 0.33, 0.61, 0.12, 0.4, 0.8, 0.25])
    ]
    assert load(render_html(cards, [], SIG)) == []

    def order():
        return [
            r.get_attribute("data-i")
            for r in driver.find_elements(By.CSS_SELECTOR, "#batch tbody tr")
        ]

    assert order() == [str(i) for i in range(12)]
    btn = driver.find_element(By.CSS_SELECTOR, "#batch th button[data-col='3']")
    btn.click()
    assert order() == ["1", "10", "5", "7", "3", "9", "6", "11", "0", "8", "4", "2"]  # missing last
    assert btn.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"
    btn.click()
    assert order() == ["4", "8", "0", "11", "6", "9", "3", "7", "5", "10", "1", "2"]
    driver.find_element(By.CSS_SELECTOR, "#batch th button[data-col='1']").click()
    assert order() == [str(i) for i in range(12)]
    # more than a handful of articles: collapsed until asked for
    assert not by_id(driver, "a7").get_attribute("open")
    driver.find_element(By.CSS_SELECTOR, "#batch a[href='#a7']").click()
    assert by_id(driver, "a7").get_attribute("open") is not None
    assert "Article 7." in by_id(driver, "a7").text
