"""Every registered protocol has every part, and every public face exports what it holds.

Like Hypothesis's ``_check_exports``: a protocol is registered by its codec module alone, so
this is where a half-added one is caught: a codec without its vector file, its builder, its
strategies or its schema entry fails here, part by part.
"""

import importlib
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

from wirecheck import protocols
from wirecheck import strategies as ws
from wirecheck.codecs import NOT_FRAMES
from wirecheck.codecs import netstring as netstring_codec
from wirecheck.codecs.spec import ProtocolSpec
from wirecheck.errors import ParameterError
from wirecheck.strategies.base import FamilyStrategies, family_strategies

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import vectorschema  # noqa: E402


def missing_parts(spec: ProtocolSpec, root: Path = ROOT) -> list[str]:
    """What ``spec`` lacks of a whole protocol, one line per missing part."""
    problems = []
    try:
        config = protocols.complete(spec)
        sample = [b"wirecheck", 1] if spec.structured else b"wirecheck"[: spec.limit(config)]
        frame = spec.encoder(config, None)(sample)
        decoder = spec.decoder(config)
        frames = [e for e in decoder.feed(frame) if not isinstance(e, NOT_FRAMES)]
        if frames != [sample] or decoder.error is not None or decoder.in_frame:
            problems.append(f"codec: its decoder reads {frames} from its encoding of {sample!r}")
        if not spec.reasons:
            problems.append("codec: no close reasons declared")
    except Exception as exc:
        problems.append(f"codec: {type(exc).__name__}: {exc}")
    vector_file = root / "vectors" / f"{spec.family}.json"
    if not vector_file.exists():
        problems.append(f"vector file: {vector_file.relative_to(root)} is missing")
    else:
        doc = json.loads(vector_file.read_text())
        if not any(g["protocol"] == spec.name for g in doc["groups"]):
            problems.append(f"vector file: {vector_file.name} has no group for {spec.name}")
    builder = root / "tools" / f"vectors_{spec.family}.py"
    if not builder.exists():
        problems.append(f"vector builder: {builder.relative_to(root)} is missing")
    try:
        family = family_strategies(spec)
        if not isinstance(family, FamilyStrategies) or not family.corruptions:
            problems.append("strategies: STRATEGIES is not a FamilyStrategies with corruptions")
    except ParameterError as exc:
        problems.append(f"strategies: {exc}")
    schema = json.loads((root / "vectors" / "vectors.schema.json").read_text())
    if spec.name not in schema["$defs"]["group"]["properties"]["protocol"]["enum"]:
        problems.append(f"schema: vectors.schema.json does not admit protocol {spec.name}")
    if spec.family not in schema["properties"]["family"]["enum"]:
        problems.append(f"schema: vectors.schema.json does not admit family {spec.family}")
    return problems


@pytest.mark.parametrize("name", protocols.names())
def test_every_protocol_has_every_part(name):
    assert missing_parts(protocols.get(name)) == []


def test_a_half_added_protocol_is_caught_part_by_part():
    """A codec declared alone: its decoder works, everything else is reported missing."""
    half = ProtocolSpec(
        name="halfway", family="halfway", order=99, summary="a codec and nothing else",
        params=netstring_codec.PROTOCOLS[0].params, decoder=netstring_codec.PROTOCOLS[0].decoder,
        encoder=netstring_codec.PROTOCOLS[0].encoder, reasons=netstring_codec.REASONS,
    )  # fmt: skip
    problems = missing_parts(half)
    assert [p.split(":")[0] for p in problems] == ["vector file", "vector builder", "strategies", "schema", "schema"]


@pytest.mark.parametrize("name", protocols.names())
def test_every_corruption_kind_makes_a_stream(name):
    """Each of the protocol's corruption kinds can be drawn in its default configuration."""
    cfg = ws.config(name)
    kinds = family_strategies(cfg.spec).kinds(cfg)
    assert set(kinds) <= set(family_strategies(cfg.spec).corruptions) and kinds
    for kind in kinds:

        @settings(max_examples=5, database=None)
        @given(ws.hostile_streams(name, kinds=[kind]))
        def drawn(hostile):
            assert hostile.corruption == kind  # noqa: B023 - run before kind changes

        drawn()


@pytest.mark.parametrize("family", list(protocols.families()))
def test_property_flags_have_notes_in_their_vector_file(family):
    from wirecheck.checks import PROPERTIES

    notes = json.loads((ROOT / "vectors" / f"{family}.json").read_text())["notes"]
    spec = protocols.families()[family][0]
    for prop in PROPERTIES.values():
        assert prop.flag_for(spec) in notes, (family, prop.name)


def test_the_schema_is_generated_from_the_registry():
    assert (ROOT / "vectors" / "vectors.schema.json").read_text() == vectorschema.text()


def test_an_unknown_protocol_is_an_error_everywhere():
    from wirecheck.oracle import observe

    for call in (lambda: protocols.get("http"), lambda: ws.streams("http"), lambda: observe("http", {}, [b""])):
        with pytest.raises(ParameterError, match="unknown protocol 'http'"):
            call()


@pytest.mark.parametrize(
    "module", ["wirecheck.strategies", "wirecheck.checks", "wirecheck.protocols", "wirecheck.targets", "wirecheck.run"]
)
def test_public_faces_export_what_they_hold(module):
    mod = importlib.import_module(module)
    exported = set(mod.__all__)
    assert all(hasattr(mod, name) for name in exported)
    held = {n for n, v in vars(mod).items() if not n.startswith("_") and not isinstance(v, type(sys))}
    held -= {"annotations"}
    assert held == exported, held ^ exported
