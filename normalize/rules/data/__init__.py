"""Rules declared by data files (``corpora/rules/*.yaml`` and ``MTNORM_RULES_PATH``), see :mod:`normalize.ruletypes`."""
