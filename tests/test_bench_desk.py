"""scripts/bench_desk.py: what it reads from wrk's report, and that a level with failed
requests is never reported as served."""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_desk", ROOT / "scripts" / "bench_desk.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # type: ignore[union-attr]

#: A report in the layout ``wrk --latency`` prints (figures made up for the test).
SERVED = """\
Running 10s test @ http://127.0.0.1:8000/api/check
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.90ms  812.50us  21.30ms   90.12%
    Req/Sec   677.10     40.22   750.00     71.00%
  Latency Distribution
     50%    5.60ms
     75%    6.10ms
     90%    7.50ms
     99%   10.00ms
  6771 requests in 10.00s, 3.10MB read
Requests/sec:    677.10
Transfer/sec:    317.40KB
"""


def test_a_served_level_is_read_in_full():
    level = bench.parse_wrk(SERVED, 4, 10.0)
    assert level["requests"] == 6771 and level["errors"] == {}
    assert level["wall"] == pytest.approx(10.0) and level["rps"] == pytest.approx(677.1)
    assert (level["p50"], level["p90"], level["p99"]) == pytest.approx((5.6, 7.5, 10.0))
    assert level["mean"] == pytest.approx(5.9) and level["max"] == pytest.approx(21.3)


def test_non_2xx_answers_are_errors_and_not_counted_as_served():
    text = SERVED.replace("Requests/sec:", "  Non-2xx or 3xx responses: 71\nRequests/sec:")
    level = bench.parse_wrk(text, 4, 10.0)
    assert level["errors"] == {"non-2xx": 71}
    assert level["requests"] == 6700


def test_socket_errors_and_a_failed_wrk_are_errors():
    text = SERVED.replace("Requests/sec:", "  Socket errors: connect 0, read 3, write 0, timeout 2\nRequests/sec:")
    assert bench.parse_wrk(text, 4, 10.0)["errors"] == {"socket errors": 5}
    broken = bench.parse_wrk("", 4, 10.0, "wrk exit 1: unable to connect")
    assert broken["requests"] == 0 and broken["errors"] == {"wrk exit 1: unable to connect": 1}
    assert math.isnan(broken["p99"])


@pytest.mark.parametrize(("value", "unit", "seconds"), [
    ("812.50", "us", 812.5e-6), ("3.2", "ms", 0.0032), ("1.10", "s", 1.1), ("2", "m", 120.0)])
def test_wrk_durations(value, unit, seconds):
    assert bench._seconds(value, unit) == pytest.approx(seconds)
