r"""A small, safe and bounded parser for operator expressions in model files.

Grammar (no Python is ever evaluated; no ``eval``, no ``sympify`` of raw text)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-")* power
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
caller asks for exact numbers.  Only ASCII digits, letters and blanks are accepted (a
Unicode digit such as ``١`` is an error, not the number 1).  Every error names the key and
the column.

Limits
------
Every expression is parsed in time and memory bounded by the module constants below, so
that no model file can make the parser hang or exhaust memory; a violation is a
:class:`~blendsym.errors.ModelFileError` raised *before* the expensive step.

* :data:`MAX_EXPRESSION_LENGTH` characters, :data:`MAX_NESTING` levels of nested
  parentheses, function calls and powers (also the depth of the resulting expression tree);
* number literals of at most :data:`MAX_LITERAL_DIGITS` digits and decimal exponents
  :math:`|e|\le` :data:`MAX_LITERAL_EXPONENT`;
* powers of a single term (a number, a monomial) :math:`|k|\le` :data:`MAX_EXPONENT`, of
  sums and operators :math:`|k|\le` :data:`MAX_OPERATOR_EXPONENT` (operators: :math:`k\ge 0`);
* exact numbers (numerators and denominators, also of every coefficient an expansion
  creates) of at most :data:`MAX_NUMBER_BITS` bits, estimated *before* a power or product is
  computed (:math:`\mathrm{bits}(a^k)\le k\,\mathrm{bits}(a)`), and of at most
  :data:`MAX_ROOT_BITS` bits under ``sqrt`` or a fractional power;
* at most :data:`MAX_TERMS` terms created by one operation, counted as Pauli strings times
  the monomials of their coefficients: a product of sums with :math:`a` and :math:`b` terms
  creates :math:`ab`; a power :math:`A^k` of a sum of :math:`s` terms at most
  :math:`\min\big(\binom{s+k-1}{k},\ 4^{m}\binom{c+k-1}{k}\big)` (:math:`m` sites, :math:`c`
  distinct coefficient monomials: Pauli strings commute up to a phase), and each of its
  :math:`k-1` multiplications is a product as above;
* at most :data:`MAX_COEFFICIENT_TERMS` terms in the expansion of one coefficient;
* at most :data:`MAX_WORK` units of work in all (a whole model file shares one
  :class:`ExpressionBudget`), a unit being about one SymPy operation on small numbers: every
  token, every product of two terms and every argument SymPy flattens in a sum or a
  product count one, weighted :data:`SLOW_WEIGHT` where the coefficients are sums or hold
  radicals; a root counts :data:`ROOT_WORK`.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from typing import Any, NamedTuple, NoReturn

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

__all__ = [
    "parse_expression",
    "SITE_OPERATORS",
    "ExpressionBudget",
    "MAX_EXPRESSION_LENGTH",
    "MAX_NESTING",
    "MAX_LITERAL_DIGITS",
    "MAX_LITERAL_EXPONENT",
    "MAX_EXPONENT",
    "MAX_OPERATOR_EXPONENT",
    "MAX_NUMBER_BITS",
    "MAX_ROOT_BITS",
    "MAX_TERMS",
    "MAX_COEFFICIENT_TERMS",
    "MAX_WORK",
    "SLOW_WEIGHT",
    "ROOT_WORK",
    "MAX_CONSTRUCT_TERMS",
]

#: Longest expression string (characters).
MAX_EXPRESSION_LENGTH = 10_000
#: Deepest nesting of parentheses, function calls and powers (and of the expression tree).
MAX_NESTING = 32
#: Most digits in one number literal (mantissa; Python refuses int strings beyond 4300).
MAX_LITERAL_DIGITS = 100
#: Largest decimal exponent of a literal such as ``1e-5`` (in magnitude).
MAX_LITERAL_EXPONENT = 1000
#: Largest exponent of a power of numbers (in magnitude).
MAX_EXPONENT = 1000
#: Largest (non-negative integer) exponent of a power of operators, and largest exponent
#: (in magnitude) of an integer power of a sum, which expands.
MAX_OPERATOR_EXPONENT = 64
#: Largest numerator or denominator of an exact number, in bits (about 3000 digits).
MAX_NUMBER_BITS = 10_000
#: Largest exact number (bits) under a fractional power such as ``sqrt``: SymPy factors it
#: to extract roots (20 ms at 1024 bits, 2 s at 4096, 36 s at 10000).
MAX_ROOT_BITS = 1024
#: Most terms (Pauli strings times coefficient monomials) one operation may create.
MAX_TERMS = 20_000
#: Most terms of the expansion of one coefficient (a number or the coefficient of one Pauli
#: string).
MAX_COEFFICIENT_TERMS = 1_000
#: Most (weighted) term products in all, per expression or per model file (shared budget).
MAX_WORK = 100_000
#: Weight of a term product whose coefficients are sums or hold radicals: SymPy's arithmetic
#: on those (expansion, radicals such as sqrt(2)*sqrt(3)) is about 25 times slower than on
#: numbers and monomials.
SLOW_WEIGHT = 25
#: Work of one root (``sqrt``, a fractional power of a number): SymPy looks for factors.
ROOT_WORK = 40
#: Largest number of terms one ``sum_sites`` / ``sum_pairs`` construct may expand to: one
#: operation's :data:`MAX_TERMS` (``sum_pairs`` on n sites has n(n-1)/2 terms: n <= 200).
MAX_CONSTRUCT_TERMS = MAX_TERMS

SITE_OPERATORS = {
    "sigma_x": sigma_x,
    "sigma_y": sigma_y,
    "sigma_z": sigma_z,
    "sigma_plus": sigma_plus,
    "sigma_minus": sigma_minus,
}

_BLANK = " \t\r\n"
_TOKEN = re.compile(
    r"[ \t\r\n]*(?:(?P<num>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/(),]))",
    re.ASCII,
)
_LITERAL = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?)([0-9]+))?", re.ASCII)
_CAP = 10**30  # counts are capped here: every limit is far below


class ExpressionBudget:
    """The work (term products) the expressions of one model file may still spend.

    One budget is shared by every expression of a file, so that many moderately large
    expressions cannot add up to an unbounded parse; it also caches the sizes of the SymPy
    subexpressions already measured.
    """

    def __init__(self, work: int = MAX_WORK):
        self.remaining = int(work)
        self.total = int(work)
        self._sizes: dict = {}


class _Size(NamedTuple):
    terms: int  # terms of the full expansion (an upper bound)
    bits: int  # bits of the largest exact number the expansion may contain (upper bound)
    depth: int  # depth of the expression tree
    plain: bool = True  # every coefficient a single monomial (number times symbols), no radical
    root_bits: int = 0  # bits of the largest exact number under a fractional power


class _NotFinite(Exception):
    pass


@dataclass
class _Tok:
    kind: str
    text: str
    col: int


@dataclass
class _V:
    """A parsed value with its size."""

    value: Any  # a SymPy expression or a SiteOperator
    size: _Size

    @property
    def is_op(self) -> bool:
        return isinstance(self.value, SiteOperator)


_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlong = 40


def describe_value(value) -> str:
    """A short ``repr`` of any value read from a file (bounded length, never recursive)."""
    return _REPR.repr(value)


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def _tokenize(text: str, key: str) -> list[_Tok]:
    toks = []
    pos = 0
    n = len(text)
    while pos < n:
        rest = pos
        while rest < n and text[rest] in _BLANK:
            rest += 1
        if rest == n:
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ModelFileError(
                f"{key}: unexpected character {text[rest]!r} at column {rest + 1} in {_shown(text)}"
            )
        kind = m.lastgroup or "op"
        toks.append(_Tok(kind, m.group(kind), m.start(kind) + 1))
        pos = m.end()
    toks.append(_Tok("end", "", n + 1))
    return toks


def _multinomial(t: int, k: int) -> int:
    r""":math:`\binom{t+k-1}{k}`, the number of monomials of degree ``k`` in ``t`` terms
    (capped at ``_CAP``)."""
    r = 1
    for i in range(1, k + 1):
        r = r * (t + i - 1) // i
        if r > _CAP:
            return _CAP
    return r


def _rational_bits(x) -> int:
    return max(int(x.p).bit_length(), int(x.q).bit_length())


_NONFINITE = (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)


def _measure(e, cache: dict) -> _Size:
    """Upper bounds on the expansion of a SymPy expression (terms, bits) and its depth."""
    hit = cache.get(e)
    if hit is not None:
        return hit
    if e.is_Rational:
        s = _Size(1, _rational_bits(e), 0)
    elif e.is_Atom:
        if e in _NONFINITE:
            raise _NotFinite(str(e))
        s = _Size(1, 0, 0)
    else:
        ms = [_measure(a, cache) for a in e.args]
        depth = 1 + max(m.depth for m in ms)
        roots = max(m.root_bits for m in ms)
        if e.is_Add:
            terms = min(_CAP, sum(m.terms for m in ms))
            bits = max(m.bits for m in ms) + (terms - 1).bit_length()
            s = _Size(terms, bits, depth, False, roots)
        elif e.is_Pow:
            s = _pow_size(ms[0], e.exp, depth)
        else:  # Mul, and any other node: the expansion multiplies the terms of its arguments
            terms = 1
            for m in ms:
                terms = min(_CAP, terms * m.terms)
            bits = sum(m.bits for m in ms)
            s = _Size(terms, bits, depth, all(m.plain for m in ms), roots)
    cache[e] = s
    return s


def _pow_size(b: _Size, ex, depth: int) -> _Size:
    if ex.is_Integer:
        k = abs(int(ex))
        bits = k * (b.bits + (b.terms - 1).bit_length())
        return _Size(_multinomial(b.terms, k), bits, depth, b.plain and b.terms == 1, b.root_bits)
    roots = max(b.root_bits, b.bits)  # the base stays under the root
    if ex.is_Rational:
        bits = max(b.bits, b.bits * abs(int(ex.p)) // int(ex.q) + 1)
        return _Size(1, bits, depth, False, roots)
    return _Size(1, b.bits, depth, False, roots)


def _args(e) -> int:
    """How many arguments SymPy flattens when ``e`` enters a sum or a product."""
    return max(1, len(e.args)) if isinstance(e, sympy.Basic) else 1


def _weight(*sizes: _Size) -> int:
    return 1 if all(s.plain for s in sizes) else SLOW_WEIGHT


class _Parser:
    def __init__(
        self,
        text: str,
        key: str,
        n: int | None,
        params: dict,
        exact: bool,
        budget: ExpressionBudget,
    ):
        self.text = text
        self.key = key
        self.n = n
        self.params = params
        self.exact = exact
        self.budget = budget
        self.cache = budget._sizes
        self.toks = _tokenize(text, key)
        self.i = 0
        self.depth = 0
        self.spend(len(self.toks), self.toks[0])  # every token costs a little SymPy work

    # -------------------------------------------------------------- helpers
    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def fail(self, msg: str, tok: _Tok | None = None) -> NoReturn:
        tok = tok or self.peek()
        raise ModelFileError(f"{self.key}: {msg} at column {tok.col} in {_shown(self.text)}")

    def expect(self, text: str) -> _Tok:
        t = self.peek()
        if t.text != text:
            self.fail(f"expected {text!r} but found {t.text or 'the end'!r}")
        return self.take()

    def enter(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.fail(f"nesting deeper than {MAX_NESTING} levels", tok)

    def leave(self) -> None:
        self.depth -= 1

    def scalar(self, value, tok: _Tok) -> _V:
        """Wrap a SymPy result, measured (its size was already bounded before computing)."""
        try:
            size = _measure(value, self.cache)
        except _NotFinite as exc:
            self.fail(f"the value is not finite ({exc})", tok)
        self.check_size(size, tok, coefficient=True)
        return _V(value, size)

    def operator(self, op: SiteOperator, tok: _Tok) -> _V:
        terms, bits, depth, plain, roots = 0, 0, 0, True, 0
        for c in op.terms.values():
            try:
                m = _measure(c, self.cache)
            except _NotFinite as exc:
                self.fail(f"the value is not finite ({exc})", tok)
            self.check_size(m, tok, coefficient=True)
            terms += m.terms
            bits = max(bits, m.bits)
            depth = max(depth, m.depth)
            plain = plain and m.plain
            roots = max(roots, m.root_bits)
        size = _Size(terms, bits, depth, plain, roots)
        self.check_size(size, tok)
        return _V(op, size)

    def check_size(self, size: _Size, tok: _Tok, what: str = "", coefficient: bool = False) -> None:
        subject = f"the {what}" if what else "the expression"
        if size.terms > MAX_TERMS:
            self.fail(
                f"{subject} would expand to {_count(size.terms)} terms (at most {MAX_TERMS})",
                tok,
            )
        if coefficient and size.terms > MAX_COEFFICIENT_TERMS:
            self.fail(
                f"{subject} would expand to {_count(size.terms)} terms in one coefficient "
                f"(at most {MAX_COEFFICIENT_TERMS})",
                tok,
            )
        if size.bits > MAX_NUMBER_BITS:
            self.fail(
                f"{subject} would hold a number of about {_count(size.bits)} bits "
                f"(at most {MAX_NUMBER_BITS})",
                tok,
            )
        if size.depth > MAX_NESTING:
            self.fail(f"{subject} would be nested deeper than {MAX_NESTING} levels", tok)
        if size.root_bits > MAX_ROOT_BITS:
            self.fail(
                f"{subject} would hold a root of a number of about {_count(size.root_bits)} bits "
                f"(at most {MAX_ROOT_BITS} under sqrt or a fractional power)",
                tok,
            )

    def check_root(self, base: _V, tok: _Tok) -> None:
        if base.size.bits > MAX_ROOT_BITS:
            self.fail(
                f"a root of a number of about {_count(base.size.bits)} bits "
                f"(at most {MAX_ROOT_BITS} under sqrt or a fractional power)",
                tok,
            )

    def spend(self, work: int, tok: _Tok) -> None:
        b = self.budget
        if work > b.remaining:
            self.fail(
                f"the model needs more than {b.total} units of work in all "
                f"(this step {_count(work)}, {b.remaining} left)",
                tok,
            )
        b.remaining -= work

    # -------------------------------------------------------------- grammar
    def parse(self) -> _V:
        if self.peek().kind == "end":
            self.fail("empty expression")
        v = self.expr()
        if self.peek().kind != "end":
            self.fail(f"unexpected {self.peek().text!r}")
        return v

    def expr(self) -> _V:
        first = self.peek()
        parts = [self.term()]
        while self.peek().text in ("+", "-"):
            op = self.take()
            w = self.term()
            parts.append(self._neg(w, op) if op.text == "-" else w)
        return parts[0] if len(parts) == 1 else self._sum(parts, first)

    def term(self) -> _V:
        v = self.unary()
        while self.peek().text in ("*", "/"):
            op = self.take()
            w = self.unary()
            if op.text == "*":
                v = self._mul(v, w, op)
            else:
                if w.is_op:
                    self.fail("cannot divide by an operator", op)
                if w.value.is_zero:
                    self.fail("division by zero", op)
                inv = w.size._replace(depth=w.size.depth + 1)
                self._check_product(v, _V(None, inv), op)
                try:
                    v = self._wrap(v.value / w.value, op)
                except ZeroDivisionError:  # a floating-point zero SymPy could not see
                    self.fail("division by zero", op)
        return v

    def unary(self) -> _V:
        signs = []
        while self.peek().text in ("+", "-"):
            signs.append(self.take())
        v = self.power()
        negative = [t for t in signs if t.text == "-"]
        if len(negative) % 2:
            v = self._neg(v, negative[-1])
        return v

    def power(self) -> _V:
        base = self.atom()
        if self.peek().text != "**":
            return base
        op = self.take()
        self.enter(op)
        ex = self.unary()
        self.leave()
        if ex.is_op:
            self.fail("an exponent must be a number", op)
        e = ex.value
        if base.is_op:
            if not (e.is_Integer and e >= 0):
                self.fail("an operator can only be raised to a non-negative integer power", op)
            if e > MAX_OPERATOR_EXPONENT:
                self.fail(f"exponent too large (at most {MAX_OPERATOR_EXPONENT})", op)
            return self._op_power(base, int(e), op)
        if e.is_Number and abs(e) > MAX_EXPONENT:
            self.fail(f"exponent too large (at most {MAX_EXPONENT} in magnitude)", op)
        if e.is_Integer and abs(e) > MAX_OPERATOR_EXPONENT and base.size.terms > 1:
            self.fail(
                f"exponent too large for a sum (at most {MAX_OPERATOR_EXPONENT} in magnitude; "
                f"{MAX_EXPONENT} for a single term)",
                op,
            )
        if base.value.is_zero and e.is_negative:
            self.fail("division by zero (0 to a negative power)", op)
        if e.is_Rational and not e.is_Integer:
            self.check_root(base, op)
            self.spend(ROOT_WORK, op)
        if e.is_Number:
            size = _pow_size(base.size, e, max(base.size.depth, ex.size.depth) + 1)
        else:
            depth = max(base.size.depth, ex.size.depth) + 1
            roots = max(base.size.root_bits, base.size.bits, ex.size.root_bits)
            size = _Size(1, base.size.bits, depth, False, roots)
        self.check_size(size, op, "power", coefficient=True)
        return self.scalar(base.value**e, op)

    def atom(self) -> _V:
        t = self.take()
        if t.kind == "num":
            return self.scalar(self.number(t), t)
        if t.text == "(":
            self.enter(t)
            v = self.expr()
            self.expect(")")
            self.leave()
            return v
        if t.kind == "name":
            return self.name(t)
        self.fail(f"expected a number, a name or '(' but found {t.text or 'the end'!r}", t)

    def number(self, t: _Tok):
        m = _LITERAL.fullmatch(t.text)
        if m is None:  # the tokenizer only makes literals that match
            self.fail(f"malformed number {t.text[:40]!r}", t)
        whole, frac, esign, exp = m.group(1), m.group(2), m.group(3), m.group(4)
        digits = len(whole) + len(frac or "")
        if digits > MAX_LITERAL_DIGITS:
            self.fail(f"number with {digits} digits (at most {MAX_LITERAL_DIGITS})", t)
        if exp is not None:
            stripped = exp.lstrip("0")
            if len(stripped) > 6 or int(stripped or "0") > MAX_LITERAL_EXPONENT:
                self.fail(
                    f"the exponent of {t.text[:40]} is too large "
                    f"(at most {MAX_LITERAL_EXPONENT} in magnitude)",
                    t,
                )
        if frac is None and exp is None:
            return sympy.Integer(int(whole))
        if self.exact:
            num = int((whole or "0") + (frac or ""))
            shift = (int(esign + exp) if exp is not None else 0) - len(frac or "")
            return sympy.Integer(num * 10**shift) if shift >= 0 else sympy.Rational(num, 10**-shift)
        return sympy.Float(t.text)

    def name(self, t: _Tok) -> _V:
        name = t.text
        if name in SITE_OPERATORS:
            self.expect("(")
            s = self.peek()
            if s.kind != "num" or not s.text.isdigit():
                self.fail(f"{name} needs an integer site, e.g. {name}(1)", s)
            self.take()
            if len(s.text) > MAX_LITERAL_DIGITS:
                self.fail(f"site with {len(s.text)} digits (at most {MAX_LITERAL_DIGITS})", s)
            site = int(s.text)
            hi = self.n if self.n is not None else None
            if site < 1 or (hi is not None and site > hi):
                rng = f"1..{hi}" if hi is not None else ">= 1"
                self.fail(f"site {site} of {name} is out of range {rng}", s)
            self.expect(")")
            return self.operator(SITE_OPERATORS[name](site), t)
        if name in ("sum_sites", "sum_pairs"):
            return self._collective(name, t)
        if name == "identity":
            self.expect("(")
            self.expect(")")
            return self.operator(identity(), t)
        if name == "sqrt":
            self.expect("(")
            self.enter(t)
            v = self.expr()
            self.leave()
            self.expect(")")
            if v.is_op:
                self.fail("sqrt takes a number, not an operator", t)
            self.check_root(v, t)
            self.spend(ROOT_WORK, t)
            size = _pow_size(v.size, sympy.Rational(1, 2), v.size.depth + 1)
            self.check_size(size, t, "square root", coefficient=True)
            return self.scalar(sympy.sqrt(v.value), t)
        if name == "I":
            return self.scalar(sympy.I, t)
        if name in self.params:
            return self.scalar(self.params[name], t)
        allowed = ", ".join(
            sorted(
                [*SITE_OPERATORS, "identity", "sqrt", "I", "sum_sites", "sum_pairs", *self.params]
            )
        )
        self.fail(f"unknown name {name!r} (allowed: {allowed})", t)

    def _collective(self, name: str, t: _Tok) -> _V:
        r"""``sum_sites(A)`` = :math:`\sum_{j=1}^nA^{(j)}`; ``sum_pairs(A, B)`` =
        :math:`\sum_{j>k}A^{(j)}B^{(k)}` (:func:`blendsym.sum_pairs`); ``A``, ``B`` are
        site-operator names.  At most :data:`MAX_CONSTRUCT_TERMS` terms each, and each term
        costs one unit of the file's work budget."""
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
        self.spend(count, t)
        if name == "sum_sites":
            return self.operator(sum_sites(ops[0], self.n), t)
        return self.operator(sum_pairs(ops[0], ops[1], self.n), t)

    # -------------------------------------------------------------- arithmetic
    def _wrap(self, value, tok: _Tok) -> _V:
        if isinstance(value, SiteOperator):
            return self.operator(value, tok)
        return self.scalar(value, tok)

    def _neg(self, v: _V, tok: _Tok) -> _V:
        return self._wrap(-v.value, tok)

    def _sum(self, parts: list[_V], tok: _Tok) -> _V:
        numbers = [p for p in parts if not p.is_op and p.value.is_Number]  # SymPy adds them up
        others = [p for p in parts if p.is_op or not p.value.is_Number]
        size = _Size(
            min(_CAP, sum(p.size.terms for p in others) + (1 if numbers else 0)),
            max(p.size.bits for p in parts) + (len(parts) - 1).bit_length(),
            max(p.size.depth for p in parts) + 1,
            root_bits=max(p.size.root_bits for p in parts),
        )
        weight = _weight(*(p.size for p in parts))
        if not others:
            self.spend(len(parts), tok)
            return self.scalar(sympy.Add(*[p.value for p in parts]), tok)
        if not any(p.is_op for p in parts):
            self.check_size(size, tok, "sum", coefficient=True)
            self.spend(sum(_args(p.value) for p in parts) * weight, tok)  # SymPy flattens
            return self.scalar(sympy.Add(*[p.value for p in parts]), tok)
        self.check_size(size, tok, "sum")
        self.spend(size.terms * weight, tok)  # SiteOperator expands
        collected: dict = {}
        for p in parts:
            terms = p.value.terms if p.is_op else {(): p.value}
            for k, c in terms.items():
                collected.setdefault(k, []).append(c)
        return self.operator(SiteOperator({k: sympy.Add(*cs) for k, cs in collected.items()}), tok)

    def _check_product(self, a: _V, b: _V, tok: _Tok) -> int:
        pairs = min(_CAP, a.size.terms * b.size.terms)
        depth = max(a.size.depth, b.size.depth) + 1
        plain = a.size.plain and b.size.plain
        roots = a.size.root_bits + b.size.root_bits  # SymPy merges radicals: bases multiply
        size = _Size(pairs, a.size.bits + b.size.bits, depth, plain, roots)
        op = a.is_op or b.is_op
        self.check_size(size, tok, "product", coefficient=not op)
        if op:  # SiteOperator products expand at once
            self.spend(pairs * _weight(a.size, b.size), tok)
        else:  # products of numbers stay unexpanded, but SymPy flattens and combines factors
            self.spend((_args(a.value) + _args(b.value)) * _weight(a.size, b.size), tok)
        return pairs

    def _mul(self, a: _V, b: _V, tok: _Tok) -> _V:
        self._check_product(a, b, tok)
        return self._wrap(a.value * b.value, tok)

    def _op_power(self, base: _V, k: int, tok: _Tok) -> _V:
        op: SiteOperator = base.value
        s = base.size.terms
        if k == 0:
            return self.operator(identity(), tok)
        monomials = {
            term.as_coeff_Mul()[1] for c in op.terms.values() for term in sympy.Add.make_args(c)
        }
        sites = len(op.sites)

        def result_bound(i: int) -> int:
            by_strings = (4**sites if sites < 50 else _CAP) * _multinomial(len(monomials), i)
            return min(_CAP, _multinomial(s, i), by_strings)

        bound = result_bound(k)
        bits = k * (base.size.bits + (s - 1).bit_length())
        self.check_size(
            _Size(bound, bits, base.size.depth + 1, root_bits=base.size.root_bits), tok, "power"
        )
        if len(monomials) > 1:  # the coefficients of the powers become sums
            self.check_size(
                _Size(_multinomial(len(monomials), k), bits, base.size.depth + 1),
                tok,
                "power",
                coefficient=True,
            )
        # one coefficient monomial c: the powers' coefficients are numbers times c^i (fast)
        weight = 1 if len(monomials) == 1 else SLOW_WEIGHT
        work = 0
        for i in range(1, k):
            step = min(_CAP, result_bound(i) * s)
            if step > MAX_TERMS:
                self.fail(
                    f"the power would multiply {_count(result_bound(i))} by {s} terms in one "
                    f"step (at most {MAX_TERMS} term products)",
                    tok,
                )
            work += step * weight
        self.spend(work, tok)
        out = op
        for _ in range(k - 1):
            out = out * op
        return self.operator(out, tok)


