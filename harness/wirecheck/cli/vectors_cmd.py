"""``wirecheck vectors lint``: the vector files against the schema and the reference."""

from __future__ import annotations

from wirecheck.run import EXIT_FAIL, EXIT_OK
from wirecheck.vectors import default_directory
from wirecheck.vectors.lint import lint


def main(args, out) -> int:
    directory = args.vectors if args.vectors is not None else default_directory()
    report = lint(directory)
    for warning in report.warnings:
        print(f"warning: {warning}", file=out)
    for error in report.errors:
        print(f"error: {error}", file=out)
    families = ", ".join(f"{k} {n}" for k, n in sorted(report.per_family.items()))
    print(f"{report.files} files, {report.vectors} vectors ({families}), "
          f"{len(report.errors)} errors, {len(report.warnings)} warnings", file=out)  # fmt: skip
    return EXIT_OK if not report.errors else EXIT_FAIL
