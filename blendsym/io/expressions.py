r"""A small, safe parser for operator expressions in model files.

Grammar (no Python is ever evaluated; no ``eval``, no ``sympify`` of raw text)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom ("**" unary)?
    atom   := NUMBER | NAME | NAME "(" expr ")" | "(" expr ")"
            | "sum_sites" "(" NAME ")" | "sum_pairs" "(" NAME "," NAME ")"

Names: ``I`` (the imaginary unit), the parameters declared in the file, ``sqrt(...)``,
and the site operators ``sigma_x(j)``, ``sigma_y(j)``, ``sigma_z(j)``, ``sigma_plus(j)``,
``sigma_minus(j)`` (``j`` an integer site, 1-based) and ``identity()``.  Collective sums:
``sum_sites(A)`` is :math:`\sum_{j=1}^nA^{(j)}` and ``sum_pairs(A, B)`` is
:math:`\sum_{j>k}A^{(j)}B^{(k)}` for site-operator names ``A``, ``B`` (e.g.
``sum_pairs(sigma_x, sigma_y)``), each at most :data:`MAX_CONSTRUCT_TERMS` terms.  Integers and
fractions such as ``1/20`` are exact; a decimal such as ``0.05`` is a float unless the
caller asks for exact numbers.  Every error names the key and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from ..errors import ModelFileError
from ..model.operators import (
    SiteOperator,
    identity,
    sigma_minus,
    sigma_plus,
    sigma_x,
    sigma_y,
    sigma_z,
    sum_pairs,
    sum_sites,
)

__all__ = ["parse_expression", "SITE_OPERATORS", "MAX_CONSTRUCT_TERMS"]

#: Largest number of terms one ``sum_sites`` / ``sum_pairs`` construct may expand to
#: (``sum_pairs`` on n sites has n(n-1)/2 terms: n <= 632).
MAX_CONSTRUCT_TERMS = 200_000

SITE_OPERATORS = {
    "sigma_x": sigma_x,
    "sigma_y": sigma_y,
    "sigma_z": sigma_z,
    "sigma_plus": sigma_plus,
    "sigma_minus": sigma_minus,
}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/(),]))"
)


@dataclass
class _Tok:
    kind: str
    text: str
    col: int


def _tokenize(text: str, key: str) -> list[_Tok]:
    toks = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ModelFileError(
                f"{key}: unexpected character {text[col - 1]!r} at column {col} in {text!r}"
            )
        kind = m.lastgroup
        start = m.start(kind)
        toks.append(_Tok(kind, m.group(kind), start + 1))
        pos = m.end()
    toks.append(_Tok("end", "", len(text) + 1))
    return toks


class _Parser:
    def __init__(self, text: str, key: str, n: int | None, params: dict, exact: bool):
        self.text = text
        self.key = key
        self.n = n
        self.params = params
        self.exact = exact
        self.toks = _tokenize(text, key)
        self.i = 0

    # -------------------------------------------------------------- helpers
    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def fail(self, msg: str, tok: _Tok | None = None):
        tok = tok or self.peek()
        raise ModelFileError(f"{self.key}: {msg} at column {tok.col} in {self.text!r}")

    def expect(self, text: str) -> _Tok:
        t = self.peek()
        if t.text != text:
            self.fail(f"expected {text!r} but found {t.text or 'the end'!r}")
        return self.take()

    # -------------------------------------------------------------- grammar
    def parse(self):
        if self.peek().kind == "end":
            self.fail("empty expression")
        v = self.expr()
        if self.peek().kind != "end":
            self.fail(f"unexpected {self.peek().text!r}")
        return v

    def expr(self):
        v = self.term()
        while self.peek().text in ("+", "-"):
            op = self.take()
            w = self.term()
            v = self._add(v, w if op.text == "+" else _neg(w), op)
        return v

    def term(self):
        v = self.unary()
        while self.peek().text in ("*", "/"):
            op = self.take()
            w = self.unary()
            if op.text == "*":
                v = v * w
            else:
                if isinstance(w, SiteOperator):
                    self.fail("cannot divide by an operator", op)
                if w == 0:
                    self.fail("division by zero", op)
                v = v / w
        return v

    def unary(self):
        if self.peek().text in ("+", "-"):
            op = self.take()
            v = self.unary()
            return v if op.text == "+" else _neg(v)
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek().text == "**":
            op = self.take()
            ex = self.unary()
            if isinstance(ex, SiteOperator):
                self.fail("an exponent must be a number", op)
            if isinstance(base, SiteOperator):
                if not (ex.is_Integer and ex >= 0):
                    self.fail("an operator can only be raised to a non-negative integer power", op)
                if ex > 64:
                    self.fail("exponent too large (at most 64)", op)
                return base ** int(ex)
            if ex.is_Number and abs(ex) > 1000:
                self.fail("exponent too large (at most 1000 in magnitude)", op)
            return base**ex
        return base

    def atom(self):
        t = self.take()
        if t.kind == "num":
            if re.fullmatch(r"\d+", t.text):
                return sympy.Integer(int(t.text))
            return sympy.Rational(t.text) if self.exact else sympy.Float(t.text)
        if t.text == "(":
            v = self.expr()
            self.expect(")")
            return v
        if t.kind == "name":
            return self.name(t)
        self.fail(f"expected a number, a name or '(' but found {t.text or 'the end'!r}", t)

    def name(self, t: _Tok):
        name = t.text
        if name in SITE_OPERATORS:
            self.expect("(")
            s = self.peek()
            if s.kind != "num" or not re.fullmatch(r"\d+", s.text):
                self.fail(f"{name} needs an integer site, e.g. {name}(1)", s)
            self.take()
            site = int(s.text)
            hi = self.n if self.n is not None else None
            if site < 1 or (hi is not None and site > hi):
                rng = f"1..{hi}" if hi is not None else ">= 1"
                self.fail(f"site {site} of {name} is out of range {rng}", s)
            self.expect(")")
            return SITE_OPERATORS[name](site)
        if name in ("sum_sites", "sum_pairs"):
            return self._collective(name, t)
        if name == "identity":
            self.expect("(")
            self.expect(")")
            return identity()
        if name == "sqrt":
            self.expect("(")
            v = self.expr()
            self.expect(")")
            if isinstance(v, SiteOperator):
                self.fail("sqrt takes a number, not an operator", t)
            return sympy.sqrt(v)
        if name == "I":
            return sympy.I
        if name in self.params:
            return self.params[name]
        allowed = ", ".join(
            sorted(
                [*SITE_OPERATORS, "identity", "sqrt", "I", "sum_sites", "sum_pairs", *self.params]
            )
        )
        self.fail(f"unknown name {name!r} (allowed: {allowed})", t)

    def _collective(self, name: str, t: _Tok):
        r"""``sum_sites(A)`` = :math:`\sum_{j=1}^nA^{(j)}`; ``sum_pairs(A, B)`` =
        :math:`\sum_{j>k}A^{(j)}B^{(k)}` (:func:`blendsym.sum_pairs`); ``A``, ``B`` are
        site-operator names.  At most :data:`MAX_CONSTRUCT_TERMS` terms each."""
        if self.n is None:
            self.fail(f"{name} needs the number of qubits n", t)
        self.expect("(")
        ops = []
        for i in range(1 if name == "sum_sites" else 2):
            if i:
                self.expect(",")
            a = self.take()
            if a.text not in SITE_OPERATORS:
                self.fail(
                    f"{name} takes site-operator names ({', '.join(SITE_OPERATORS)}): "
                    f"found {a.text or 'the end'!r}",
                    a,
                )
            ops.append(SITE_OPERATORS[a.text])
        self.expect(")")
        count = self.n if name == "sum_sites" else self.n * (self.n - 1) // 2
        if count > MAX_CONSTRUCT_TERMS:
            self.fail(
                f"{name} on n = {self.n} sites has {count} terms (at most {MAX_CONSTRUCT_TERMS})", t
            )
        if name == "sum_sites":
            return sum_sites(ops[0], self.n)
        return sum_pairs(ops[0], ops[1], self.n)

    def _add(self, a, b, op: _Tok):
        return a + b


def _neg(v):
    return -v


def parse_expression(
    text: str, key: str, n: int | None = None, params: dict | None = None, exact: bool = False
):
    """Parse ``text`` into a SymPy number/expression or a :class:`SiteOperator`.

    ``key`` names the model-file key in error messages; ``n`` bounds the sites;
    ``params`` maps declared parameter names to SymPy values or symbols.
    """
    if not isinstance(text, str):
        raise ModelFileError(
            f"{key}: expected an expression string, found {type(text).__name__} {text!r}"
        )
    if len(text) > 10_000:
        raise ModelFileError(f"{key}: expression too long ({len(text)} characters, at most 10000)")
    return _Parser(text, key, n, dict(params or {}), exact).parse()
