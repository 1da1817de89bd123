"""bench/run.py's table: what the README's figures are computed from."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_run", module)
    spec.loader.exec_module(module)
    return module


def _result(bench, target: str, round_: int, rate: float, **extra):
    return bench.Result(target=target, round=round_, requests=int(rate * 10), seconds=10.0,
                        rate=rate, latency={"p50": 1.0, "p90": 2.0, "p99": 3.0}, errors=0,
                        **extra)


def test_each_round_is_divided_by_the_mean_of_its_hello_world_runs():
    bench = _bench()
    results = [
        # the machine slowed during round 1: hello world 3000 at its start, 1000 at its end
        _result(bench, "hello world", 1, 3000), _result(bench, "event page", 1, 1000),
        _result(bench, "RSVP flow", 1, 400, rsvps=2000, check="ok (2000 stored)"),
        _result(bench, "hello world, again", 1, 1000),
        _result(bench, "hello world", 2, 2000), _result(bench, "event page", 2, 1100),
        _result(bench, "RSVP flow", 2, 400, rsvps=2000, check="ok (2000 stored)"),
        _result(bench, "hello world, again", 2, 2000),
    ]
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")
            for line in bench.table(results).splitlines()[2:]}
    assert rows["hello world"][2] == "1.250"  # 3000 / 2000, 2000 / 2000: median 1.25
    assert rows["hello world, again"][2] == "0.750"
    assert rows["event page"][1:3] == ["1050", "0.525"]  # 1000 / 2000 and 1100 / 2000
    assert rows["RSVP flow"][7:9] == ["200", "0.100"]  # 200 RSVPs/s ÷ 2000
    assert rows["RSVP flow"][9] == "ok |"
