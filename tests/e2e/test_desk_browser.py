"""The review page in headless Chromium: paste, check, highlight, accept, copy, download.

``MTNORM_DESK_SCREENSHOT=docs/desk.png pytest tests/e2e`` also saves the
screenshot of the page with findings that the README shows.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import normalize

ROOT = Path(__file__).resolve().parents[2]
SHARED_EXAMPLE = ROOT.parent / "shared" / "examples" / "wire-shusha-en-from-fr.txt"
OWN_EXAMPLE = ROOT / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"
OPTS = {"lang": "en", "style": "ap", "source_lang": "fr"}

SYNTHETIC_PASTE = """t => {
  const dt = new DataTransfer();
  dt.setData('text/plain', t);
  const ta = document.getElementById('input');
  ta.focus();
  ta.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
}"""


def wait_until(page, predicate: str, timeout: float = 120.0) -> None:
    """Poll a JS predicate (the page's CSP forbids wait_for_function's string evaluation)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        time.sleep(0.03)


def example_text() -> str:
    path = SHARED_EXAMPLE if SHARED_EXAMPLE.exists() else OWN_EXAMPLE
    return path.read_text(encoding="utf-8")


def set_options(page, lang="en", style="ap", source_lang="fr") -> None:
    page.select_option("#lang", lang)
    page.select_option("#style", style or "")
    page.select_option("#source-lang", source_lang or "")


def paste(page, text: str) -> str:
    """Paste ``text`` into the editor: through the real clipboard when the browser allows
    it, else with the paste event a browser sends. Returns how it was pasted."""
    page.click("#input")
    page.keyboard.press("ControlOrMeta+A")
    try:
        page.evaluate("t => navigator.clipboard.writeText(t)", text)
        page.keyboard.press("ControlOrMeta+V")
        if page.evaluate("() => window.mtnormDesk.raw()") == text:
            return "clipboard"
    except Exception:
        pass
    page.fill("#input", "")
    page.evaluate(SYNTHETIC_PASTE, text)
    return "event"


def wait_done(page, before: int) -> None:
    wait_until(page, f"() => window.mtnormDesk.actions() > {before} && !window.mtnormDesk.busy()")


def actions(page) -> int:
    return page.evaluate("() => window.mtnormDesk.actions()")


def check(page) -> None:
    before = actions(page)
    page.click("#check")
    wait_done(page, before)
    assert page.evaluate("() => window.mtnormDesk.mode()") == "review"


def marked_ids(page) -> set[int]:
    return set(page.evaluate("""() => [...document.querySelectorAll('#text mark[data-fids]')]
        .flatMap(m => m.dataset.fids.split(' ').map(Number))"""))


def download(page) -> bytes:
    with page.expect_download() as info:
        page.click("#download")
    return Path(info.value.path()).read_bytes()


def clipboard(page) -> str | None:
    try:
        return page.evaluate("() => navigator.clipboard.readText()")
    except Exception:
        return None


