"""Translating documents segment by segment, and round-trip scoring.

:func:`translate_document` cuts a text into sentences (keeping its layout),
translates them and puts the translations back. :func:`round_trip` also
translates the translation back and scores every back-translated sentence
against the original with chrF (sacrebleu's, built by
:mod:`normalize.scoring.registry` exactly as ``mtnorm score -m chrf`` builds
it). :func:`round_trip_findings` turns the sentences that score below a
threshold into ``garble.round_trip`` findings of the ordinary findings model.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..findings import Category, Finding, FixSafety, Severity
from .resolve import ResolvedModel, resolve
from .segment import Segment, join, split_segments

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .engine import TranslationOptions

#: Sentences whose back-translation scores below this chrF (0-100) are reported.
#: A starting point, not a calibrated value: a round trip that keeps a sentence's
#: content shares most character n-grams with it, one that loses or garbles it
#: shares few. Tune it (--threshold) on one's own copy and models.
DEFAULT_THRESHOLD = 30.0
RULE_ID = "garble.round_trip"
#: The MQM type of its findings (as the rule declares, normalize/rules/garble/round_trip.py).
RULE_MQM = "Accuracy/Mistranslation"


@dataclass
class Translation:
    """A translated document: its segments, their translations, and the whole new text."""

    source_text: str
    segments: list[Segment]
    translations: list[str]
    text: str
    model: ResolvedModel
    truncated: int = 0


@dataclass
class RoundTripSegment:
    segment: Segment
    translation: str
    back_translation: str
    #: chrF of the back-translation against the original sentence (None: not scored).
    score: float | None


@dataclass
class RoundTrip:
    source_lang: str
    pivot_lang: str
    segments: list[RoundTripSegment]
    forward: Translation
    backward_model: ResolvedModel
    truncated: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _options(options: TranslationOptions | None) -> TranslationOptions:
    from .engine import TranslationOptions

    return options or TranslationOptions()


def _run(segments: Sequence[Segment], texts: Sequence[str], resolved: ResolvedModel,
         options: TranslationOptions, desc: str) -> tuple[list[str], int]:
    """Translations of ``texts`` (one per segment); letterless segments are copied."""
    from .engine import Translator

    todo = [t for s, t in zip(segments, texts) if s.translatable]
    if not todo:
        return list(texts), 0
    translator = Translator(resolved, options)
    done = iter(translator.translate(todo, desc=desc))
    return [next(done) if s.translatable else t for s, t in zip(segments, texts)], \
        translator.truncated


def translate_document(text: str, source_lang: str, target_lang: str, *,
                       model: str | ResolvedModel | None = None,
                       options: TranslationOptions | None = None) -> Translation:
    """Translate ``text`` sentence by sentence, keeping lines, blank lines and separators."""
    options = _options(options)
    options.check()
    resolved = _resolved(source_lang, target_lang, model)
    segments = split_segments(text, source_lang)
    translations, truncated = _run(segments, [s.text for s in segments], resolved, options,
                                   f"{source_lang}→{target_lang}")
    return Translation(text, segments, translations, join(text, segments, translations),
                       resolved, truncated)


def translate(text: str, source_lang: str, target_lang: str, *, model: str | None = None,
              options: TranslationOptions | None = None) -> str:
    """The translation of ``text`` (see :func:`translate_document`)."""
    return translate_document(text, source_lang, target_lang, model=model, options=options).text


def chrf_scorer() -> Any:
    """Sentence-level chrF, built by the scoring registry (sacrebleu's CHRF, defaults)."""
    from ..scoring.registry import ScoreOptions, get_spec

    spec = get_spec("chrf")
    assert spec.build is not None
    return spec.build(ScoreOptions(), True, None)


def _resolved(source: str, target: str, model: str | ResolvedModel | None,
              option: str = "--model") -> ResolvedModel:
    if isinstance(model, ResolvedModel):
        return model
    return resolve(source, target, model, option=option)


def resolve_back_model(source_lang: str, pivot_lang: str, forward: ResolvedModel,
                       back_model: str | ResolvedModel | None) -> ResolvedModel:
    """The model for the way back: ``back_model``, the forward model itself when it is
    multilingual, else the registry's choice for the reverse pair."""
    if back_model is not None:
        return _resolved(pivot_lang, source_lang, back_model, "--back-model")
    if forward.multilingual:
        return replace(forward, source=pivot_lang, target=source_lang,
                       source_code=forward.target_code, target_code=forward.source_code,
                       warning=None)
    return resolve(pivot_lang, source_lang, None, option="--back-model")


def round_trip(text: str, source_lang: str, target_lang: str, *,
               model: str | ResolvedModel | None = None,
               back_model: str | ResolvedModel | None = None,
               options: TranslationOptions | None = None) -> RoundTrip:
    """Translate ``text`` (in ``source_lang``) into ``target_lang`` and back, and score
    every sentence's back-translation against the sentence with chrF."""
    options = _options(options)
    options.check()
    resolved = _resolved(source_lang, target_lang, model)
    backward = resolve_back_model(source_lang, target_lang, resolved, back_model)
    forward = translate_document(text, source_lang, target_lang, model=resolved, options=options)
    back, truncated = _run(forward.segments, forward.translations, backward, options,
                           f"{target_lang}→{source_lang}")
    chrf = chrf_scorer()
    out = []
    for segment, translation, returned in zip(forward.segments, forward.translations, back):
        score = chrf.sentence_score(returned, [segment.text]).score if segment.translatable \
            else None
        out.append(RoundTripSegment(segment, translation, returned, score))
    return RoundTrip(source_lang, target_lang, out, forward, backward,
                     truncated=forward.truncated + truncated)


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def findings_from(result: RoundTrip, text: str, threshold: float = DEFAULT_THRESHOLD,
                  document: Document | None = None) -> list[Finding]:
    """``garble.round_trip`` findings for the sentences scoring below ``threshold``,
    with line and column filled in (from ``document`` when given)."""
    doc = document or Document(text=text)
    src, pivot = result.source_lang, result.pivot_lang
    findings = []
    for item in result.segments:
        if item.score is None or item.score >= threshold:
            continue
        seg = item.segment
        line, column = doc.position(seg.start)
        message = (f"round trip {src}→{pivot}→{src} scores chrF {item.score:.1f} "
                   f"(threshold {threshold:g}): back-translation "
                   f"“{_shorten(item.back_translation)}”")
        findings.append(Finding(
            rule=RULE_ID, category=Category.GARBLE, severity=Severity.WARNING,
            start=seg.start, end=seg.end, text=seg.text, message=message,
            replacement=None, fix=FixSafety.NONE, mqm=RULE_MQM, line=line, column=column,
            data={"chrf": round(item.score, 4), "threshold": threshold, "pivot": pivot,
                  "translation": item.translation, "back_translation": item.back_translation,
                  "model": result.forward.model.label, "back_model": result.backward_model.label}))
    return findings


def round_trip_findings(text: str, source_lang: str, target_lang: str, *,
                        model: str | ResolvedModel | None = None,
                        back_model: str | ResolvedModel | None = None,
                        threshold: float = DEFAULT_THRESHOLD,
                        options: TranslationOptions | None = None,
                        document: Document | None = None) -> list[Finding]:
    """Findings for the sentences of ``text`` (in ``source_lang``) that do not survive a
    round trip through ``target_lang``: chrF of the back-translation below ``threshold``.

    For MT output checked in its own language (``mtnorm check --lang en
    --source-lang fr``), call it with ``source_lang="en", target_lang="fr"``:
    English sentences that come back from French unrecognisable are suspect.
    """
    result = round_trip(text, source_lang, target_lang, model=model, back_model=back_model,
                        options=options)
    return findings_from(result, text, threshold, document)
