r"""Line breaking for the LaTeX of long equations (sums of many terms).

An equation's right-hand side is a signed sum of *terms*; a term is a string or a
:class:`Group`, e.g. :math:`K_c\left(\mathcal D(U_{12})\rho + \dots\right)` or the commutator
:math:`-\frac{i}{\hbar}\left[H, \rho\right]`.  :func:`equation` prints the equation on one line
when it fits in :data:`LINE_WIDTH` (estimated by :func:`tex_width`), and otherwise as an
``aligned`` block (amsmath) broken between terms, also inside groups, whose delimiters then
become ``\bigl( ... \bigr)`` (unpaired, so that a line break may fall between them).  The output
is math-mode LaTeX: put it in ``\[ ... \]`` or an ``equation*`` environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Group", "LINE_WIDTH", "equation", "tex_width", "join_terms"]

#: Width of a line in :func:`tex_width` units (about a 10 pt glyph): an ``article`` page at
#: 10 pt is 345 pt wide; the pdflatex test (tests/test_latex_compile.py) checks that no line
#: of any example overflows it.
LINE_WIDTH = 29.0

_ZERO_WIDTH = {
    "left",
    "right",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "mathcal",
    "mathbf",
    "mathrm",
    "operatorname",
    "frac",
    "dfrac",
    "tfrac",
    "sqrt",
    "limits",
    "displaystyle",
}


def _group_end(tex: str, i: int) -> int:
    """Index just past the brace group that opens at ``tex[i] == '{'``."""
    depth = 0
    for k in range(i, len(tex)):
        if tex[k] == "{":
            depth += 1
        elif tex[k] == "}":
            depth -= 1
            if depth == 0:
                return k + 1
    return len(tex)


def _argument(tex: str, i: int) -> tuple[str, int]:
    """The next TeX argument from ``i`` (a brace group or one token) and the index after it."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] == "{":
        end = _group_end(tex, i)
        return tex[i + 1 : end - 1], end
    if tex[i] == "\\":
        m = re.match(r"\\[A-Za-z]+|\\.", tex[i:])
        token = m.group(0) if m is not None else "\\"  # a lone trailing backslash
        return token, i + len(token)
    return tex[i], i + 1


def tex_width(tex: str) -> float:
    r"""Estimated printed width of math-mode ``tex`` in units of about 8 pt.

    Letters and digits count 0.6, binary operators and relations 1.4 (with their spaces),
    sub- and superscripts 0.7 of their content, ``\frac{a}{b}`` the wider of ``a`` and ``b``,
    ``\sqrt{x}`` one more than ``x``, ``\sum`` the wider of its symbol and its (stacked)
    limits; sizing commands (``\left``, ``\bigl``) count nothing.
    """
    w = 0.0
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+)|\\(.)", tex[i:])
            if m is None:  # a lone trailing backslash
                i += 1
                continue
            name = m.group(1) or m.group(2)
            i += len(m.group(0))
            if name in ("frac", "dfrac", "tfrac"):
                a, i = _argument(tex, i)
                b, i = _argument(tex, i)
                w += max(tex_width(a), tex_width(b)) + 0.2
            elif name in ("sum", "prod"):  # display style: the limits are stacked
                lim = 0.0
                while i < len(tex) and tex[i] in "_^":
                    a, i = _argument(tex, i + 1)
                    lim = max(lim, 0.7 * tex_width(a))
                w += max(1.2, lim) + 0.3
            elif name == "sqrt":
                a, i = _argument(tex, i)
                w += tex_width(a) + 0.9
            elif name in ("mathcal", "mathbf", "mathrm", "operatorname"):
                a, i = _argument(tex, i)
                w += tex_width(a) * 1.2
            elif name in ("quad",):
                w += 1.0
            elif name in ("qquad",):
                w += 2.0
            elif name in (",", ";", ":", "!", " "):
                w += 0.2
            elif name in _ZERO_WIDTH:
                pass
            elif name in ("otimes", "cdot", "in", "to", "mapsto", "le", "ge", "times"):
                w += 1.4
            else:  # a Greek letter or a symbol
                w += 0.7
        elif ch in "_^":
            a, i = _argument(tex, i + 1)
            w += 0.7 * tex_width(a)
        elif ch in "{}& ":
            i += 1
        elif ch in "+-=<>":
            w += 1.4
            i += 1
        elif ch in "()[],.|":
            w += 0.4
            i += 1
        else:
            w += 0.6
            i += 1
    return w


