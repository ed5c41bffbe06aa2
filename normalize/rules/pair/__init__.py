"""Checks of a translation against its source, segment by segment (``--source FILE``).

Each rule compares one target line with the source line it translates: paired
marks, end punctuation, start capitals, whitespace, empty or unchanged
segments, placeholders and markup, links, and the length ratio. They work from
Unicode properties (case, script, punctuation classes), so any language pair is
checked, and a check that needs something a script lacks (case in Chinese) is
skipped for it rather than guessed.
"""
