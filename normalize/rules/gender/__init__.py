"""Gender rules, one per module (helpers in _modules)."""
