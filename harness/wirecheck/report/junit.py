"""JUnit XML: one testsuite per protocol, one testcase per vector (name = vector id)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from wirecheck.checks import Verdict
from wirecheck.oracle import describe
from wirecheck.protocols import property_id
from wirecheck.run import RunResult
from wirecheck.safetext import printable

#: Verdicts JUnit shows as skipped: not failures, and not passes either.
SKIPPED = (Verdict.UNIMPLEMENTED, Verdict.NOT_RUN)
# Characters XML 1.0 cannot carry at all, even escaped (controls are escaped before this).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _clean(text: str | None) -> str | None:
    """Text as XML 1.0 can carry it, with control characters shown as escapes."""
    return None if text is None else _NOT_XML.sub("\ufffd", printable(text))


def _cleaned(root: ET.Element) -> ET.Element:
    """Every attribute and text of the tree cleaned, in one pass: ids and names come from
    endpoints too (a dialect a server offered), not only the failure details."""
    for element in root.iter():
        element.text = _clean(element.text)
        for key, value in element.attrib.items():
            element.attrib[key] = _clean(value)
    return root


def junit_xml(result: RunResult, properties: list | None = None) -> str:
    properties = properties or []
    total = len(result.cases) + len(properties)
    root = ET.Element("testsuites", name="wirecheck", tests=str(total), time=f"{result.duration:.3f}")
    by_protocol = defaultdict(list)
    for case in result.cases:
        by_protocol[case.vector.protocol].append(case)
    for protocol, cases in by_protocol.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=protocol,
            tests=str(len(cases)),
            failures=str(sum(c.verdict == Verdict.FAIL for c in cases)),
            errors=str(sum(c.verdict in (Verdict.ERROR, Verdict.TIMEOUT) for c in cases)),
            skipped=str(sum(c.verdict in SKIPPED for c in cases)),
            time=f"{sum(c.duration for c in cases):.3f}",
        )
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="target", value=result.target)
        for case in cases:
            v = case.vector
            tc = ET.SubElement(
                suite, "testcase", name=v.id, classname=f"wirecheck.{protocol}", time=f"{case.duration:.6f}"
            )
            expected = describe(v.expected)
            observed = describe(case.observed) if case.observed is not None else "(nothing observed)"
            body = f"{v.description}\nexpected: {expected}\nobserved: {observed}\ndelivery: {case.delivery}"
            if case.verdict == Verdict.FAIL:
                el = ET.SubElement(tc, "failure", message=case.detail[:500], type="conformance")
                el.text = body
            elif case.verdict in (Verdict.ERROR, Verdict.TIMEOUT):
                el = ET.SubElement(tc, "error", message=case.detail[:500], type=case.verdict.value)
                el.text = body
            elif case.verdict in SKIPPED:
                ET.SubElement(tc, "skipped", message=case.detail[:500])
            elif case.verdict == Verdict.ACCEPTABLE:
                ET.SubElement(tc, "system-out").text = case.detail
    if properties:
        suite = ET.SubElement(
            root,
            "testsuite",
            name="properties",
            tests=str(len(properties)),
            failures=str(sum(p.verdict == Verdict.FAIL for p in properties)),
            errors=str(sum(p.verdict == Verdict.ERROR for p in properties)),
            skipped=str(sum(p.verdict in SKIPPED for p in properties)),
            time=f"{sum(p.duration for p in properties):.3f}",
        )
        for prop in properties:
            name = property_id(prop.protocol, prop.params, prop.name)
            classname = f"wirecheck.properties.{prop.protocol}"
            tc = ET.SubElement(suite, "testcase", name=name, classname=classname, time=f"{prop.duration:.6f}")
            if prop.verdict == Verdict.FAIL:
                el = ET.SubElement(tc, "failure", message=prop.detail[:500], type="conformance")
                el.text = prop.report()
            elif prop.verdict == Verdict.ERROR:
                ET.SubElement(tc, "error", message=prop.detail[:500], type="error")
            elif prop.verdict in SKIPPED:
                ET.SubElement(tc, "skipped", message=prop.detail[:500])
    ET.indent(_cleaned(root))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def clients_junit_xml(results: dict) -> str:
    """JUnit for a ``wirecheck clients`` run: one testcase per scenario, one per property failure."""
    scenarios = results["scenarios"]
    prop = results.get("properties") or {}
    failures = prop.get("failures", [])
    root = ET.Element("testsuites", name="wirecheck-clients", tests=str(len(scenarios) + len(failures)))
    suite = ET.SubElement(root, "testsuite", name=f"clients.{results['profile']}", tests=str(len(scenarios)),
                          failures=str(sum(r["verdict"] == "fail" for r in scenarios)),
                          errors=str(sum(r["verdict"] in ("crash", "hang") for r in scenarios)),
                          skipped=str(sum(r["verdict"] == "not-run" for r in scenarios)))  # fmt: skip
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="target", value=results["target"])
    for r in scenarios:
        tc = ET.SubElement(suite, "testcase", name=r["id"], classname="wirecheck.clients", time=f"{r['duration']:.3f}")
        body = "\n".join(f"{k}: {json.dumps(r[k])}" for k in ("observed", "expected", "notes", "replay") if k in r)
        if r["verdict"] == "fail":
            ET.SubElement(tc, "failure", message=r["message"][:500], type=",".join(r["behaviours"])).text = body
        elif r["verdict"] in ("crash", "hang"):
            ET.SubElement(tc, "error", message=r["message"][:500], type=r["verdict"]).text = body
        elif r["verdict"] == "not-run":
            ET.SubElement(tc, "skipped", message=r["message"][:500])
        elif r["verdict"] == "acceptable":
            ET.SubElement(tc, "system-out").text = r["message"]
    for f in failures:
        tc = ET.SubElement(suite, "testcase", name=f"property:{f['behaviour']}", classname="wirecheck.clients")
        ET.SubElement(tc, "failure", message=f["message"][:500], type=f["behaviour"]).text = json.dumps(f["scenario"])
    ET.indent(_cleaned(root))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