def _count(x: int) -> str:
    return "more than 1e30" if x >= _CAP else (f"{x}" if x < 10**7 else f"{x:.3g}")


def parse_expression(
    text: str,
    key: str,
    n: int | None = None,
    params: dict | None = None,
    exact: bool = False,
    budget: ExpressionBudget | None = None,
    as_operator: bool = False,
):
    """Parse ``text`` into a SymPy number/expression or a :class:`SiteOperator`.

    ``key`` names the model-file key in error messages; ``n`` bounds the sites;
    ``params`` maps declared parameter names to SymPy values or symbols; ``exact`` reads
    decimals as exact fractions; ``budget`` (an :class:`ExpressionBudget`) is shared by the
    expressions of one model file (default: a fresh budget of :data:`MAX_WORK`);
    ``as_operator`` returns a number as a multiple of the identity.  Every limit of the module
    docstring is enforced before the step that would exceed it.
    """
    if not isinstance(text, str):
        raise ModelFileError(
            f"{key}: expected an expression string, found {type(text).__name__} "
            f"{describe_value(text)}"
        )
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ModelFileError(
            f"{key}: expression too long ({len(text)} characters, at most {MAX_EXPRESSION_LENGTH})"
        )
    parser = _Parser(text, key, n, dict(params or {}), exact, budget or ExpressionBudget())
    v = parser.parse()
    if as_operator and not v.is_op:  # a multiple of the identity: its coefficient is expanded
        parser.spend(v.size.terms * _weight(v.size), parser.toks[0])
        return SiteOperator({(): v.value})
    return v.value
