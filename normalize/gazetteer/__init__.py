"""The multilingual gazetteer: places, their names per language, and a fast matcher."""
from __future__ import annotations

from .store import Gazetteer, Name, Place, get_gazetteer

__all__ = ["Gazetteer", "Name", "Place", "get_gazetteer"]