def test_example_story_findings_and_accept_all_safe_equal_mtnorm_fix(page):
    text = example_text()
    set_options(page)
    paste(page, text)
    assert page.evaluate("() => window.mtnormDesk.raw()") == text
    check(page)

    expected = normalize.check(text, **OPTS)
    assert expected
    assert page.evaluate("() => window.mtnormDesk.findings().length") == len(expected)
    assert marked_ids(page) == set(range(len(expected)))          # every finding is highlighted
    assert page.locator("#groups li.item").count() == len(expected)  # and listed
    shown_categories = page.eval_on_selector_all("#groups section.group h3",
                                                 "hs => hs.map(h => h.textContent)")
    assert len(shown_categories) == len({f.category for f in expected})
    # Each mark shows exactly its finding's text (offsets converted right).
    first = expected[0]
    mark_text = page.evaluate("""() => [...document.querySelectorAll('#text mark[data-fids]')]
        .filter(m => m.dataset.fids.split(' ').includes('0')).map(m => m.textContent).join('')""")
    assert mark_text == first.text

    if os.environ.get("MTNORM_DESK_SCREENSHOT"):
        page.keyboard.press("j")
        page.keyboard.press("j")
        page.wait_for_selector("#card:not([hidden]) dl", timeout=120_000)
        page.screenshot(path=os.environ["MTNORM_DESK_SCREENSHOT"])

    # Nothing accepted: the text copied or downloaded is the text pasted.
    assert page.evaluate("() => window.mtnormDesk.text()") == text
    assert download(page) == text.encode("utf-8")

    before = actions(page)
    page.click("#accept-safe")
    wait_done(page, before)
    fixed = normalize.fix(text, **OPTS).text
    assert fixed != text
    assert page.evaluate("() => window.mtnormDesk.text()") == fixed
    assert download(page) == fixed.encode("utf-8")
    assert page.is_disabled("#accept-safe")
    remaining = normalize.check(fixed, **OPTS)
    assert page.evaluate("() => window.mtnormDesk.findings().length") == len(remaining)


def test_a_script_in_the_story_is_shown_as_text(page):
    story = ('<script>window.__pwned = 1</script> Officials in Kiev said <img src=x '
             'onerror="window.__pwned = 2"> the the <b>bold</b> [ad_1]\n')
    set_options(page)
    paste(page, story)
    check(page)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#text script, #text img, #text b, #groups script, #groups img").count() == 0
    assert page.inner_text("#text").startswith("<script>window.__pwned = 1</script>")
    assert page.evaluate("() => document.getElementById('text').textContent") == story
    assert len(marked_ids(page)) >= 2
    before = actions(page)
    page.click("#accept-safe")
    wait_done(page, before)
    assert page.evaluate("() => window.mtnormDesk.text()") == normalize.fix(story, **OPTS).text
    assert page.evaluate("() => window.__pwned") is None


def test_crlf_bom_and_emoji_file_round_trips_byte_for_byte(page):
    text = "😀🇺🇦 Officials in Kiev said on Thursday\r\nthat 𝒜 convoy reached Nagorny Karabakh (…)\r\n" \
           "Ca\u0301fe\u0301 owners in Kiev agreed.\r\n"
    data = b"\xef\xbb\xbf" + text.encode("utf-8")
    set_options(page)
    before = actions(page)
    page.set_input_files("#file", files=[{"name": "story.txt", "mimeType": "text/plain", "buffer": data}])
    wait_done(page, before)  # opening a file checks it at once
    assert page.evaluate("() => window.mtnormDesk.text()") == text
    findings = normalize.check(text, **OPTS)
    assert marked_ids(page) == set(range(len(findings)))
    # Each highlighted span is the finding's text, although JS counts UTF-16 units.
    spans = page.evaluate("""() => {
        const out = {};
        for (const m of document.querySelectorAll('#text mark[data-fids]'))
          for (const id of m.dataset.fids.split(' ')) out[id] = (out[id] || '') + m.textContent;
        return out; }""")
    for i, f in enumerate(findings):
        assert spans[str(i)] == f.text
    assert download(page) == data
    page.click("#copy")
    copied = clipboard(page)
    if copied is not None:
        assert copied == text

    # Accept the Kiev finding only: the edit lands after the emoji, where Python puts it.
    kiev = next(i for i, f in enumerate(findings) if f.text == "Kiev")
    before = actions(page)
    page.click(f'#groups li[data-fid="{kiev}"] button[data-act="accept"]')
    wait_done(page, before)
    expected = text
    for e in reversed(findings[kiev].edits()):
        expected = expected[:e.start] + e.replacement + expected[e.end:]
    assert "Kyiv" in expected and page.evaluate("() => window.mtnormDesk.text()") == expected
    assert download(page) == b"\xef\xbb\xbf" + expected.encode("utf-8")
    # Undo gives back the file as it was.
    before = actions(page)
    page.click("#undo")
    wait_done(page, before)
    assert download(page) == data


