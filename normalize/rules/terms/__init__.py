"""Terminology rules configured by the user (``reject`` in the mtnorm configuration)."""
