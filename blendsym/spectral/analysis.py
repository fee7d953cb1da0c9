r"""The exact spectral analysis of a superoperator matrix: :class:`SpectralAnalysis` and
:func:`analyze` (see :mod:`blendsym.spectral` for the algorithms)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import mpmath
import numpy as np
import sympy
from sympy import QQ
from sympy.polys.matrices import DomainMatrix

from ..errors import InternalError, InvalidArgumentError, NotComputableError
from .fields import LAMBDA, _field_matrix, _FieldMatrix, _poly_K
from .inputs import _as_exact_matrix, _canonical_algebraic, _check_similar, _check_state_dim
from .modular import _engine, _modular_gcd, _ModularEngine
from .roots import (
    IsolatedRoot,
    _coeff_field_poly,
    _Factor,
    _field_degree,
    _is_x,
    _Root,
    _roots_layer1,
    _roots_layer2,
)


def _replacements(seen: dict) -> tuple:
    from ..model.rationalize import replacements

    return replacements(seen)


_FACTOR_MAX_DEGREE = 40  # factor square-free parts over number fields up to this norm degree


@dataclass(frozen=True)
class SteadyStateCheck:
    """Exact checks of a steady state :math:`\\rho_r` (``None``: not decidable, free symbols)."""

    hermitian: bool
    trace_one: bool
    positive_semidefinite: bool | None

    @property
    def is_state(self) -> bool | None:
        """Whether :math:`\\rho_r` is a density operator (``None`` if undecided)."""
        if not (self.hermitian and self.trace_one):
            return False
        return self.positive_semidefinite


class SpectralAnalysis:
    r"""Exact spectral data of a square matrix :math:`A` (use :func:`analyze` to build one).

    Every attribute is computed on first access and cached.  See the module docstring for the
    algorithms.  With free symbols the results hold for *generic* parameter values (ranks and
    kernels are computed over the field of rational functions; special values of the
    parameters can have a different structure), and :attr:`generic` is ``True``.

    Attributes
    ----------
    matrix : sympy.ImmutableMatrix
        :math:`A`, exactly.
    size : int
        :math:`N`.
    state_dim : int or None
        :math:`d` with :math:`N = d^2` when :math:`A` acts on row-stacked :math:`d\times d`
        matrices (then kernel vectors are read as :math:`M_{ij} = v_{id+j}`).
    similar : SpectralAnalysis or None
        The analysis of :math:`C` when built with ``similar=(C, s)`` (see :func:`analyze`):
        the exact algebra is done there and shared.  (``BlendedCoherent.spectral`` builds
        one whose similarity holds by construction, :meth:`_trusted_similar`: not re-verified,
        and :math:`A` built only on request.)

    Overview
    --------
    * spectrum: :attr:`characteristic_polynomial`, :attr:`eigenvalues`,
      :attr:`jordan_structure`, :attr:`jordan_structure_by_factor`,
      :attr:`numeric_eigenvalues`, :attr:`exact`;
    * Section 4.2 (relaxing) and Theorem 1: :attr:`kernel`, :attr:`steady_states`,
      :attr:`steady_state`, :meth:`check_steady_state`, :attr:`left_kernel`,
      :meth:`positive_stationary_basis` (density operators spanning a degenerate kernel), :attr:`is_relaxing`, :attr:`mu`
      (:math:`\mu`), :attr:`invariant_subspace` (:math:`\mathbb S`),
      :meth:`distance_to_invariant_subspace` (:math:`\|\rho\|_{\mathbb S}`),
      :meth:`lipschitz_constant` (:math:`L_c`, Appendix A eq. (27));
    * Theorem 2 (Appendix B): :attr:`zero_real_part_eigenvalues`,
      :attr:`largest_block_on_imaginary_axis`, :attr:`f_degree` (:math:`m`),
      :meth:`norm_bound_constant` (:math:`M` in :math:`f(t) = M\sum_{j=0}^m t^j`).
    """

    def __init__(self, matrix, state_dim=None, *, rationalize: bool = True, similar=None):
        seen: dict = {}
        m = _as_exact_matrix(matrix, "A", rationalize, seen)
        #: The floats of the input and the rationals read for them (the float policy of
        #: :mod:`blendsym.model.rationalize`); empty when the input was exact.
        self.rationalized: tuple = ()
        self._matrix: sympy.ImmutableMatrix | None = sympy.ImmutableMatrix(m)
        self._matrix_factory: Callable[[], Any] | None = None
        self.size = m.shape[0]
        self.state_dim = _check_state_dim(state_dim, self.size)
        self.similar: SpectralAnalysis | None = None
        self._scaling: list | None = None
        if similar is None:
            self.rationalized = _replacements(seen)
            self._fm = _field_matrix(m, check_degree=True)
            self._engine = _engine(self._fm)
            return
        c, scaling = _check_similar(similar, m, rationalize, seen)
        self.rationalized = _replacements(seen)
        self.similar = SpectralAnalysis(c, rationalize=rationalize)
        self._scaling = scaling
        self._fm = self.similar._fm
        self._engine = self.similar._engine

    @classmethod
    def _trusted_similar(cls, c, scaling, *, matrix, state_dim=None) -> SpectralAnalysis:
        r"""The analysis of :math:`A = \mathrm{diag}(s)\,C\,\mathrm{diag}(s)^{-1}` for callers
        that build :math:`A` and :math:`C` from the same data, so that the similarity holds by
        construction (the blended coherent generator and its consensus form): unlike
        ``analyze(A, similar=(C, s))`` the similarity is not re-verified entry by entry, and
        :math:`A` itself is built only when asked for (``matrix()`` is called on the first
        access to :attr:`matrix`).  Its double-precision values (norm constants) are
        :math:`s_iC_{ij}/s_j` evaluated at 30 digits."""
        self = cls.__new__(cls)
        self.similar = SpectralAnalysis(c)
        self._matrix = None
        self._matrix_factory = matrix
        self.rationalized = ()
        self.size = self.similar.size
        self.state_dim = _check_state_dim(state_dim, self.size)
        self._scaling = [sympy.sympify(x) for x in scaling]
        if len(self._scaling) != self.size:
            raise InvalidArgumentError(
                f"scaling must have length {self.size}: found {len(self._scaling)}"
            )
        self._fm = self.similar._fm
        self._engine = self.similar._engine
        return self

    @property
    def matrix(self) -> sympy.ImmutableMatrix:
        """:math:`A`, exactly (built on first access for a trusted similar analysis)."""
        if self._matrix is None:
            if self._matrix_factory is None:  # pragma: no cover - set by every constructor
                raise InternalError("an analysis without a matrix has no matrix factory")
            self._matrix = sympy.ImmutableMatrix(self._matrix_factory())
        return self._matrix

    def _to_own_coordinates(self, vectors: list[sympy.Matrix]) -> list[sympy.Matrix]:
        r""":math:`v\mapsto Sv` for vectors computed on the similar matrix :math:`C`."""
        if self._scaling is None:
            return vectors
        return [
            sympy.Matrix(
                [_canonical_algebraic(s * x) for s, x in zip(self._scaling, v, strict=True)]
            )
            for v in vectors
        ]

    def __repr__(self) -> str:
        return f"SpectralAnalysis(size={self.size}, state_dim={self.state_dim}, field={self.field})"

    def _repr_html_(self) -> str:
        from ..io.notebook import spectral_html

        return spectral_html(self)

    # ------------------------------------------------------------------ field data
    @property
    def field(self) -> str:
        """The field of the entries of :math:`A` (of :math:`C` when built with ``similar``) over
        which all exact algebra is done."""
        return str(self._fm.K)

    @property
    def parameters(self) -> tuple:
        """Free symbols of :math:`A` (sorted by name)."""
        return self._fm.parameters

    @property
    def generic(self) -> bool:
        """``True`` when :math:`A` has free symbols: results hold for generic values of them."""
        return bool(self._fm.parameters)

    # ------------------------------------------------------------------ polynomial
    @cached_property
    def characteristic_polynomial(self) -> sympy.Poly:
        r""":math:`\chi_A(\lambda) = \det(\lambda I - A)` as a ``Poly`` in :data:`LAMBDA`."""
        if self.similar is not None:
            return self.similar.characteristic_polynomial
        return _poly_K(self._engine.charpoly(), self._fm.K)

    @cached_property
    def _factors(self) -> list[_Factor]:
        if self.similar is not None:
            return self.similar._factors
        chi = self.characteristic_polynomial
        exprs = chi.all_coeffs()
        if not self._fm.number_field:
            return self._factors_sympy(chi)
        if all(e.is_Rational for e in exprs):
            return self._factors_sympy(sympy.Poly(exprs, LAMBDA, domain=QQ))
        if not isinstance(self._engine, _ModularEngine):
            return self._factors_sympy(_coeff_field_poly(chi, True))
        return self._factors_modular(chi)

    def _factors_sympy(self, chi_f: sympy.Poly) -> list[_Factor]:
        """Square-free decomposition and factorisation with SymPy over the coefficient field;
        repeated factors are then factored over the field :math:`K` of the entries."""
        _, sqf = chi_f.sqf_list()
        out: list[_Factor] = []
        for s, m in sqf:
            for g, _ in s.factor_list()[1]:
                g = g.monic()
                if m == 1:
                    out.append(_Factor(g, 1, [1]))
                else:
                    out += self._repeated_factors(g, m)
        return out

    def _repeated_factors(self, g: sympy.Poly, m: int) -> list[_Factor]:
        K = self._fm.K
        g_k = sympy.Poly(g.as_expr(), LAMBDA, domain=K).monic()
        parts = [h.monic() for h, _ in g_k.factor_list()[1]] if g_k.degree() > 1 else [g_k]
        return [_Factor(h, m, self._jordan_blocks(h, m)) for h in parts]

    def _factors_modular(self, chi: sympy.Poly) -> list[_Factor]:
        r"""Number fields with non-rational :math:`\chi`: the repeated part
        :math:`\gcd(\chi, \chi')` by the certified modular gcd, SymPy only on small pieces; a
        large square-free part is kept unfactored (its roots are still certified)."""
        K = self._fm.K
        g = _poly_K(
            _modular_gcd(self._engine, list(chi.rep.to_list()), list(chi.diff().rep.to_list())), K
        )
        repeated = []
        if g.degree() > 0:
            repeated = [(t.monic(), j + 1) for t, j in g.sqf_list()[1]]
        rest = chi
        for s, m in repeated:
            rest = rest.exquo(s**m)
        out: list[_Factor] = []
        for s, m in repeated:
            for h, _ in s.factor_list()[1]:
                out.append(_Factor(h.monic(), m, self._jordan_blocks(h.monic(), m)))
        s1 = rest.monic()
        x = sympy.Poly(LAMBDA, LAMBDA, domain=K)
        if s1.degree() > 0 and s1.eval(0) == 0:
            out.append(_Factor(x, 1, [1]))
            s1 = s1.exquo(x)
        if s1.degree() > 0:
            s1f = _coeff_field_poly(s1, True)
            if s1f.degree() * _field_degree(s1f.domain) <= _FACTOR_MAX_DEGREE:
                out += [_Factor(h.monic(), 1, [1]) for h, _ in s1f.factor_list()[1]]
            else:
                out.append(_Factor(s1, 1, [1], irreducible=False))
        return out

    def _coeffs_in_K(self, poly: sympy.Poly) -> list:
        K = self._fm.K
        if poly.domain != K:
            poly = sympy.Poly(poly.as_expr(), LAMBDA, domain=K)
        return list(poly.rep.to_list())

    def _jordan_blocks(self, h: sympy.Poly, m: int) -> list[int]:
        r"""Block sizes of each root of the :math:`K`-irreducible ``h`` of multiplicity ``m``:
        :math:`w_k = (\dim\ker h(A)^k - \dim\ker h(A)^{k-1})/\deg h` blocks of size
        :math:`\ge k`."""
        deg = h.degree()
        coeffs = self._coeffs_in_K(h)
        target = m * deg
        nullities = [0]
        while nullities[-1] < target:
            k = len(nullities)
            if k > m:  # pragma: no cover - impossible for an exact characteristic polynomial
                raise InternalError(f"inconsistent Jordan data for {h.as_expr()}")
            nullities.append(self._engine.nullspace([(coeffs, k)]).shape[1])
        w = [(nullities[k] - nullities[k - 1]) for k in range(1, len(nullities))]
        if any(x % deg for x in w) or nullities[-1] != target:  # pragma: no cover
            raise InternalError(f"inconsistent Jordan data for {h.as_expr()}")
        w = [x // deg for x in w] + [0]
        blocks: list[int] = []
        for k in range(1, len(w)):
            blocks += [k] * (w[k - 1] - w[k])
        return sorted(blocks)

    @cached_property
    def _roots(self) -> list[_Root]:
        if self.similar is not None:
            return self.similar._roots
        parametric = not self._fm.number_field
        out: list[_Root] = []
        for f in self._factors:
            f.roots = _roots_layer1(f, parametric, self._engine)
            out += f.roots
        return out

    def _roots_with_values(self, factors=None) -> list[tuple[_Factor, _Root]]:
        self._roots  # noqa: B018 - attaches the roots to the factors
        out = []
        for f in self._factors if factors is None else factors:
            _roots_layer2(f)
            out += [(f, r) for r in f.roots]
        return out

    def _factor_roots(self) -> list[tuple[_Factor, _Root]]:
        self._roots  # noqa: B018 - attaches the roots to the factors
        return [(f, r) for f in self._factors for r in f.roots]

    # ------------------------------------------------------------------ spectrum
    @property
    def eigenvalues(self) -> dict:
        """Exact eigenvalue -> algebraic multiplicity (closed forms, else ``CRootOf``)."""
        return {r.value: f.multiplicity for f, r in self._roots_with_values()}

    @property
    def jordan_structure(self) -> dict:
        """Exact eigenvalue -> sorted list of its Jordan block sizes."""
        return {r.value: sorted(f.blocks) for f, r in self._roots_with_values()}

    @property
    def jordan_structure_by_factor(self) -> list[tuple[sympy.Poly, int, list[int]]]:
        r"""``(q, m, blocks)`` for each irreducible factor :math:`q` of :math:`\chi_A` of
        multiplicity :math:`m`: every root of :math:`q` has Jordan blocks ``blocks``.  Cheaper
        than :attr:`jordan_structure` (no exact roots are built)."""
        return [(f.poly, f.multiplicity, sorted(f.blocks)) for f in self._factors]

    @property
    def exact(self) -> bool:
        r"""``False`` if any sign of :math:`\mathrm{Re}\,\lambda` was decided numerically
        (mpmath, 60 digits, :math:`|\mathrm{Re}\,\lambda|<10^{-40}` read as zero)."""
        return all(r.exact for r in self._roots)

    @property
    def zero_real_part_eigenvalues(self) -> list:
        r"""Eigenvalues with :math:`\mathrm{Re}\,\lambda = 0` (decided exactly)."""
        axis = [f for f, r in self._factor_roots() if r.re_sign == 0]
        return [
            r.value for f, r in self._roots_with_values(list(dict.fromkeys(axis))) if r.re_sign == 0
        ]

    @property
    def largest_block_on_imaginary_axis(self) -> int:
        """Size of the largest Jordan block among eigenvalues with zero real part (0 if none)."""
        return max((max(f.blocks) for f, r in self._factor_roots() if r.re_sign == 0), default=0)

    @property
    def f_degree(self) -> int:
        r"""Degree :math:`m` of :math:`f(t) = M\sum_{j=0}^m t^j` in Theorem 2 (Appendix B):
        largest Jordan block on the imaginary axis minus one (0 if there is none)."""
        return max(self.largest_block_on_imaginary_axis - 1, 0)

    @property
    def has_growing_modes(self) -> bool:
        r"""Whether some eigenvalue has :math:`\mathrm{Re}\,\lambda > 0` (never for a Lindbladian)."""
        return any(r.re_sign == 1 for r in self._roots)

    # ------------------------------------------------------------------ kernel, states
    @cached_property
    def _kernel_dm(self) -> DomainMatrix:
        K = self._fm.K
        return self._engine.nullspace([([K.one, K.zero], 1)])

    @property
    def kernel(self) -> list[sympy.Matrix]:
        """Exact basis of :math:`\\ker A` (column vectors of length :math:`N`)."""
        m = self._kernel_dm.to_Matrix()
        return self._to_own_coordinates([m[:, j] for j in range(m.shape[1])])

    @cached_property
    def left_kernel(self) -> list[sympy.Matrix]:
        r"""Exact basis of the left kernel :math:`\{u : uA = 0\}` (row vectors of length
        :math:`N`; the conserved quantities of :math:`\dot x = Ax`)."""
        fm = self._fm
        K = fm.K
        eng = _engine(_FieldMatrix(fm.dm.transpose(), fm.parameters, fm.number_field))
        m = eng.nullspace([([K.one, K.zero], 1)]).to_Matrix()
        rows = [m[:, j].T for j in range(m.shape[1])]
        if self._scaling is None:
            return rows
        return [
            sympy.Matrix(
                [[_canonical_algebraic(x / s) for s, x in zip(self._scaling, r, strict=True)]]
            )
            for r in rows
        ]

    def _require_state_dim(self, what: str) -> int:
        if self.state_dim is None:
            raise InvalidArgumentError(
                f"{what} needs A to act on d x d matrices: call analyze(A, state_dim=d); "
                f"found state_dim=None for a {self.size} x {self.size} matrix"
            )
        return self.state_dim

    @cached_property
    def steady_states(self) -> list[sympy.Matrix]:
        r"""Trace-one Hermitian matrices spanning :math:`\ker A` (``state_dim`` needed).

        The kernel vectors :math:`v` are reshaped to :math:`X_{ij} = v_{id+j}`; the Hermitian
        parts :math:`(X+X^\dagger)/2` and :math:`(X-X^\dagger)/2i` span the kernel when it is
        closed under the adjoint (true for a Hermiticity-preserving generator); a basis of them
        is chosen exactly.  The first returned matrix :math:`H_0` is normalised to trace one;
        each other basis element is made traceless (:math:`H - \mathrm{tr}(H) H_0`) and shifted
        by :math:`H_0`.  For a one-dimensional kernel the single matrix is the unique steady
        state (see :meth:`check_steady_state`); for a larger kernel the returned matrices span
        the stationary operators but need not be positive (a basis of density operators:
        :meth:`positive_stationary_basis`).
        """
        d = self._require_state_dim("steady_states")
        kernel = self.kernel
        if not kernel:
            return []
        cands = []
        for v in kernel:
            x = sympy.Matrix(d, d, list(v))
            cands.append((x + x.H) / 2)
            cands.append((x - x.H) / (2 * sympy.I))
        cols = sympy.Matrix.hstack(*[sympy.Matrix(d * d, 1, list(c)) for c in cands])
        dm = _field_matrix(cols, "kernel").dm
        _, pivots = dm.rref()
        if len(pivots) != len(kernel):
            raise NotComputableError(
                "the kernel of A is not closed under the adjoint X -> X^dagger (A is not "
                "Hermiticity-preserving): no Hermitian basis of steady states; use .kernel"
            )
        rows = list(range(d * d))
        basis = dm.extract(rows, list(pivots))
        E = basis.domain
        traces = [
            sum((basis[i * d + i, j].element for i in range(d)), E.zero) for j in range(len(pivots))
        ]
        first = next((j for j, t in enumerate(traces) if t), None)
        if first is None:
            raise NotComputableError(
                "every element of ker A is traceless: A does not generate a trace-preserving "
                "evolution, so its kernel cannot be normalised to states"
            )
        h0 = basis.extract(rows, [first]) * (E.one / traces[first])
        cols_out = [h0]
        for j in range(len(pivots)):
            if j != first:
                hj = basis.extract(rows, [j])
                cols_out.append(hj - h0 * traces[j] + h0)
        return [sympy.Matrix(d, d, list(c.to_Matrix())) for c in cols_out]

    def positive_stationary_basis(self, method: str = "auto", tol: float = 1e-9) -> list:
        r"""A basis of density operators (Hermitian, positive semidefinite, trace one) of
        :math:`\ker A`: :func:`blendsym.spectral.stationary.positive_stationary_basis` (exact
        for :math:`d\le` :data:`blendsym.limits.EXACT_STATIONARY_DIM`, numeric above; the
        result, a :class:`~blendsym.spectral.stationary.PositiveStationaryBasis`, says which)."""
        from .stationary import positive_stationary_basis

        return positive_stationary_basis(self, method=method, tol=tol)

    @property
    def steady_state(self) -> sympy.Matrix:
        r"""The unique steady state :math:`\rho_r` (kernel of dimension one)."""
        states = self.steady_states
        if len(states) != 1:
            raise NotComputableError(
                f"the kernel of A has dimension {len(states)}: there is no unique steady state "
                "(see .steady_states)"
            )
        return states[0]

    def check_steady_state(self, rho=None) -> SteadyStateCheck:
        r"""Exact checks that ``rho`` (default :attr:`steady_state`) is Hermitian, has trace one
        and is positive semidefinite.

        Positivity: a Hermitian :math:`X` is PSD iff its characteristic polynomial
        :math:`\sum_k c_k\lambda^{d-k}` has :math:`(-1)^k c_k \ge 0` for all :math:`k` (all
        roots are real: Descartes' rule of signs); for :math:`d = 2` this is
        :math:`\mathrm{tr}\,X\ge0`, :math:`\det X\ge0`.  The coefficients are exact; the sign
        of a non-zero algebraic number is decided by SymPy.
        """
        x = self.steady_state if rho is None else _as_exact_matrix(rho, "rho", rationalize=True)
        d = x.shape[0]
        dm = _field_matrix(sympy.Matrix.hstack(x, x.H), "rho").dm
        E = dm.domain
        xm = dm.extract(list(range(d)), list(range(d)))
        xh = dm.extract(list(range(d)), list(range(d, 2 * d)))
        hermitian = (xm - xh).is_zero_matrix
        tr = sum((xm[i, i].element for i in range(d)), E.zero)
        trace_one = tr == E.one
        psd = None
        if hermitian:
            psd = True
            for k, c in enumerate(xm.charpoly()):
                v = E.to_sympy(c) * (-1) ** k
                ok = (v >= 0) if v.is_Rational else sympy.simplify(v).is_nonnegative
                if ok is None:
                    psd = None
                elif not ok:
                    psd = False
                    break
        return SteadyStateCheck(bool(hermitian), bool(trace_one), psd)

    # ------------------------------------------------------------------ relaxation
    @property
    def is_relaxing(self) -> bool:
        r"""Relaxing (Section 4.2): :math:`\lambda = 0` is a simple eigenvalue (so the kernel is
        one-dimensional and carries no Jordan block) and every other eigenvalue has
        :math:`\mathrm{Re}\,\lambda < 0`; then :math:`e^{At}x` converges to a multiple of the
        steady state for every :math:`x`."""
        zero = [f for f in self._factors if _is_x(f.poly)]
        if len(zero) != 1 or zero[0].multiplicity != 1:
            return False
        return all(r.re_sign == -1 for f, r in self._factor_roots() if not _is_x(f.poly))

    @property
    def mu(self):
        r""":math:`\mu` of Theorem 1: the smallest non-zero :math:`|\mathrm{Re}\,\lambda|`, as an
        exact expression (``None`` if every eigenvalue has zero real part).  The minimising
        eigenvalue is chosen with its certified numeric value (50 digits)."""
        cands = [(f, r) for f, r in self._factor_roots() if r.re_sign != 0]
        if not cands:
            return None
        if self.generic:
            return self._mu_generic(cands)
        with mpmath.workdps(50):
            f, r = min(cands, key=lambda fr: abs(fr[1].numeric.real))
        _roots_layer2(f)
        expr = sympy.re(r.value) * r.re_sign
        if not r.value.has(sympy.CRootOf, IsolatedRoot):
            expr = sympy.simplify(expr)
        return expr

    @property
    def mu_numeric(self) -> float | None:
        r""":math:`\mu` as a float, from the certified numeric roots (no evaluation of ``CRootOf``,
        which SymPy does slowly); ``None`` if every eigenvalue has zero real part."""
        if self.generic:
            mu = self.mu
            return None if mu is None else float(mu)
        vals = [abs(r.numeric.real) for r in self._roots if r.re_sign != 0]
        return float(min(vals)) if vals else None

    @property
    def numeric_eigenvalues(self) -> list[tuple[complex, int]]:
        """``(eigenvalue, algebraic multiplicity)`` in double precision, from the certified
        roots (cheap: no exact root objects are built or evaluated)."""
        if self.generic:
            raise NotComputableError(
                f"A has free symbols {[str(s) for s in self.parameters]}: no numeric eigenvalues"
            )
        return [(complex(r.numeric), f.multiplicity) for f, r in self._factor_roots()]

    def _mu_generic(self, cands):
        best = None
        for _, r in cands:
            expr = sympy.simplify(sympy.re(r.value) * r.re_sign)
            if best is None:
                best = expr
                continue
            diff = sympy.simplify(expr - best)
            if diff.is_negative:
                best = expr
            elif not diff.is_nonnegative:
                raise NotComputableError(
                    f"cannot decide which of {best} and {expr} is smaller: substitute values "
                    "for the symbols"
                )
        return best

    # ------------------------------------------------------------------ invariant subspace
    def _axis_factors(self):
        """Factors whose roots all lie on the imaginary axis (error if some factor is mixed)."""
        out = []
        self._roots  # noqa: B018 - attaches the roots to the factors
        for f in self._factors:
            signs = [r.re_sign for r in f.roots]
            if all(s == 0 for s in signs):
                out.append(f)
            elif any(s == 0 for s in signs):
                raise NotComputableError(
                    f"the irreducible factor {f.poly.as_expr()} has roots on and off the "
                    "imaginary axis: the invariant subspace is not defined over the field of "
                    "the entries (use distance_to_invariant_subspace, which is numeric)"
                )
        return out

    @cached_property
    def invariant_subspace(self) -> list[sympy.Matrix]:
        r"""Exact basis of :math:`\mathbb S`, the generalised eigenspace of the eigenvalues
        with :math:`\mathrm{Re}\,\lambda = 0` (Theorem 1, eq. (10)):
        :math:`\mathbb S = \ker\prod_i q_i(A)^{s_i}` over those irreducible factors, :math:`s_i`
        the largest Jordan block of the roots of :math:`q_i` (the index; :math:`\le m_i`)."""
        factors = [(self._coeffs_in_K(f.poly), max(f.blocks)) for f in self._axis_factors()]
        if not factors:
            return []
        m = self._engine.nullspace(factors).to_Matrix()
        return self._to_own_coordinates([m[:, j] for j in range(m.shape[1])])

    # ------------------------------------------------------------------ numeric distances
    def distance_to_invariant_subspace(self, x) -> float:
        r""":math:`\|x\|_{\mathbb S} = \min_{s\in\mathbb S}\|x - s\|` (Euclidean norm of the
        vector, i.e. Frobenius norm of the matrix), in double precision; see
        :func:`blendsym.bounds.spectral_norms.distance_to_invariant_subspace`."""
        from ..bounds.spectral_norms import distance_to_invariant_subspace

        return distance_to_invariant_subspace(self, x)

    # ------------------------------------------------------------------ theorem constants
    @cached_property
    def _numeric(self) -> np.ndarray:
        if self.parameters:
            raise NotComputableError(
                f"A has free symbols {[str(s) for s in self.parameters]}: numeric constants need "
                "values (substitute them and analyse again)"
            )
        if self._matrix is None:  # trusted similar analysis: A_ij = s_i C_ij / s_j
            if self.similar is None or self._scaling is None:  # pragma: no cover
                raise InternalError("a trusted similar analysis lost its similarity data")
            c, s = self.similar.matrix, self._scaling
            out = np.zeros((self.size, self.size), dtype=complex)
            for (i, j), cij in sympy.SparseMatrix(c).todok().items():
                out[i, j] = complex((s[i] * cij / s[j]).evalf(30))
            return out
        return np.array(self.matrix.evalf(30).tolist(), dtype=complex)

    def lipschitz_constant(self) -> float:
        r""":math:`L_c` of Theorem 1 (Appendix A, eq. (27)):
        :math:`\|e^{At}\Pi_s x\| \le L_c e^{-\mu t}\|x\|`; see
        :func:`blendsym.bounds.spectral_norms.lipschitz_constant`."""
        from ..bounds.spectral_norms import lipschitz_constant

        return lipschitz_constant(self)

    def norm_bound_constant(self, T, grid_points: int | None = None) -> float:
        r""":math:`M` of Theorem 2 (Appendix B): :math:`\|e^{At}\|_2 \le M\sum_{j=0}^m t^j` on
        :math:`[0, T]`; see :func:`blendsym.bounds.spectral_norms.norm_bound_constant`."""
        from ..bounds.spectral_norms import norm_bound_constant

        return norm_bound_constant(self, T, grid_points)


def analyze(
    A, state_dim: int | None = None, *, rationalize: bool = True, similar=None
) -> SpectralAnalysis:
    r"""Exact spectral analysis of the square matrix ``A`` (see :class:`SpectralAnalysis`).

    Parameters
    ----------
    A : SymPy Matrix, NumPy array or nested list
        Exact entries (integers, rationals, algebraic numbers, symbols).
    state_dim : int, optional
        :math:`d` when ``A`` is a superoperator on row-stacked :math:`d\times d` matrices
        (:math:`N = d^2`): enables :attr:`SpectralAnalysis.steady_states`.  Leave ``None`` for
        e.g. the blended coherent generator :math:`P_d^\top A_d P_d` of eq. (17).
    rationalize : bool
        ``True`` (default): the float policy of :mod:`blendsym.model.rationalize`, each
        floating-point entry read as the decimal it prints as (shortest round-trip ``repr``,
        ``0.1 -> 1/10``), recorded in :attr:`SpectralAnalysis.rationalized`.  ``False``:
        floats are refused.
    similar : pair ``(C, s)``, optional
        A matrix :math:`C` and non-zero exact numbers :math:`s_1,\dots,s_N` with
        :math:`A = \mathrm{diag}(s)\,C\,\mathrm{diag}(s)^{-1}` (checked exactly).  The
        similarity invariants (characteristic polynomial, Jordan structure, eigenvalues,
        relaxation, :math:`\mu`, :math:`m`) are then computed on :math:`C`, whose entries may
        lie in a much smaller field: the blended coherent generator :math:`B = P_d^\top A_dP_d`
        has entries in :math:`\mathbb Q(i, \sqrt{|\mathbb V_m|}, \dots)`, its consensus form
        :math:`D^{-1/2}BD^{1/2}` only in the field of :math:`A_d`.  Kernels and invariant
        subspaces are mapped back by :math:`v\mapsto\mathrm{diag}(s)v`; norms and numeric
        constants (:math:`L_c`, :math:`M`, distances), which are not similarity invariant, use
        :math:`A` itself.  The analysis of :math:`C` is :attr:`SpectralAnalysis.similar`.
    """
    return SpectralAnalysis(A, state_dim, rationalize=rationalize, similar=similar)
