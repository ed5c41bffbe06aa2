"""debris.html: HTML tags and character entities left in plain text."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from .._scan import matches_at
from .._text import removal_span

_TAGS = ("a|abbr|article|aside|b|blockquote|br|center|div|em|figcaption|figure|font|footer|h[1-6]|"
         "header|hr|i|iframe|img|li|nav|ol|p|section|small|span|strong|sub|sup|table|tbody|td|th|"
         "thead|tr|u|ul")
# Whole script/style elements go with their content; other tags alone.
# Compiled the first time a text holds "<" or "&" (matches_at looks for them first).
_HTML = LazyPattern(
    r"<(?P<elem>script|style)\b[^>]{0,500}>.{0,20000}?</(?P=elem)\s*>"
    r"|</?(?:" + _TAGS + r")(?:\s[^<>]{0,500})?/?>"
    r"|<!--.{0,2000}?-->"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)",
    re.IGNORECASE | re.DOTALL)
_BLOCK = LazyPattern(r"</?(?:br|p|div|li|h[1-6]|tr|blockquote|section|article)\b", re.IGNORECASE)


@register
class HtmlDebris(Rule):
    id = "debris.html"
    category = Category.DEBRIS
    # A comment or a script/style element may run over many lines (and a run of tags
    # holding an inline directive is left alone as a whole), so a finding can depend on
    # lines far from it: the fixer must re-check the whole text, not the edited lines.
    scope = "document"
    # In pieces: a match starts in the piece and is read in the 32,768 characters before it
    # (more than a script element's 20,500), but after it only in the 8 lines that follow:
    # a comment, script or style element (or a tag split over lines) that ends more than
    # 8 lines after the piece is missed there, and the tags inside it are reported.
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Other/Markup"
    description = "HTML tags, comments and entities left in plain text."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        run_end = -1
        # Markup starts with "<" or "&": try the pattern only there.
        for m in matches_at(_HTML, text, "<&"):
            if m.start() < run_end:
                continue  # already part of a run of tags
            start, end = m.span()
            if not m.group("entity"):
                # A run of adjacent tags ("</p><p>") is one piece of markup.
                nxt = _HTML.match(text, end)
                while nxt is not None and not nxt.group("entity"):
                    end = nxt.end()
                    nxt = _HTML.match(text, end)
            run_end = end
            markup = text[start:end]
            if "mtnorm:" in markup:
                continue  # an inline directive (or a malformed one, which suppression.* reports)
            if m.group("entity"):
                import html  # on first use: ~1.5 ms to import, for texts that hold an entity

                value = html.unescape(markup)
                if value == markup:
                    continue  # not an entity HTML knows: leave "AT&T;" alone
                yield self.finding(ctx, start, end, f"HTML entity {markup} in plain text; "
                                   f"write the character itself", replacement=value)
                continue
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            if _BLOCK.search(markup) and not before.isspace() and not after.isspace():
                # "word<br>word": the markup separated two words, keep them apart.
                yield self.finding(ctx, start, end, "HTML tag in plain text; remove it",
                                   replacement=" ")
                continue
            cut_start, cut_end = removal_span(text, start, end)
            if not (before.isspace() or after.isspace()) and cut_start == start and cut_end == end:
                cut = (start, end)
            else:
                cut = (cut_start, cut_end)
            yield self.finding(ctx, start, end, "HTML markup in plain text; remove it",
                               replacement="", replaces=cut)
