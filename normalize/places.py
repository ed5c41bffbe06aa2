"""What mtnorm shows about a gazetteer place: ``mtnorm gazetteer lookup`` and the desk's
``/api/gazetteer`` both print :func:`place_entry` (one function, one JSON shape)."""
from __future__ import annotations

from typing import Any

from .gazetteer import get_gazetteer
from .styles import available_styles, load_style, style_languages


def place_entry(place_id: str) -> dict[str, Any]:
    """A place's kind, country, flags, names per language, each style's preferred name
    and the contested names (the ``Place`` schema of the desk's OpenAPI document)."""
    gaz = get_gazetteer()
    place = gaz.places.get(place_id)
    names = gaz.names_by_lang(place_id)
    styles: dict[str, str] = {}
    for style_name in available_styles():
        # A style written for several languages shows each: "afp" (its own
        # language) and "afp:fr" (its French section).
        for n, lang in enumerate(style_languages(style_name)):
            try:
                style = load_style(style_name, lang)
            except Exception:
                continue
            chosen = style.prefer.get(place_id) or gaz.preferred(place_id, style.lang)
            if chosen:
                styles[style_name if n == 0 else f"{style_name}:{lang}"] = chosen
    return {
        "id": place_id,
        "kind": place.kind if place else "",
        "country": place.country if place else "",
        "flags": sorted(place.flags) if place else [],
        "names": {lang: [{"name": n.text, "status": n.status, "source": n.source} for n in ns]
                  for lang, ns in sorted(names.items())},
        "preferred_by_style": styles,
        "contested": [{"lang": l, "name": n, "used_by": w}
                      for l, n, w in gaz.contested.get(place_id, [])],
    }


def style_lang(name: str) -> str:
    """The language a style is written for (its first, for a style of several)."""
    return (style_languages(name) or ("en",))[0]
