"""The LaTeX output compiles with a real engine (pdflatex) and fits the page.

Every example (docs/examples/*.toml through ``blendsym latex``, the paper's examples through
the library functions) and random models are put in one ``article`` (amsmath, 10 pt) and
compiled; the test fails on a LaTeX error and on any overfull line (an equation wider than
the text).  It skips only where no pdflatex is installed (.ci/run installs one).
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import blendsym as bs
from blendsym.cli import main
from blendsym.io.latex import (
    coherent_equation_latex,
    network_equation_latex,
    reduced_state_equations_latex,
)
from blendsym.section4.reduced import is_separable
from blendsym.testing import (
    inseparable_networks,
    permutation_invariant_networks,
    separable_networks,
)

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "docs" / "examples").glob("*.toml"))
PDFLATEX = shutil.which("pdflatex")
needs_pdflatex = pytest.mark.skipif(
    PDFLATEX is None,
    reason="no LaTeX engine: pdflatex not found (apt-get install texlive-latex-base "
    "texlive-latex-recommended; .ci/run does this in CI)",
)
HEADER = "\\documentclass[10pt]{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"


def compile_document(text: str, tmp_path: Path) -> str:
    """Compile ``text`` with pdflatex; fail on an error or an overfull line; return the log."""
    tex = tmp_path / "doc.tex"
    tex.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert proc.returncode == 0 and (tmp_path / "doc.pdf").exists(), "\n".join(errors[:5])
    overfull = re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\).*", log)
    assert not overfull, f"lines too wide by {overfull} pt:\n" + "\n".join(
        m.group(0) for m in re.finditer(r"Overfull \\hbox.*\n.*", log)
    )
    return log


def document(equations: list[str]) -> str:
    return HEADER + "".join(f"\\[\n{e}\n\\]\n" for e in equations) + "\\end{document}\n"


def cli_equations(capsys, path) -> list[str]:
    assert main(["latex", str(path)]) == 0
    out = capsys.readouterr().out
    return [line for line in out.splitlines() if line and not line.startswith("%")]


def library_equations(net) -> list[str]:
    eqs = [network_equation_latex(net)]
    if is_separable(net):
        eqs += reduced_state_equations_latex(net)
        eqs.append(bs.blended_reduced_state(net).latex())
    eqs.append(coherent_equation_latex(net))
    return eqs


def test_large_inseparable_examples_are_derived(capsys):
    """``blendsym latex`` writes Definition 2 in operator form for any n (no p x p matrix):
    the inseparable examples above n = 10 (dicke100) included."""
    from blendsym.modelfile import load_model
    from blendsym.reduced import is_separable

    large = [p for p in EXAMPLES if load_model(p).net.n > 10]
    assert large and not any(is_separable(load_model(p).net) for p in large)
    for path in large:
        assert main(["latex", str(path)]) == 0
        out = capsys.readouterr().out
        assert "% blended coherent dynamics (Definition 2)" in out and "bmatrix" not in out
        assert r"\sum_{j\neq k}" in out and len(out) < 4000


@needs_pdflatex
def test_every_example_compiles(capsys, tmp_path):
    eqs = []
    for path in EXAMPLES:
        eqs += cli_equations(capsys, path)
    for build in (bs.paper.example1, bs.paper.example2, bs.paper.example3):
        eqs += library_equations(build()[0])
    eqs += library_equations(bs.paper.example3(n=4)[0])
    compile_document(document(eqs), tmp_path)


@needs_pdflatex
@settings(
    max_examples=4,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # no shrinking: a compile is 1 s
)
@given(
    separable_networks(min_n=1, max_n=4, max_h_terms=4, max_jumps=3),
    inseparable_networks(min_n=2, max_n=3, max_h_terms=3, max_jumps=2),
)
def test_random_models_compile(tmp_path, sep, insep):
    compile_document(document(library_equations(sep) + library_equations(insep)), tmp_path)


@needs_pdflatex
def test_standalone_document_compiles(tmp_path):
    for path in EXAMPLES:  # dicke100 (n = 100) included
        out = tmp_path / f"{path.stem}.tex"
        assert main(["latex", "--standalone", str(path), "-o", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        assert text.startswith("\\documentclass") and "\\end{document}" in text
        compile_document(text, tmp_path)


@needs_pdflatex
@settings(
    max_examples=3,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(
    permutation_invariant_networks(min_n=11, max_n=40),
    permutation_invariant_networks(min_n=11, max_n=30, perturbed=True, disconnected=True),
)
def test_random_large_models_compile(tmp_path, pi, perturbed):
    """Collective eq. (4) and Definition 2 in operator form of n = 11..40 models fit the page."""
    from blendsym.io.latex_document import latex_sections

    eqs = [e for net in (pi, perturbed) for _, part in latex_sections(net) for e in part]
    assert all(len(e) < 5000 for e in eqs)
    compile_document(document(eqs), tmp_path)


@needs_pdflatex
def test_edge_sets_compile(tmp_path):
    """The edge set E that eq. (4) sums over fits the page: a weighted ring of 40 (listed) and
    a graph with more edges than are listed (their number is given)."""
    from blendsym.io.latex import MAX_LISTED_EDGES
    from blendsym.io.latex_document import latex_sections

    ring = [(j, j % 40 + 1, 1 + (j % 3 == 0)) for j in range(1, 41)]
    dense = [(j, k) for j in range(1, 31) for k in range(j + 1, 31) if (j * k) % 3][
        : MAX_LISTED_EDGES + 1
    ]
    eqs = []
    for n, edges in ((40, ring), (30, dense)):
        net = bs.QuantumNetwork(n, edges, bs.sum_sites(bs.sigma_z, n), [(1, bs.sigma_minus(1))])
        (_, network), *_ = latex_sections(net, coherent=False)
        assert len(network) == 2  # eq. (4) and the edge set
        eqs += network
    assert r"a_{jk} ={}& 1\ \text{except}" in eqs[1] and "edges on 30 sites" in eqs[3]
    compile_document(document(eqs), tmp_path)