def test_pasted_crlf_text_survives_the_editor(page):
    text = "[ad_1]\r\nOfficials in Kiev said 😀\r\n\r\nSource link\r\n"
    set_options(page)
    how = paste(page, text)
    assert page.evaluate("() => window.mtnormDesk.raw()") == text, how
    # Typing elsewhere keeps the pasted line breaks.
    page.click("#input")
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type(" Done.")
    assert page.evaluate("() => window.mtnormDesk.raw()") == text + " Done."
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    check(page)
    assert page.evaluate("() => window.mtnormDesk.text()") == text
    page.click("#copy")
    copied = clipboard(page)
    if copied is not None:
        assert copied == text
    assert download(page) == text.encode("utf-8")


def test_keyboard_review(page):
    story = "Officials in Kiev said (…) the the talks in Kharkov went well.\n"
    set_options(page)
    paste(page, story)
    check(page)
    findings = normalize.check(story, **OPTS)
    assert len(findings) >= 3
    focused = lambda: page.evaluate("() => document.activeElement.dataset.fid")
    page.keyboard.press("j")
    first = focused()
    page.keyboard.press("j")
    second = focused()
    assert first is not None and second is not None and first != second
    # Focus is visible: the item is outlined and so is its mark in the text.
    assert page.locator(f'#groups li.item.focus[data-fid="{second}"]').count() == 1
    assert page.locator("#text mark.focus").count() >= 1
    outline = page.evaluate("() => getComputedStyle(document.querySelector('#text mark.focus')).outlineStyle")
    assert outline != "none"
    page.keyboard.press("k")
    assert focused() == first
    page.keyboard.press("ArrowDown")
    assert focused() == second

    # r rejects (and moves on); r again on it restores it.
    page.keyboard.press("k")
    page.keyboard.press("r")
    assert page.locator(f'#groups li.item.rejected[data-fid="{first}"]').count() == 1
    # a accepts the focused finding; u undoes it.
    target = next(i for i, f in enumerate(findings) if f.fix.value == "safe" and str(i) != first)
    for _ in range(2 * len(findings)):
        if focused() == str(target):
            break
        page.keyboard.press("j" if int(focused()) < target else "k")
    assert focused() == str(target)
    before = actions(page)
    page.keyboard.press("a")
    wait_done(page, before)
    f = findings[target]
    expected = story
    for e in reversed(f.edits()):
        expected = expected[:e.start] + e.replacement + expected[e.end:]
    assert page.evaluate("() => window.mtnormDesk.text()") == expected
    # The rejected finding stays rejected after the re-check.
    assert page.locator("#groups li.item.rejected").count() == 1
    before = actions(page)
    page.keyboard.press("u")
    wait_done(page, before)
    assert page.evaluate("() => window.mtnormDesk.text()") == story


def test_hovering_a_toponym_shows_its_gazetteer_entry(page):
    story = "Officials in Kiev said the convoy left Kharkov on Monday.\n"
    set_options(page)
    paste(page, story)
    check(page)
    findings = normalize.check(story, **OPTS)
    kiev = next(i for i, f in enumerate(findings) if f.text == "Kiev")
    place = findings[kiev].data["place"]
    page.hover(f'#text mark[data-fids~="{kiev}"]')
    page.wait_for_selector("#card:not([hidden]) dl", timeout=120_000)
    card = page.inner_text("#card")
    assert place in card and "Kyiv" in card
    page.mouse.move(5, 5)
    page.keyboard.press("Escape")


def test_bad_options_show_the_servers_message(page):
    set_options(page)
    page.click("details.more summary")
    page.fill("#select", "no.such.rule")
    paste(page, "Officials in Kiev said.\n")
    before = actions(page)
    page.click("#check")
    wait_done(page, before)
    assert page.is_visible("#error")
    assert "unknown rule, group or category 'no.such.rule'" in page.inner_text("#error")
    assert page.evaluate("() => window.mtnormDesk.mode()") == "edit"
