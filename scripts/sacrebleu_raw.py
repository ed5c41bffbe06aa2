"""Run sacrebleu's own command line with its result table swapped for a raw JSON dump.

sacrebleu's ``-f json`` fails on numpy floats in paired mode, so the benchmark
and the paired-significance tests call this instead, to compare every score
and p-value at full precision: ``python scripts/sacrebleu_raw.py REF -i SYS ...``.
"""
import json
import sys

import sacrebleu.sacrebleu as cli


def dump(results, signatures, args):
    out = {m: [v if isinstance(v, str) else {"score": float(v.score),
               "p_value": None if v.p_value is None else float(v.p_value)} for v in vals]
           for m, vals in results.items()}
    print(json.dumps(out))


if __name__ == "__main__":
    cli.print_results_table = dump
    sys.argv = ["sacrebleu"] + sys.argv[1:]
    cli.main()
