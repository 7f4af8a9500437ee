"""``wirecheck cost``: the fit and its noise guard, planted quadratic and memory bugs caught in-process
and over TCP, correct targets called linear and clean, and bad input refused in one line."""

from __future__ import annotations

import json
import random
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from wirecheck.cost import CostVerdict, Point, judge
from wirecheck.cost.fit import behaviour
from wirecheck.cost.workloads import build, for_protocol
from wirecheck.targets import ReferenceTarget

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PLANTED = f"python:{ROOT}/tests/cost_targets.py"
BROKEN = ROOT / "tests" / "broken_servers.py"


def wirecheck(*args, timeout=240):
    return subprocess.run([PY, "-m", "wirecheck", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout, stdin=subprocess.DEVNULL)  # fmt: skip


def _curve(rng, per_byte: float, per_square: float, noise: float, fixed: float = 0.0) -> list[Point]:
    sizes = [4096 << k for k in range(8)]
    points = []
    for n in sizes:
        cost = fixed + per_byte * n + per_square * n * n
        points.append(Point(n, [rng.uniform(1 - noise, 1 + noise) * cost for _ in range(3)]))
    return points


def test_a_noisy_linear_target_is_never_called_superlinear():
    """Two thousand linear curves, each size's three samples off by up to 25% (a loaded machine), some
    with a fixed cost per delivery: none is called superlinear.  A ±25% noise would need two medians in
    a row inflated the wrong way by a fifth."""
    rng = random.Random(7)
    verdicts = [judge(_curve(rng, 1e-7, 0.0, 0.25, fixed=rng.choice([0.0, 0.01])), 0.001).verdict for _ in range(2000)]
    assert verdicts.count(CostVerdict.SUPERLINEAR) == 0
    assert verdicts.count(CostVerdict.LINEAR) == 2000


def test_a_quadratic_part_under_a_large_linear_one_is_found_and_named():
    """A fixed cost per byte 20 times the quadratic term's at the smallest size (a reactor's wake-up per
    read over TCP): the raw slope stays under 1.5, the part above linear shows the square."""
    rng = random.Random(3)
    for _ in range(200):
        fit = judge(_curve(rng, 2e-5, 2e-5 / (20 * 4096), 0.05), 0.001)
        assert fit.verdict is CostVerdict.SUPERLINEAR
        assert behaviour(fit) == "quadratic-time" and fit.excess > 1.75


def test_beside_its_control_a_noisy_linear_target_is_never_called_superlinear():
    """A one-byte-read workload over a socket and its control (the same reads as small frames), every
    sample off by up to 35%, the workload costing up to 10% more or less per byte than its control: a
    difference that grows linearly, or is noise, is never a superlinear verdict."""
    rng = random.Random(11)
    verdicts = []
    for _ in range(2000):
        work = _curve(rng, 3e-5 * rng.uniform(0.9, 1.1), 0.0, 0.35)
        verdicts.append(judge(work, 0.001, _curve(rng, 3e-5, 0.0, 0.35)).verdict)
    assert verdicts.count(CostVerdict.SUPERLINEAR) == 0
    assert verdicts.count(CostVerdict.LINEAR) >= 1900, verdicts.count(CostVerdict.LINEAR)


def test_beside_its_control_a_quadratic_part_under_the_price_of_a_read_is_found_and_named():
    """An endpoint's price per read (a reactor's wake-up) is most of the time at the small sizes; the
    quadratic part reaches it at the largest.  Judged on the difference from the control, the verdict is
    quadratic-time, and the reason says what it was measured against."""
    rng = random.Random(5)
    top = 4096 << 7
    found = []
    for _ in range(200):
        work, control = _curve(rng, 3e-5, 3e-5 / top, 0.05), _curve(rng, 3e-5, 0.0, 0.05)
        fit = judge(work, 0.001, control)
        found.append(fit.verdict is CostVerdict.SUPERLINEAR and behaviour(fit) == "quadratic-time")
        assert fit.verdict is not CostVerdict.LINEAR
    assert sum(found) >= 180, sum(found)
    fit = judge(_curve(random.Random(1), 3e-5, 3e-5 / top, 0.0), 0.001, _curve(random.Random(1), 3e-5, 0.0, 0.0))
    assert "above its control" in fit.why and fit.excess == pytest.approx(2.0, abs=0.2)


def test_a_growing_difference_from_the_control_at_the_largest_size_is_never_called_linear():
    """Twisted's Int32StringReceiver over TCP, a byte a read, with a 600 s budget (server CPU seconds by
    KiB): the raw slope over four sizes is 1.23, but at 512 KiB the workload takes 21.5 s against its
    control's 10.0 s, a difference that grew 12.5-fold in one doubling.  That is not linear; it is
    inconclusive until larger sizes decide."""
    sizes = [4, 8, 16, 32, 64, 128, 256, 512]
    work = [0.078, 0.168, 0.355, 0.671, 1.593, 3.636, 7.332, 21.455]
    control = [0.075, 0.177, 0.352, 0.7, 1.492, 3.349, 6.414, 9.972]
    fit = judge([Point(k << 10, [t]) for k, t in zip(sizes, work, strict=True)], 0.02,
                [Point(k << 10, [t]) for k, t in zip(sizes, control, strict=True)])  # fmt: skip
    assert fit.exponent <= 1.25 and fit.verdict is CostVerdict.INCONCLUSIVE, fit
    assert "54% of the time at the largest size" in fit.why


def test_too_few_timeable_sizes_is_not_measured_not_linear():
    fit = judge([Point(4096 << k, [1e-5]) for k in range(6)], 0.005)
    assert fit.verdict is CostVerdict.NOT_MEASURED and "too few" in fit.why


class _PricedReads:
    """A fake meter: a fixed price per read plus a price per byte, every delivery recorded."""

    floor, controls = 0.001, True

    def __init__(self) -> None:
        self.deliveries: list[tuple[int, int]] = []

    def measure(self, reads, frames, seconds):
        from wirecheck.cost.meters import Sample

        self.deliveries.append((len(reads), sum(map(len, reads))))
        return Sample(2e-6 * len(reads) + 1e-7 * sum(map(len, reads)))


def test_the_probe_runs_cheap_workloads_first_reports_in_order_and_measures_small_reads_beside_a_control():
    """The dearest workload (one-byte reads) runs last, so it inherits what the others leave of the
    budget; the results keep the declared order; each small-read size has its control, of the same size
    and read count."""
    from wirecheck.cost import Limits, probe

    meter, chosen = _PricedReads(), for_protocol("line", {"delimiter": "0d0a", "max_length": 1 << 20})
    results = probe(meter, "line", {"delimiter": "0d0a", "max_length": 1 << 20}, chosen,
                    Limits(budget=20, cap=1, repeat=1, max_size=256 * 1024))  # fmt: skip
    assert [r.workload for r in results] == [w.name for w in chosen]
    read_size = [1 << 30 if reads == 1 else round(size / reads) for reads, size in meter.deliveries]
    assert read_size[0] == 1 << 30 and read_size[-1] == 1 and 16 in read_size, sorted(set(read_size))
    assert read_size == sorted(read_size, reverse=True), "workloads ran from the fewest reads a byte to the most"
    for result in results:
        assert result.verdict is CostVerdict.LINEAR, (result.workload, result.why)
        small = chosen[[w.name for w in chosen].index(result.workload)].read_size is not None
        assert [p.size for p in result.control] == ([p.size for p in result.points] if small else [])
        assert ("beside its control" in (result.delivery or "")) == small


def test_workloads_are_what_they_say_and_a_conforming_decoder_takes_them_whole():
    """Every workload of every protocol builds, and the reference delivers every frame it promises."""
    target = ReferenceTarget()
    configurations = [
        ("netstring", {"max_length": 1 << 20}),
        ("int16", {"max_length": 65535}),
        ("line", {"max_length": 1 << 20, "delimiter": "0d0a"}),
        ("varint", {"max_length": 1 << 20, "strict": False}),
        ("banana", {"role": "peer", "dialect": "none", "strict": False}),
    ]
    for protocol, params in configurations:
        names = {w.name for w in for_protocol(protocol, params)}
        assert "many-small-frames" in names
        for workload in for_protocol(protocol, params):
            reads, frames, length = build(workload, protocol, params, 8192)
            assert sum(map(len, reads)) == length >= 8192 - 16
            assert workload.read_size is None or max(map(len, reads)) == workload.read_size
            session = target.session(protocol, params)
            got = sum(len(session.feed(r)) for r in reads)
            assert got == frames and not session.closed, (protocol, workload.name)
    lf = {"max_length": 1024, "delimiter": "0a"}
    assert "almost-delimiters" not in {
        w.name for w in for_protocol("line", lf)
    }  # no "first byte" of a 1-byte delimiter


def test_a_quadratic_python_decoder_is_caught_with_its_plot_json_and_command(tmp_path):
    out = wirecheck("cost", "--protocol", "line", "--target", f"{PLANTED}:rescanning", "--workload", "large-frame-16",
                    "--budget", "8", "--only", "time", "--plots", tmp_path / "plots",
                    "--json", tmp_path / "c.json")  # fmt: skip
    assert out.returncode == 1, out.stdout + out.stderr
    assert "superlinear (quadratic-time)" in out.stdout and "reproduce: wirecheck cost --protocol line" in out.stdout
    doc = json.loads((tmp_path / "c.json").read_text())
    (result,) = doc["workloads"]
    assert result["verdict"] == "superlinear" and result["exponent"] > 1.7 and len(result["points"]) >= 4
    plot = ET.parse(result["plot"]).getroot()
    assert plot.tag.endswith("svg") and len(plot.findall("{http://www.w3.org/2000/svg}circle")) == len(result["points"])
    # The command it prints, with the budget and cap it ran with, reproduces the verdict.
    command = next(line.split("reproduce: ", 1)[1] for line in out.stdout.splitlines() if "reproduce: " in line)
    assert command.endswith("--budget 8 --cap 5 --workload large-frame-16"), command
    again = wirecheck(*shlex.split(command)[1:], "--only", "time")
    assert again.returncode == 1 and "superlinear (quadratic-time)" in again.stdout, again.stdout + again.stderr


@pytest.mark.parametrize("target", ["reference", f"{PLANTED}:linear"])
def test_linear_decoders_are_never_called_superlinear(target, tmp_path):
    """The false positive the noise guard exists for.  On a quiet machine both workloads are linear;
    under CI's load a workload may end inconclusive (its growth not yet shown linear), never worse."""
    out = wirecheck("cost", "--protocol", "line", "--target", target, "--workload", "large-frame-16", "--workload",
                    "almost-delimiters", "--budget", "12", "--only", "time", "--json", tmp_path / "c.json")  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    verdicts = [w["verdict"] for w in json.loads((tmp_path / "c.json").read_text())["workloads"]]
    assert "linear" in verdicts and set(verdicts) <= {"linear", "inconclusive"}, out.stdout


@pytest.mark.parametrize(
    ("protocol", "target", "behaviours"),
    [
        ("int32", f"{PLANTED}:allocating", {"declared-over-max": "allocates-declared-length",
                                             "declared-at-max-dripped": "allocates-declared-length"}),
        ("line", f"{PLANTED}:unbounded", {"unterminated-beyond-max": "buffers-beyond-max"}),
        ("int32", "reference", {}),
        ("line", "reference", {}),
    ],
)  # fmt: skip
def test_memory_before_validation_in_process(tmp_path, protocol, target, behaviours):
    out = wirecheck(
        "cost", "--protocol", protocol, "--target", target, "--only", "memory", "--json", tmp_path / "m.json"
    )
    assert out.returncode == (1 if behaviours else 0), out.stdout + out.stderr
    found = {
        m["probe"]: m["behaviour"] for m in json.loads((tmp_path / "m.json").read_text())["memory"] if m["behaviour"]
    }
    assert found == behaviours


@pytest.mark.parametrize(
    ("server", "protocol", "behaviour"),
    [
        (f"{BROKEN} int32-allocates-declared", "int32", "allocates-declared-length"),
        (f"{BROKEN} line-no-max", "line", "buffers-beyond-max"),
        ("-m wirecheck serve --protocol int32", "int32", None),
        ("-m wirecheck serve --protocol line", "line", None),
    ],
)
def test_memory_before_validation_of_a_started_server(tmp_path, server, protocol, behaviour):
    """The resident memory of the server's processes, its high-water mark reset before each probe."""
    target = f"cmd:{PY} {server} --port {{port}} --max-length 4194304"
    out = wirecheck("cost", "--protocol", protocol, "--max-length", 4194304, "--target", target, "--only", "memory",
                    "--json", tmp_path / "m.json")  # fmt: skip
    assert out.returncode == (1 if behaviour else 0), out.stdout + out.stderr
    found = {m["behaviour"] for m in json.loads((tmp_path / "m.json").read_text())["memory"]} - {None}
    assert found == ({behaviour} if behaviour else set()), out.stdout


def test_over_tcp_the_reads_are_paced_and_a_quadratic_server_is_caught(tmp_path):
    """A server that copies and splits its whole buffer on every read, fed 16 bytes a write, each write
    read alone (the harness waits for the server's receive queue to empty): its own CPU time grows
    with the square of the line.  Each size is measured beside its control, the same reads as small
    frames, which prices the server's wake-up per read."""
    server = f"cmd:{PY} {BROKEN} correct-line --port {{port}} --max-length 1048576"
    out = wirecheck("cost", "--protocol", "line", "--max-length", 1048576, "--target", server, "--workload",
                    "large-frame-16", "--budget", "15", "--only", "time", "--json", tmp_path / "c.json")  # fmt: skip
    assert out.returncode == 1, out.stdout + out.stderr
    (found,) = json.loads((tmp_path / "c.json").read_text())["workloads"]
    assert [p["size"] for p in found["control"]] == [p["size"] for p in found["points"]]
    assert "beside its control" in found["delivery"] and "beside its control" in out.stdout
    # The control grows linearly: at the largest size it is far under the workload's time.
    assert found["control"][-1]["seconds"] < found["points"][-1]["seconds"] / 2, found
    assert "server CPU time, over TCP" in out.stdout
    # Its name follows the exponent measured: under CI's load the linear part may hold it under 1.75.
    assert "superlinear (quadratic-time)" in out.stdout or "superlinear (superlinear-time)" in out.stdout
    assert "not controlled" not in out.stdout


def test_bad_input_is_one_line_and_exit_2():
    for args, words in [
        (["--workload", "no-such"], "--workload 'no-such'"),
        (["--target", "tcp://127.0.0.1:1"], "refused"),
        (["--target", "python:no_such_module:x"], "python:no_such_module:x"),
    ]:
        out = wirecheck("cost", "--protocol", "netstring", "--budget", "2", *args)
        assert out.returncode == 2, out.stdout + out.stderr
        assert "Traceback" not in out.stderr and words in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr


@pytest.mark.parametrize("mode", ["silent", "flood", "reset", "garbage", "never-read"])
def test_an_endpoint_that_does_not_echo_is_one_line_and_exit_2_never_a_cost_verdict(mode):
    """The exchange with no workload comes first: an endpoint that fails it is no echo endpoint, and
    is said so within the timeout; it is never measured, so it is never called slow."""
    server = f"cmd:{PY} {ROOT}/tests/hostile_servers.py {mode} --port {{port}}"
    out = wirecheck("cost", "--protocol", "netstring", "--target", server, "--budget", "3", "--timeout", "1",
                    timeout=60)  # fmt: skip
    assert out.returncode == 2, out.stdout + out.stderr
    assert "did not echo a sentinel frame" in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr and "too-slow" not in out.stdout
