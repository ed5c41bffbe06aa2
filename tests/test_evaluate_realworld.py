"""scripts/evaluate_realworld.py on a tiny annotated set written for this test."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "evaluate_realworld.py"


def _write(d: Path, name: str, text: str, meta: dict) -> None:
    (d / f"{name}.txt").write_text(text, encoding="utf-8")
    (d / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True)


def test_recall_clean_alarms_and_unmatched(tmp_path: Path) -> None:
    _write(tmp_path, "01_mt", "The mayor spoke in the the square.\nSource link\n",
           {"lang": "en", "source_lang": "fr", "style": None, "machine_translated": True,
            "expected": [{"category": "debris", "text": "Source link", "why": "footer"},
                         {"category": "calque", "text": "mayor spoke", "why": "invented"},
                         {"category": "typography", "text": "the the", "why": "doubled"}]})
    _write(tmp_path, "02_clean", "The council met on Monday and approved the budget.\n",
           {"lang": "en", "source_lang": None, "style": None, "machine_translated": False,
            "expected": []})
    out = tmp_path / "res.json"
    proc = _run("--dir", str(tmp_path), "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["overall"]["category"] == {"found": 1, "total": 3, "recall": 0.333}
    # "the the" is found (repetition.doubled_word) but under another category
    assert res["overall"]["any_category"] == {"found": 2, "total": 3, "recall": 0.667}
    assert res["per_category"]["debris"]["category"]["found"] == 1
    assert res["per_category"]["calque"]["category"]["found"] == 0
    assert res["clean"] == {"words": 9, "warnings_errors": 0, "info": 0, "per_1000_words": 0.0,
                            "findings": []}
    assert "overall     1/3 (33.3%)" in proc.stdout
    assert {m["text"] for m in res["missed"]} == {"mayor spoke", "the the"}
    assert [(r["rule"], r["overlaps_annotation_of"]) for r in res["mt_unmatched"]] == \
        [("repetition.doubled_word", ["typography"])]


def test_annotation_text_not_in_file_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "01_mt", "Plain text.\n",
           {"lang": "en", "machine_translated": True,
            "expected": [{"category": "debris", "text": "Leave a comment", "why": ""}]})
    proc = _run("--dir", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"evaluate_realworld: {tmp_path / '01_mt.json'}: expected[0] text "
                                   "'Leave a comment' not found in 01_mt.txt")


def test_ignore_leaves_rules_out_and_rejects_unknown(tmp_path: Path) -> None:
    _write(tmp_path, "01_mt", "The mayor spoke on Monday.\nSource link\n",
           {"lang": "en", "machine_translated": True,
            "expected": [{"category": "debris", "text": "Source link", "why": "footer"}]})
    out = tmp_path / "res.json"
    proc = _run("--dir", str(tmp_path), "--json", str(out), "--ignore", "debris.pattern")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["overall"]["category"]["found"] == 0
    proc = _run("--dir", str(tmp_path), "--ignore", "debris.nosuch")
    assert proc.returncode == 2
    assert "unknown rule, group or category 'debris.nosuch'" in proc.stderr
