"""Every command in the README's and the docs' shell examples runs, and does what the text says.

The examples are read from the documents themselves, so a new example is tested as soon as it is
written.  What an example leaves to the reader is filled in the same way each time: ``./my-server``
becomes the bundled reference server configured like the run, a fixed port becomes a free one
(with a server or a client on it), ``mylib.wirecheck:factory`` the bundled asyncio adapter.  A run
that would draw the default 100 examples per property draws 10 here (the suite's time is bounded;
tests/test_cli.py runs the quick start's ``wirecheck run`` exactly as written).
"""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Examples whose documented point is a failure: Twisted's quirks found by the properties, the notes' naive client.
FAILS = ("wirecheck.adapters.twisted:", "--impl twisted-client-naive", "wirecheck cost --protocol line --impl twisted ")
#: Examples of a minute or more, left to ``pytest -m slow`` (each protocol through Twisted).
SLOW = (
    "wirecheck.adapters.twisted:receiver",
    "wirecheck matrix --impl",
    "wirecheck clients matrix --in-process",
    "wirecheck clients --target 'cmd:./my-client",
)
#: Examples that a test elsewhere runs as they are written, with more checked of their output.
COVERED = {("wirecheck", "run"): "tests/test_cli.py::test_run_all_passes"}


def examples() -> list[tuple[str, str, str]]:
    """(document, command, the comment lines that follow it) for each wirecheck or pytest line;
    a command shown in several places (the README and a document) is run once, where it first is."""
    found, seen = [], set()
    for doc in DOCUMENTS:
        for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", doc.read_text(), re.DOTALL):
            lines = block.splitlines()
            for i, line in enumerate(lines):
                words = shlex.split(line, comments=True)
                if (words[:1] == ["wirecheck"] or words[:2] == ["pytest", "--wirecheck-target"]) and (
                    tuple(words) not in seen and tuple(words) not in COVERED
                ):
                    seen.add(tuple(words))
                    notes = "\n".join(n for n in lines[i + 1 : i + 3] if n.startswith("#"))
                    found.append((doc.name, line, notes))
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configured_like(words: list[str]) -> list[str]:
    """The protocol and parameter options of a run (or a plugin run), as ``serve`` options."""
    out, i = [], 0
    while i < len(words) - 1:
        option = words[i].replace("--wirecheck-", "--")
        if option in ("--protocol", "--max-length", "--delimiter", "--dialects"):
            out += [option, words[i + 1]]
        i += 1
    return out


def start(words: list[str]) -> tuple[subprocess.Popen, str]:
    """A long-running example, started; with the first line it printed."""
    proc = subprocess.Popen(words, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    return proc, proc.stdout.readline()


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(
    ("doc", "line", "notes"),
    [
        pytest.param(d, c, n, id=f"{d}:{c[:70]}", marks=[pytest.mark.slow] if any(m in c for m in SLOW) else [])
        for d, c, n in examples()
    ],
)
def test_the_documented_example_works(tmp_path, doc, line, notes):
    words = shlex.split(line, comments=True)
    helpers: list[subprocess.Popen] = []
    try:
        if words[0] == "wirecheck" and words[1] == "serve":
            proc, first = start([PY, "-m", *words, "--port", "0"])
            helpers.append(proc)
            assert first.startswith("listening on 127.0.0.1:"), first
            return
        if words[0] == "wirecheck" and words[1] == "echo-client":
            # A client needs a run listening for it: the README's client example, on a free port.
            port = free_port()
            address = f"127.0.0.1:{port}"
            run = subprocess.Popen(
                [PY, "-m", "wirecheck", "run", "--only", "vectors", *configured_like(words), "--listen", address],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
            )  # fmt: skip
            helpers.append(run)
            time.sleep(2)
            words = [w.replace("127.0.0.1:7001", address) for w in words]
            client = subprocess.run([PY, "-m", *words], capture_output=True, text=True, cwd=ROOT, timeout=300)
            assert client.returncode == 0, client.stderr
            out, _ = run.communicate(timeout=300)
            assert run.returncode == 0, out[-2000:]
            return
        serve = [PY, "-m", "wirecheck", "serve", *configured_like(words)]
        realized = []
        for word in words:
            if "tcp://127.0.0.1:7000" in word:
                proc, first = start([*serve, "--port", "0"])
                helpers.append(proc)
                word = "tcp://" + first.split()[-1]
            if "127.0.0.1:7001" in word:  # a client-mode run: the bundled client connects to it
                port = free_port()
                word = word.replace("127.0.0.1:7001", f"127.0.0.1:{port}")
                connect = [
                    PY,
                    "-m",
                    "wirecheck",
                    "echo-client",
                    *configured_like(words),
                    "--connect",
                    f"127.0.0.1:{port}",
                ]
                helpers.append(
                    subprocess.Popen(connect, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
                )
            word = word.replace("./my-server", shlex.join(serve))
            word = word.replace("python:mylib.wirecheck:factory", "python:implementations/asyncio/adapter.py:protocol")
            # a request/reply client: the bundled robust ones (docs/client-contract.md)
            word = word.replace("cmd:./my-client", f"cmd:{PY} {ROOT}/implementations/asyncio-client/client.py")
            word = word.replace("python:mypackage.wirecheck_adapter:factory",
                                "python:implementations/twisted-client-numbered/adapter.py:factory")  # fmt: skip
            word = word.replace("python:implementations/", f"python:{ROOT}/implementations/")  # run from elsewhere
            if word.startswith("implementations/"):
                word = str(ROOT / word)
            realized.append(word)
        expected = 1 if any(f in line for f in FAILS) else 0
        if realized[:2] == ["wirecheck", "run"] and "--examples" not in realized and not expected:
            realized.append("--examples=10")
        if realized[0] == "pytest":
            command = [PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", *realized[1:]]
        else:
            command = [PY, "-m", *realized]
        out = subprocess.run(
            command, capture_output=True, text=True, cwd=tmp_path, timeout=600, stdin=subprocess.DEVNULL
        )
        assert out.returncode == expected, f"{doc}: {line}\n{out.stdout[-3000:]}{out.stderr[-2000:]}"
        assert "Traceback" not in out.stderr
        for note in notes.splitlines():  # a documented output line, up to its elision
            shown = note.lstrip("# ").split("...")[0].strip()
            assert shown in out.stdout, f"{doc}: {line} does not print {shown!r}"
    finally:
        for proc in helpers:
            stop(proc)