def join_terms(terms: list[str]) -> str:
    """``t1 + t2 - t3`` from signed terms (a term starting with ``-`` is subtracted)."""
    if not terms:
        return "0"
    out = terms[0]
    for t in terms[1:]:
        out += f" - {t[1:]}" if t.startswith("-") else f" + {t}"
    return out


@dataclass(frozen=True)
class Group:
    r"""``prefix \left<open> term + term ... tail \right<close> suffix``.

    ``open``/``close`` are bare delimiters (``(``, ``)``, ``[``, ``]``); ``tail`` is printed
    inside the delimiters after the terms (``, \rho`` for a commutator).  A term that starts with
    ``-`` is subtracted; ``prefix`` may start with ``-`` (the whole group is then subtracted).
    """

    prefix: str
    open: str
    terms: tuple
    close: str
    tail: str = ""
    suffix: str = ""

    def startswith(self, s: str) -> bool:
        return self.prefix.startswith(s)


def _inline(node) -> str:
    if isinstance(node, str):
        return node
    inner = join_terms([_inline(t) for t in node.terms])
    return (
        f"{node.prefix}\\left{node.open}{inner}{node.tail}\\right{node.close}{node.suffix}"
        if node.open
        else f"{node.prefix}{inner}{node.tail}{node.suffix}"
    )


def _signed(piece: str, first: bool) -> str:
    if first:
        return piece
    return f"- {piece[1:]}" if piece.startswith("-") else f"+ {piece}"


def _pieces(node, width: float) -> list[str]:
    """Unbreakable pieces of ``node``, each but the first starting with its sign."""
    text = _inline(node)
    if isinstance(node, str) or tex_width(text) <= width or not node.terms:
        return [text]
    size = "Big" if any(c in text for c in ("\\frac", "\\sqrt")) else "big"
    out: list[str] = []
    for k, t in enumerate(node.terms):
        sub = _pieces(t, width - 2.0)
        sub[0] = _signed(sub[0], k == 0)
        out.extend(sub)
    opener = f"\\{size}l{node.open}" if node.open else ""
    closer = f"\\{size}r{node.close}" if node.close else ""
    out[0] = f"{node.prefix}{opener}{out[0]}"
    out[-1] = f"{out[-1]}{node.tail}{closer}{node.suffix}"
    return out


def equation(lhs: str, terms: list, width: float = LINE_WIDTH, tail: str = "") -> str:
    r"""``lhs = terms`` on one line if it fits in ``width``, else an ``aligned`` block.

    ``tail`` (e.g. ``,\quad x \in X``) follows the last term, unsigned."""
    one = f"{lhs} = {join_terms([_inline(t) for t in terms])}{tail}"
    if tex_width(one) <= width or len(terms) == 0:
        return one
    if len(terms) == 1 and isinstance(terms[0], str):
        return one
    pieces: list[str] = []
    for k, t in enumerate(terms):
        room = width - 3.0
        if k == 0:
            room = min(room, width - tex_width(lhs) - 1.4)
        if k == len(terms) - 1:
            room -= tex_width(tail)
        sub = _pieces(t, room)
        sub[0] = _signed(sub[0], k == 0)
        pieces.extend(sub)
    if tail:
        pieces[-1] += tail
    lines: list[str] = []
    cur = ""
    avail = width - tex_width(lhs) - 1.4
    for p in pieces:
        cand = f"{cur} {p}" if cur else p
        if cur and tex_width(cand) > avail:
            lines.append(cur)
            cur = p
            avail = width - 1.0
        else:
            cur = cand
    lines.append(cur)
    body = f"{lhs} ={{}}& {lines[0]}"
    for line in lines[1:]:
        body += f" \\\\ &\\quad {{}}{line}"
    return f"\\begin{{aligned}}{body}\\end{{aligned}}"
