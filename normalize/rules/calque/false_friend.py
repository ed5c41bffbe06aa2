"""calque.false_friend is a data rule now: ``corpora/rules/calque.false_friend.yaml``
(type ``pattern``, :mod:`normalize.ruletypes.pattern`) with the entries in
``corpora/rules/<target>/calques/<source>.yaml``.

Every entry names whole-word anchors; the document's words are looked up once
(one vectorised pass for all anchors, see ``analysis/lookup.py``) and an entry's
regex runs only on the lines holding one of its anchors.
"""
