r"""Renderings of the verification report, and the ``blendsym verify`` command.

* :func:`render_text`: a summary by status and severity, then one block per claim with its
  statement, printed/correct forms and evidence wrapped to the terminal width (matrices
  inline on one line);
* :func:`render_md`: the same as Markdown, matrices as LaTeX;
* :func:`render_json`: ``{"paper", "summary", "claims", "errors"}``; each claim has
  ``id, where, statement, status, severity, printed, correct, evidence, method`` (and
  ``data`` with the numbers of a counterexample search).

:func:`add_verify_arguments` and :func:`run_verify` implement the command-line options
``--format text|md|json`` (``--json`` is ``--format json``), ``--only ID...``,
``--severity LEVEL...``, ``--thorough`` and ``--figures DIR``.  The exit status is 0 whatever
the verdicts and 1 when a check could not run.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap

from .claims import SEVERITIES, STATUSES, Report

__all__ = ["render_text", "render_md", "render_json", "add_verify_arguments", "run_verify"]

_MARK = {
    "holds": "holds",
    "erratum": "ERRATUM",
    "gap": "GAP",
    "choice": "choice",
    "not-checkable": "not-checkable",
}


def summary_lines(report: Report) -> list[str]:
    """The summary: counts by status, and errata/gaps by severity."""
    s = report.summary
    parts = [f"{s[st]} {st}" for st in STATUSES]
    lines = [f"{s['claims']} claims: " + ", ".join(parts)]
    for st in ("erratum", "gap"):
        by = s["by_status_and_severity"][st]
        lines.append(f"  {st} by severity: " + ", ".join(f"{by[v]} {v}" for v in SEVERITIES))
    if report.errors:
        lines.append(
            f"  {len(report.errors)} checks could not run: "
            + ", ".join(e["id"] for e in report.errors)
        )
    return lines


def _wrap(label: str, text: str, width: int, indent: int = 4) -> list[str]:
    if not text:
        return []
    pad = " " * indent
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=f"{pad}{label}",
        subsequent_indent=pad + "  ",
        break_on_hyphens=False,
        break_long_words=False,
    )


def render_text(report: Report, width: int = 100) -> str:
    """Plain text: summary, then each claim (grouped by part of the paper)."""
    out = list(summary_lines(report))
    out += _wrap(
        "",
        "severity: result = changes a result, a constant or an example's outcome; proof = a "
        "proof step fails, the result survives; notation = typo.",
        width,
        indent=0,
    )
    group = None
    for c in report.claims:
        if c.group != group:
            group = c.group
            out += ["", f"== {group} =="]
        sev = f" [{c.severity}]" if c.severity else ""
        out.append(f"{_MARK[c.status]}{sev}  {c.id}  ({c.where})")
        out += _wrap("", c.statement, width)
        if c.status != "holds":
            out += _wrap("printed: ", c.printed, width)
            out += _wrap("correct: " if c.status != "choice" else "blendsym: ", c.correct, width)
        out += _wrap(f"evidence ({c.method}): ", c.evidence, width)
    for e in report.errors:
        out += ["", f"COULD NOT RUN  {e['id']}: {e['error']}"]
    out += [""] + summary_lines(report)
    return "\n".join(out)


def _md_escape(text: str) -> str:
    return text.replace("|", r"\|")


#: an inline matrix as :func:`blendsym.paper.claims.inline` writes it: ``[[a, b], [c, d]]``
_INLINE_MATRIX = re.compile(r"\[\[[^\[\]]*\](?:, \[[^\[\]]*\])*\]")


def _matrix_latex(m: re.Match) -> str:
    rows = m.group(0)[2:-2].split("], [")
    body = r" \\ ".join(
        " & ".join(
            re.sub(r"\bI\b", "i", e.strip().replace("*I", "i")).replace("sqrt", "\\sqrt")
            for e in r.split(",")
        )
        for r in rows
    )
    return r"$\begin{pmatrix}" + body + r"\end{pmatrix}$"


def _md_text(text: str, latex: dict[str, str]) -> str:
    """Markdown text: matrices as LaTeX (the claim's own LaTeX where it gives one), other
    asterisks escaped."""
    for inline_text in sorted(latex, key=len, reverse=True):
        text = text.replace(inline_text, f"${latex[inline_text]}$")
    parts = re.split(r"(\$[^$]*\$)", text)
    out = []
    for part in parts:
        if part.startswith("$") and part.endswith("$") and len(part) > 1:
            out.append(part)
            continue
        pieces = re.split(r"(\[\[[^\[\]]*\](?:, \[[^\[\]]*\])*\])", part)
        for piece in pieces:
            if _INLINE_MATRIX.fullmatch(piece):
                out.append(_INLINE_MATRIX.sub(_matrix_latex, piece))
            else:
                out.append(re.sub(r"\*", r"\*", piece))
    return "".join(out)


def render_md(report: Report) -> str:
    """Markdown: a summary table, then a section per part of the paper."""
    s = report.summary
    out = [
        f"# Verification report: {report.paper}",
        "",
        "| status | count | result | proof | notation |",
        "|---|---|---|---|---|",
    ]
    for st in STATUSES:
        by = s["by_status_and_severity"].get(st)
        cells = [str(by[v]) for v in SEVERITIES] if by else ["", "", ""]
        out.append(f"| {st} | {s[st]} | " + " | ".join(cells) + " |")
    out.append(
        f"| **all** | **{s['claims']}** | {s['severity']['result']} | "
        f"{s['severity']['proof']} | {s['severity']['notation']} |"
    )
    group = None
    for c in report.claims:
        if c.group != group:
            group = c.group
            out += ["", f"## {group}", ""]
        sev = f" ({c.severity})" if c.severity else ""
        out += [
            f"### `{c.id}`: {c.status}{sev}",
            "",
            f"*{c.where}*: {_md_text(c.statement, c.latex)}",
            "",
        ]
        if c.status != "holds" and c.printed:
            out.append(f"- printed: {_md_text(c.printed, c.latex)}")
        if c.status != "holds" and c.correct:
            label = "blendsym" if c.status == "choice" else "correct"
            out.append(f"- {label}: {_md_text(c.correct, c.latex)}")
        out.append(f"- evidence ({c.method}): {_md_text(c.evidence, c.latex)}")
    if report.errors:
        out += ["", "## Checks that could not run", ""]
        out += [f"- `{e['id']}`: {_md_escape(e['error'])}" for e in report.errors]
    return "\n".join(out) + "\n"


def render_json(report: Report, indent: int | None = 2) -> str:
    """JSON: ``paper``, ``summary``, ``claims`` (see the module docstring), ``errors``."""
    return json.dumps(
        {
            "paper": report.paper,
            "summary": report.summary,
            "claims": [c.as_dict() for c in report.claims],
            "errors": [{k: e[k] for k in ("id", "group", "error")} for e in report.errors],
        },
        indent=indent,
        ensure_ascii=False,
    )


# ----------------------------------------------------------------------------- command


def add_verify_arguments(parser) -> None:
    """The options of ``blendsym verify`` (on an ``argparse`` sub-parser)."""
    parser.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default=None,
        help="output format (default text)",
    )
    parser.add_argument("--json", action="store_true", help="same as --format json")
    parser.add_argument("--only", nargs="+", metavar="ID", help="recompute only these claims")
    parser.add_argument(
        "--severity",
        nargs="+",
        choices=SEVERITIES,
        metavar="LEVEL",
        help="list only errata and gaps of these severities "
        f"({', '.join(SEVERITIES)}); the summary still counts every claim",
    )
    parser.add_argument(
        "--thorough",
        action="store_true",
        help="run the counterexample searches live (minutes) instead of "
        "re-checking the cached ones",
    )
    parser.add_argument("--figures", metavar="DIR", help="also write Figures 1, 2, 3, 6, 7 to DIR")


def run_verify(args) -> int:
    """Run ``blendsym verify``: 0 whatever the verdicts, 1 when a check could not run."""
    from . import verify_search
    from .report import verify_paper

    fmt = "json" if args.json else (args.format or "text")
    if fmt == "json" and args.format not in (None, "json"):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(f"--json conflicts with --format {args.format}")
    from .._progress import enabled

    # the bar (tqdm on a terminal) shows the part being checked; lines would break it
    progress = (
        None
        if fmt == "json" or enabled()
        else (lambda name: print(f"checking {name} ...", file=sys.stderr))
    )
    verify_search.THOROUGH = bool(getattr(args, "thorough", False))
    try:
        report = verify_paper(progress=progress, only=args.only)
    finally:
        verify_search.THOROUGH = False
    shown = report
    if args.severity:
        shown = Report(
            report.paper, [c for c in report.claims if c.severity in args.severity], report.errors
        )
    if fmt == "json":
        text = render_json(shown)
        if args.severity:  # the summary counts every claim
            data = json.loads(text)
            data["summary"] = report.summary
            text = json.dumps(data, indent=2, ensure_ascii=False)
        print(text)
    elif fmt == "md":
        print(render_md(shown), end="")
    else:
        body = render_text(shown)
        if args.severity:
            body += (
                "\n(listing severities "
                + ", ".join(args.severity)
                + "; all claims: "
                + summary_lines(report)[0]
                + ")"
            )
        print(body)
    if args.figures:
        from .figures import write_figures

        for path in write_figures(args.figures):
            print(f"wrote {path}", file=sys.stderr)
    return 1 if report.errors else 0
