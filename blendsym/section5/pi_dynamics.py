r"""Evolution and stationary states of Definition 2 on the sparse :math:`p\times p` generator.

Real coordinates
----------------
:math:`B` is Hermiticity preserving: with :math:`s` the adjoint orbit map
(:math:`m_{01}\leftrightarrow m_{10}`), the coordinates of a Hermitian operator satisfy
:math:`y_{s(m)} = \bar y_m` and :math:`B[s(m), s(m')] = \overline{B[m, m']}`.  The map

.. math::  T:\ \mathbf y\mapsto\mathbf r,\quad r_m = \mathrm{Re}\,y_m + \mathrm{Im}\,y_m,\qquad
           y_m = \tfrac12\big((1+i)r_m + (1-i)r_{s(m)}\big)                          \tag{PI.6}

is an isometry from the Hermitian coordinates (a real space of dimension :math:`p`) onto
:math:`\mathbb R^p` (the cross terms :math:`2\,\mathrm{Re}\,y_m\mathrm{Im}\,y_m` cancel between
:math:`m` and :math:`s(m)`), and :math:`R = TBT^{-1}` is the real matrix with, for every entry
:math:`w = B[m, m']`, :math:`R[m, m'] \mathrel{+}= \mathrm{Re}\,w` and
:math:`R[m, s(m')] \mathrel{+}= \mathrm{Im}\,w` (:func:`~blendsym.section5.pi_generator.
assemble_numeric` with ``kind="real"``).  Evolving :math:`\mathbf r` with real arithmetic halves
the memory traffic of the Arnoldi process and of each sparse product; non-Hermitian initial
coordinates use the complex :math:`B`.

Propagation
-----------
:math:`\mathbf y(t) = e^{Bt}\mathbf y_0`: for :math:`p\le` :data:`DENSE_MAX_P` dense
exponentials (:func:`blendsym.numeric.evolve.propagate`), beyond it the Krylov propagator
:func:`blendsym.numeric.krylov.expm_krylov` (Expokit's error control, one basis for every
output inside a step; the estimated 2-norm error of every output is below ``tol``; the
2-norm of the coordinates is the Frobenius norm of the lifted operator).  Observables are
evaluated on each output as it is produced, so a run need not keep the :math:`T\times p`
coordinates.

Stationary states
-----------------
:math:`\ker B`, i.e. the PI stationary operators of the averaged generator :math:`\bar A`
(:mod:`blendsym.section5.coherent`).  For :math:`p\le` :data:`DENSE_KERNEL_MAX_P` a dense SVD;
beyond it shift-invert Arnoldi (``scipy.sparse.linalg.eigs`` with a sparse LU of
:math:`R - \sigma I`, :math:`\sigma` a small positive shift), whose fill-in limits it to
:math:`p` of a few tens of thousands (:math:`n\lesssim 40`).  The kernel is closed under the
adjoint map, so a Hermitian basis is returned; it is normalised to trace one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import InvalidArgumentError, NotComputableError
from ..model.operators import SiteOperator
from ..numeric.evolve import DEFAULT_TOL, check_times, propagate
from ..numeric.krylov import expm_krylov
from . import coordinate_states as ps
from .product_basis import AnyPIBasis

__all__ = [
    "CoherentTrajectory",
    "evolve_pi",
    "stationary_coordinates",
    "DENSE_MAX_P",
    "DENSE_KERNEL_MAX_P",
    "KRYLOV_DIM",
]

#: Largest p propagated with dense matrix exponentials (n <= 14: p = 680).
DENSE_MAX_P = 700
#: Largest p whose kernel is found by a dense SVD.
DENSE_KERNEL_MAX_P = 2000
#: Krylov basis size of the PI propagator (see benchmarks/pi_coherent.py).
KRYLOV_DIM = 30


def to_real(basis: AnyPIBasis, y: np.ndarray) -> np.ndarray:
    r""":math:`T\mathbf y` of (PI.6) (``y`` Hermitian coordinates; last axis of length p)."""
    return y.real + y.imag


def from_real(basis: AnyPIBasis, r: np.ndarray) -> np.ndarray:
    r""":math:`T^{-1}\mathbf r` of (PI.6) (last axis of length p)."""
    s = basis.adjoint
    return 0.5 * ((1 + 1j) * r + (1 - 1j) * r[..., s])


def hermitian_defect(basis: AnyPIBasis, y: np.ndarray) -> float:
    r""":math:`\max_m|y_{s(m)} - \bar y_m|` relative to :math:`\max|y|` (0 for a Hermitian lift)."""
    scale = float(np.abs(y).max()) if y.size else 0.0
    if scale == 0.0:
        return 0.0
    return float(np.abs(y[basis.adjoint] - y.conj()).max()) / scale


@dataclass
class CoherentTrajectory:
    r"""A sampled solution :math:`\mathbf y_d(t) = e^{Bt}\mathbf y_d(0)` of Definition 2.

    Attributes
    ----------
    times: shape ``(T,)``.
    coordinates: ``(T, p)`` complex PI coordinates, or ``None`` if not kept.
    observables: name -> array over the times (see :meth:`BlendedCoherent.trajectory`).
    n, p: qubits and coordinates.
    info: propagator data (method, Krylov applications and steps, error estimate, seconds).
    """

    times: np.ndarray
    coordinates: np.ndarray | None
    observables: dict
    basis: AnyPIBasis = field(repr=False)
    info: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.basis.n

    @property
    def p(self) -> int:
        return self.basis.p

    def __len__(self) -> int:
        return len(self.times)

    def _need_coordinates(self, what: str) -> np.ndarray:
        if self.coordinates is None:
            raise NotComputableError(
                f"{what} needs the coordinates, which this trajectory did not keep: pass "
                "keep_coordinates=True or request the observable when evolving"
            )
        return self.coordinates

    def reduced(self, j: int = 1) -> np.ndarray:
        """Single-site marginal of the lift at every time, shape ``(T, 2, 2)``."""
        ys = self._need_coordinates("reduced")
        return np.array([ps.reduced_state(self.basis, y, j) for y in ys])

    def expectation(self, op: SiteOperator) -> np.ndarray:
        """:math:`\\mathrm{tr}(\\mathrm{op}\\,X(t))` at every time (complex)."""
        ys = self._need_coordinates("expectation")
        return np.array([ps.expectation(self.basis, y, op) for y in ys])


def _jpjm_operator(n: int) -> SiteOperator:
    from ..model.operators import sigma_minus, sigma_plus, sum_sites

    return sum_sites(sigma_plus, n) * sum_sites(sigma_minus, n)


def _observable_functions(basis: AnyPIBasis, observables) -> dict:
    r"""name -> function of the coordinates.  Expectation values are linear in
    :math:`\mathbf y`, so they are precomputed as vectors (:func:`pi_states.
    expectation_functional`) and each output costs one dot product; marginals use the sparse
    :func:`pi_states.marginal_map`."""
    n = basis.n

    def linear(op, real=True):
        ell = ps.expectation_functional(basis, op)
        return (lambda y: float(np.real(ell @ y))) if real else (lambda y: complex(ell @ y))

    def half_sum(letter):
        from ..model.operators import sigma_x, sigma_y, sigma_z, sum_sites

        return 0.5 * sum_sites({"x": sigma_x, "y": sigma_y, "z": sigma_z}[letter], n)

    def marg(k):
        m = ps.marginal_map(basis, k)
        d = 2**k
        return lambda y: (m @ y).reshape(d, d)

    def concurrence():
        m2 = marg(2)
        return lambda y: ps.concurrence(m2(y))

    named = {
        "Jx": lambda: linear(half_sum("x")),
        "Jy": lambda: linear(half_sum("y")),
        "Jz": lambda: linear(half_sum("z")),
        "JpJm": lambda: linear(_jpjm_operator(n)),
        "trace": lambda: linear(SiteOperator({(): 1})),
        "purity": lambda: lambda y: float(np.vdot(y, y).real),
        "concurrence": concurrence,
        "rho1": lambda: marg(1),
        "rho12": lambda: marg(2),
    }
    out = {}
    items = (
        observables.items()
        if isinstance(observables, dict)
        else ((k, k) for k in (observables or ()))
    )
    for key, val in items:
        if isinstance(val, str):
            if val not in named:
                raise InvalidArgumentError(
                    f"observable {val!r} is not one of {sorted(named)} (or give a SiteOperator "
                    "or a function of the coordinates)"
                )
            out[key] = named[val]()
        elif isinstance(val, SiteOperator):
            out[key] = linear(val, real=False)
        elif callable(val):
            out[key] = val
        else:
            raise InvalidArgumentError(
                f"observable {key!r} must be a name, a SiteOperator or a callable: found "
                f"{type(val).__name__}"
            )
    return out


def evolve_pi(
    basis: AnyPIBasis,
    generator,
    real_generator,
    y0,
    times,
    *,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
    krylov_dim: int = KRYLOV_DIM,
    observables=None,
    keep_coordinates: bool = True,
) -> CoherentTrajectory:
    r""":math:`e^{Bt}\mathbf y_0` at ``times`` (module docstring).

    ``generator`` is :math:`B` (dense or CSR) and ``real_generator`` :math:`R` of (PI.6),
    either of them possibly a callable that returns it (built only when used: a Hermitian start
    at large :math:`p` needs only :math:`R`).  ``method``: ``"auto"`` (dense for
    :math:`p\le` :data:`DENSE_MAX_P`, else ``"krylov"``), ``"dense"``, ``"krylov"`` (real
    coordinates when :math:`\mathbf y_0` is Hermitian, else complex) or ``"expm_multiply"``.
    ``observables``: names (``"Jx" "Jy" "Jz" "JpJm" "trace" "purity" "concurrence" "rho1"
    "rho12"``), SiteOperators or callables of the coordinates, as a list or a dict
    name -> spec.
    """
    t = check_times(times)
    y0 = np.asarray(y0, dtype=complex).ravel()
    if y0.size != basis.p:
        raise InvalidArgumentError(f"y0 must be a vector of length p = {basis.p}: found {y0.size}")
    if not np.all(np.isfinite(y0)):
        raise InvalidArgumentError("y0 must have finite entries: found nan or inf")
    if method not in ("auto", "dense", "krylov", "expm_multiply"):
        raise InvalidArgumentError(
            f"method must be 'auto', 'dense', 'krylov' or 'expm_multiply': found {method!r}"
        )
    funcs = _observable_functions(basis, observables)
    if not keep_coordinates and not funcs:
        raise InvalidArgumentError("keep_coordinates=False needs at least one observable")
    if method == "auto":
        method = "dense" if basis.p <= DENSE_MAX_P else "krylov"
    start = time.perf_counter()
    info: dict = {"method": method}
    values: dict[str, list] = {k: [] for k in funcs}
    kept = np.empty((len(t), basis.p), dtype=complex) if keep_coordinates else None

    def record(i: int, y: np.ndarray) -> None:
        if kept is not None:
            kept[i] = y
        for k, f in funcs.items():
            values[k].append(f(y))

    def resolve(g):
        return g() if callable(g) else g

    if method in ("dense", "expm_multiply"):
        generator = resolve(generator)
        a = generator.toarray() if (method == "dense" and sp.issparse(generator)) else generator
        ys = propagate(a, y0, t, method=method)
        for i, y in enumerate(ys):
            record(i, y)
        info["error_estimate"] = float(np.finfo(float).eps * len(t))
    else:
        real = hermitian_defect(basis, y0) <= 1e-12
        info["real_coordinates"] = real
        if real:
            r_mat = resolve(real_generator)
            counter = iter(range(len(t)))

            def transform(r):
                y = from_real(basis, r)
                record(next(counter), y)
                return np.zeros(0)

            anorm = float(abs(r_mat).sum(axis=1).max()) if r_mat.nnz else 0.0
            _, kinfo = expm_krylov(
                lambda x: r_mat @ x,
                to_real(basis, y0),
                t,
                tol=tol,
                m=krylov_dim,
                anorm=anorm or None,
                transform=transform,
                out=np.empty((len(t), 0)),
            )
        else:
            b = sp.csr_matrix(resolve(generator), dtype=complex)
            counter = iter(range(len(t)))

            def transform(y):
                record(next(counter), np.array(y))
                return np.zeros(0)

            anorm = float(abs(b).sum(axis=1).max()) if b.nnz else 0.0
            _, kinfo = expm_krylov(
                lambda x: b @ x,
                y0,
                t,
                tol=tol,
                m=krylov_dim,
                anorm=anorm or None,
                transform=transform,
                out=np.empty((len(t), 0), dtype=complex),
            )
        info.update(
            applications=kinfo.applications,
            steps=kinfo.steps,
            krylov_dim=krylov_dim,
            error_estimate=float(kinfo.error_estimate),
            tol=tol,
        )
    info["seconds"] = time.perf_counter() - start
    obs = {k: np.array(v) for k, v in values.items()}
    return CoherentTrajectory(t, kept, obs, basis, info)


def _hermitian_trace_one(basis: AnyPIBasis, vecs: np.ndarray) -> list[np.ndarray]:
    """A Hermitian basis of span(vecs) (closed under the adjoint map), trace-one where
    possible (the first vector with non-zero trace normalised, the rest made traceless and
    shifted by it, as :meth:`BlendedCoherent.steady_states`)."""
    s = basis.adjoint
    cands = []
    for v in vecs.T:
        adj = v[s].conj()
        cands += [v + adj, 1j * (v - adj)]
    mat = np.array(cands).T
    if mat.size == 0:
        return []
    q, r, _ = scipy.linalg.qr(mat, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int(np.sum(diag > 1e-8 * max(diag.max(), 1e-300)))
    # a Hermitian basis: Hermitian parts of the first `rank` orthonormal directions
    herm: list[np.ndarray] = []
    for v in q[:, :rank].T:
        for cand in (v + v[s].conj(), 1j * (v - v[s].conj())):
            if np.linalg.norm(cand) < 1e-10:
                continue
            trial = np.array(herm + [cand]).T
            if np.linalg.matrix_rank(trial, tol=1e-8) == len(herm) + 1:
                herm.append(cand)
        if len(herm) == rank:
            break
    traces = [ps.trace(basis, h).real for h in herm]
    order = sorted(range(len(herm)), key=lambda i: -abs(traces[i]))
    herm = [herm[i] for i in order]
    traces = [traces[i] for i in order]
    if not herm or abs(traces[0]) < 1e-12:
        raise NotComputableError("the kernel of B contains no operator with non-zero trace")
    first = herm[0] / traces[0]
    out = [first]
    for h, tr in zip(herm[1:], traces[1:], strict=True):
        h = h - tr * first
        h = h / np.linalg.norm(h) * np.linalg.norm(first)
        out.append(h + first)
    return out


def stationary_coordinates(
    basis: AnyPIBasis, generator, real_generator, *, tol: float = 1e-9, max_dim: int = 64
) -> tuple[list[np.ndarray], dict]:
    r"""Coordinates of a Hermitian, trace-one basis of :math:`\ker B` and how it was found.

    ``tol`` is the relative threshold :math:`|\lambda|\le` ``tol`` :math:`\cdot\|B\|_1` (shift-
    invert) or :math:`\sigma\le` ``tol`` :math:`\cdot\sigma_{\max}` (SVD) below which an
    eigenvalue counts as zero; at most ``max_dim`` kernel vectors are looked for.
    """
    p = basis.p
    if p <= DENSE_KERNEL_MAX_P:
        a = generator.toarray() if sp.issparse(generator) else np.asarray(generator)
        _, sv, vh = np.linalg.svd(a)
        zero = sv <= tol * max(sv[0], 1e-300)
        kern = vh[zero].conj().T
        info = {
            "method": "svd",
            "kernel_dimension": int(zero.sum()),
            "next_singular_value": float(sv[~zero].min()) if (~zero).any() else 0.0,
        }
        return _hermitian_trace_one(basis, kern), info
    r_mat = real_generator().tocsc()
    scale = float(abs(r_mat).sum(axis=0).max())
    sigma = 1e-6 * scale
    try:
        lu = spla.splu(r_mat - sigma * sp.identity(p, format="csc"))
    except MemoryError as exc:  # pragma: no cover - machine dependent
        raise NotComputableError(
            f"the sparse LU of the p = {p} generator does not fit in memory"
        ) from exc
    op = spla.LinearOperator((p, p), matvec=lu.solve, dtype=float)
    k = 8
    while True:
        k = min(k, p - 2)
        vals, vecs = spla.eigs(op, k=k, which="LM")
        lam = 1.0 / vals + sigma
        zero = np.abs(lam) <= tol * scale
        if (~zero).any() or k >= min(max_dim + 1, p - 2):
            break
        k *= 2
    kern_r = np.real_if_close(vecs[:, zero])
    # R acts on real coordinates: its real kernel vectors map back through (PI.6)
    kr = np.concatenate([kern_r.real, kern_r.imag], axis=1) if np.iscomplexobj(kern_r) else kern_r
    u, sv, _ = np.linalg.svd(kr, full_matrices=False)
    rank = int(np.sum(sv > 1e-8 * max(sv.max(), 1e-300))) if sv.size else 0
    kern = from_real(basis, u[:, :rank].T).T
    info = {
        "method": "shift-invert",
        "kernel_dimension": int(zero.sum()),
        "sigma": sigma,
        "eigenvalues_checked": int(k),
        "smallest_nonzero": float(np.abs(lam[~zero]).min()) if (~zero).any() else None,
    }
    return _hermitian_trace_one(basis, kern), info
