"""scripts/mine_calques.py: candidates from MT/post-edit pairs, and --score of the curated entries."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mine_calques", ROOT / "scripts" / "mine_calques.py")
mine_calques = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("mine_calques", mine_calques)  # dataclasses look their module up
_spec.loader.exec_module(mine_calques)  # type: ignore[union-attr]


def _pair(tmp_path: Path) -> tuple[str, str]:
    mt = tmp_path / "dev.mt"
    pe = tmp_path / "dev.pe"
    mt.write_text("The road was closed in the nearest future .\n"
                  "The school will open in the nearest future .\n"
                  "Prices rose in the nearest time .\n", encoding="utf-8")
    pe.write_text("The road was closed soon .\n"
                  "The school will open soon .\n"
                  "Prices rose in the nearest time .\n", encoding="utf-8")
    return str(mt), str(pe)


def test_mine_ranks_the_edited_ngram(tmp_path: Path) -> None:
    mt, pe = _pair(tmp_path)
    found = {c.ngram: c for c in mine_calques.mine([(mt, pe)], [], max_n=5, min_count=2)}
    cand = found[("in", "the", "nearest", "future")]
    assert cand.edited == 2 and cand.mt_df == 2 and cand.pe_df == 0
    assert ("soon", 2) in cand.replacements


def test_score_counts_flags_and_changed_share(tmp_path: Path) -> None:
    mt, pe = _pair(tmp_path)
    rows = mine_calques.score([(mt, pe)], [], "en", "ru").splitlines()
    entry = next(r.split("\t") for r in rows if r.startswith("in-the-nearest-future\t"))
    # Three MT lines flagged; the post-edit rewrote two of them and kept one.
    assert entry[1:4] == ["3", "0.67", "1"]
    assert rows[-1].startswith("ALL\t3\t0.67\t1\t")
