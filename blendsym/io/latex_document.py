r"""The LaTeX of a whole model: its sections (eq. (4), eq. (5), Definitions 1 and 2) and a
standalone document that compiles with ``pdflatex`` (``blendsym latex --standalone``).

Every equation is math-mode LaTeX for ``\[ ... \]`` (amsmath: long sums are ``aligned``
blocks broken between terms, :mod:`blendsym.io.latex_layout`).
"""

from __future__ import annotations

from ..model.network import QuantumNetwork

__all__ = ["latex_sections", "standalone_document", "PREAMBLE"]

#: The packages the equations need (amsmath for ``aligned``, amssymb for ``\mathbb``).
PREAMBLE = "\\documentclass[10pt]{article}\n\\usepackage{amsmath,amssymb}\n"


def latex_sections(net: QuantumNetwork, coherent: bool = True) -> list[tuple[str, list[str]]]:
    """``[(title, [equation, ...]), ...]``: eq. (4) (with the edge set :math:`E` it sums over,
    when it does); for a separable ``net`` eq. (5) and
    Definition 1; Definition 2 (operator form) when ``coherent``."""
    from ..section4.reduced import is_separable
    from .latex import (
        coherent_equation_latex,
        edge_set_latex,
        network_equation_latex,
        reduced_state_equations_latex,
    )

    network = [network_equation_latex(net)]
    edges = edge_set_latex(net)  # the E and a_jk of a SWAP term written as a sum over E
    if edges is not None:
        network.append(edges)
    out = [("network, eq. (4)", network)]
    if is_separable(net):
        from ..section4.blended import blended_reduced_state

        out.append(("reduced-state equations (5)", reduced_state_equations_latex(net)))
        b = blended_reduced_state(net)
        for part in b.by_component():  # one blended dynamics per connected component of G
            title = "blended reduced-state dynamics (Definition 1)"
            if not b.is_connected:
                title += f", component {part.index} (sites {', '.join(map(str, part.sites))})"
            out.append((title, [part.latex()]))
    if coherent:
        out.append(("blended coherent dynamics (Definition 2)", [coherent_equation_latex(net)]))
    return out


def _escape(text: str) -> str:
    table = {
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
    return "".join(table.get(c, c) for c in text)


def standalone_document(
    sections: list[tuple[str, list[str]]], title: str = "", notes: tuple[str, ...] = ()
) -> str:
    """A complete ``article`` holding ``sections`` (from :func:`latex_sections`)."""
    body = [PREAMBLE, "\\begin{document}\n"]
    if title:
        body.append(f"\\section*{{{_escape(title)}}}\n")
    for name, eqs in sections:
        body.append(f"\\subsection*{{{_escape(name[0].upper() + name[1:])}}}\n")
        for tex in eqs:
            body.append(f"\\[\n{tex}\n\\]\n")
    for note in notes:
        body.append(f"\\noindent {_escape(note)}\n\n")
    body.append("\\end{document}\n")
    return "".join(body)
