"""Rules, one per module in group folders (``debris/patterns.py`` is ``debris.pattern``).

Helpers shared by several groups live in the underscore modules here.
"""
