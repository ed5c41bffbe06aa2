"""garble.article_collision: two articles in a row ("a The", "the a", "le la")."""
from __future__ import annotations

import functools
import re
from typing import Iterator

from ...findings import Category, Finding, Severity
from ...languages import get_language
from ...registry import Context, Rule, register


@functools.lru_cache(maxsize=None)
def _pattern(lang: str) -> re.Pattern[str] | None:
    articles = get_language(lang).data("articles").get("articles", [])
    if not articles:
        return None
    alt = "|".join(sorted((re.escape(a) for a in articles), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?P<first>{alt})[ \t]+(?P<second>{alt})(?!\w)", re.I)


@register
class ArticleCollision(Rule):
    id = "garble.article_collision"
    category = Category.GARBLE
    severity = Severity.ERROR
    mqm = "Fluency/Grammar"
    description = "Two articles collide, usually where MT merged two clauses (data: articles.yaml)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        pattern = _pattern(ctx.language.code)
        if pattern is None:
            return
        for m in pattern.finditer(ctx.text):
            first, second = m.group("first"), m.group("second")
            if first.casefold() == second.casefold():
                continue  # a doubled word: repetition.doubled_word reports it
            if len(second) == 1 and second.isupper():
                continue  # the letter A: "plan A", "the A-team"
            yield self.finding(
                ctx, m.start(), m.end(),
                f"two articles collide ('{first} {second}'): a clause was garbled; "
                f"rewrite it (one of them must go)")
