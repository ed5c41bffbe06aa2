"""Rules, one per module in group folders (``garble/unbalanced.py`` is ``garble.unbalanced``).

Rules written as data (``corpora/rules/<id>.yaml``: ``debris.pattern``,
``calque.false_friend``, ``terms.rejected``, and the user's own) are registered
by ``data/declared.py`` from their files, see :mod:`normalize.ruletypes`.
Helpers shared by several groups live in the underscore modules here.
"""
