"""Claims of Section 2 (graph theory, classical blended dynamics (2)-(3), notation), recomputed.

``PRINTED[id]`` / ``CORRECTED[id]`` as in :mod:`blendsym.paper.verify_model`.
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.linalg
import scipy.sparse.csgraph as csgraph
import sympy

from ..model.operators import sigma_minus, sigma_plus, sigma_x, sigma_y, sigma_z
from ._checks import rng
from .claims import Claim, judge, verdict

__all__ = ["BUILDERS", "PRINTED", "CORRECTED"]

_j, _k, _n = sympy.symbols("j k n", integer=True, positive=True)
_a = sympy.IndexedBase("a")

#: the diagonal entry [Q]_jj as printed (summation index j) and corrected (index k)
PRINTED = {"laplacian-definition": sympy.Sum(_a[_j, _k], (_j, 1, _n))}
CORRECTED = {"laplacian-definition": sympy.Sum(_a[_j, _k], (_k, 1, _n))}


def claim_laplacian_definition() -> Claim:
    """Section 2.2: [Q]_jj = sum_{j=1}^n a_jk."""
    expr = PRINTED["laplacian-definition"]
    well_formed = _j in expr.free_symbols  # the entry [Q]_jj must depend on its row index j
    # what the printed entry evaluates to (its free index read as the diagonal index), and the
    # degree sum_k a_jk, on a random non-symmetric and a random symmetric weight matrix
    g = rng(3)
    n = 4
    w = g.uniform(0, 1, (n, n))
    np.fill_diagonal(w, 0)
    free_index = [s for s in (_j, _k) if s in expr.free_symbols]

    def diag(weights, row):
        e = expr.subs(_n, n)
        if free_index:
            e = e.subs(free_index[0], row)
        e = e.doit()
        vals = {
            x: weights[int(x.indices[0]) - 1, int(x.indices[1]) - 1] for x in e.atoms(sympy.Indexed)
        }
        return float(e.xreplace(vals))

    def degrees(weights):
        return weights.sum(axis=1)

    reading = [diag(w, r) for r in range(1, n + 1)]
    sym = (w + w.T) / 2
    reading_sym = [diag(sym, r) for r in range(1, n + 1)]
    same_symmetric = np.allclose(reading_sym, degrees(sym))
    same_general = np.allclose(reading, degrees(w))
    status, sev = judge(well_formed, "notation" if same_symmetric else "result")
    return Claim(
        "laplacian-definition",
        "Section 2.2",
        "The Laplacian has [Q]_jk = -a_jk (j != k) and [Q]_jj = sum_{j=1}^n a_jk",
        status,
        f"the printed diagonal entry {sympy.sstr(expr)} has free symbols "
        f"{sorted(map(str, expr.free_symbols))}: its row index j is the summation variable, so "
        f"(well formed: {well_formed}) it can only be read as the column sum sum_i a_ik at k = j. "
        f"For symmetric weights (undirected graphs) that equals the degree sum_k a_jk "
        f"({same_symmetric}); for a non-symmetric weight matrix it would not ({same_general})",
        printed="[Q]_jj = sum_{j=1}^n a_jk",
        correct="[Q]_jj = sum_{k=1}^n a_jk",
        severity=sev,
    )


def claim_graph_definitions() -> Claim:
    """Section 2.2: paths, reachability and connectedness; p = number of components."""
    g = rng(11)
    agree = 0
    cases = 0
    for n in (3, 5, 7):
        for _ in range(4):
            w = np.zeros((n, n))
            for a, b in itertools.combinations(range(n), 2):
                if g.random() < 0.35:
                    w[a, b] = w[b, a] = g.uniform(0.5, 2)
            # reachability from the definition: a path of distinct nodes with a_{v_m v_m+1} > 0
            reach = np.eye(n, dtype=bool)
            for _ in range(n):
                reach = reach | ((reach.astype(int) @ (w > 0).astype(int)) > 0)
            classes = {tuple(np.flatnonzero(row)) for row in reach}
            p, _ = csgraph.connected_components(w > 0, directed=False)
            zeros = int(np.sum(np.abs(np.linalg.eigvalsh(np.diag(w.sum(1)) - w)) < 1e-9))
            cases += 1
            agree += len(classes) == p == zeros
    return Claim(
        "graph-definitions",
        "Section 2.2",
        "Paths, reachability (each node reachable from itself) and connectedness; p counts the "
        "connected components",
        verdict(agree == cases),
        f"{cases} random graphs (n = 3, 5, 7): the classes of the reachability relation built "
        f"from paths, scipy's connected components and the zero eigenvalues of Q agree in "
        f"{agree}/{cases}",
        method="numeric (1e-9)",
    )


def claim_eq2_eq3() -> Claim:
    """(2)-(3): for strong coupling the agents follow the blended system (3) (linear agents)."""
    g = rng(23)
    n, m = 4, 2
    mats = [g.normal(size=(m, m)) * 0.8 for _ in range(n)]
    offs = [g.normal(size=m) for _ in range(n)]
    w = np.ones((n, n)) - np.eye(n)
    lap = np.diag(w.sum(1)) - w
    x0 = g.normal(size=n * m)
    t1, t2 = 0.5, 3.0
    times = np.linspace(t1, t2, 26)
    # affine systems as linear ones on (x, 1)
    blk = scipy.linalg.block_diag(*mats)
    aff = np.zeros((n * m + 1, n * m + 1))
    aff[: n * m, n * m] = np.concatenate(offs)
    sbar = np.zeros((m + 1, m + 1))
    sbar[:m, :m] = sum(mats) / n
    sbar[:m, m] = sum(offs) / n
    s0 = np.append(x0.reshape(n, m).mean(0), 1.0)
    s_traj = np.array([scipy.linalg.expm(sbar * t) @ s0 for t in times])[:, :m]
    errs = []
    gains = (10.0, 100.0, 1000.0)
    for kc in gains:
        gen = aff.copy()
        gen[: n * m, : n * m] = blk - kc * np.kron(lap, np.eye(m))
        z0 = np.append(x0, 1.0)
        xs = np.array([scipy.linalg.expm(gen * t) @ z0 for t in times])[:, : n * m]
        errs.append(
            max(np.linalg.norm(xs[:, j * m : (j + 1) * m] - s_traj, axis=1).max() for j in range(n))
        )
    slope = np.polyfit(np.log(gains), np.log(errs), 1)[0]
    ok = -1.2 < slope < -0.8 and errs[-1] < 1e-2
    return Claim(
        "eq2-eq3",
        "eqs. (2)-(3)",
        "For K_c large the states x_j(t) of (2) stay close to s(t) of the blended system (3), "
        "s(0) the average of x_j(0), after any T1 > 0",
        verdict(ok),
        f"4 heterogeneous affine agents in R^2 (random A_j, b_j) on the complete graph: max_j "
        f"||x_j - s|| on [{t1}, {t2}] = {', '.join(f'{e:.2e}' for e in errs)} at K_c = "
        f"{', '.join(f'{k:g}' for k in gains)} (log-log slope {slope:.3f}: an O(1/K_c) error)",
        method="simulation (expm)",
    )


def claim_classical_theorem() -> Claim:
    """Section 2.3 / Section 4.3: the classical consistency theorem (Lee & Shim 2022, Thm. 2)."""
    linear = claim_eq2_eq3()
    return Claim(
        "classical-blended-theorem",
        "Sections 2.3, 4.3",
        "For nonlinear, time-varying f_j the blended system (3) captures (2) for K_c large "
        "(Kim et al. 2016, Lee & Shim 2020 and 2022 Theorem 2); Theorems 1-2 are consistent "
        "with it",
        "not-checkable",
        "the general statement is a theorem of the cited works (singular perturbation, Khalil "
        "2002); checking it needs their hypotheses (f_j locally Lipschitz, uniformly bounded "
        "blended solutions on [0, T2], the rank condition of the coupling) and proofs. blendsym "
        f"recomputes only the linear case (claim eq2-eq3: {linear.status}) and the quantum "
        "Theorems 1-2 themselves",
        printed="consistent with Theorem 2 in Lee & Shim (2022)",
        correct="(external reference)",
        method="reference",
    )


def claim_pauli() -> Claim:
    """Section 2.4: the Pauli and ladder matrices and sigma^(j)."""
    sx, sy, sz = (sympy.Matrix(o.to_matrix(1)) for o in (sigma_x(1), sigma_y(1), sigma_z(1)))
    sp_, sm = sympy.Matrix(sigma_plus(1).to_matrix(1)), sympy.Matrix(sigma_minus(1).to_matrix(1))
    eye = sympy.eye(2)
    printed = {
        "x": sympy.Matrix([[0, 1], [1, 0]]),
        "y": sympy.Matrix([[0, -sympy.I], [sympy.I, 0]]),
        "z": sympy.Matrix([[1, 0], [0, -1]]),
        "+": sympy.Matrix([[0, 0], [1, 0]]),
        "-": sympy.Matrix([[0, 1], [0, 0]]),
    }
    same = all(
        (a - printed[k]).is_zero_matrix for k, a in zip("xyz+-", (sx, sy, sz, sp_, sm), strict=True)
    )
    algebra = (
        sx * sx == eye
        and sy * sy == eye
        and sz * sz == eye
        and sx * sy == sympy.I * sz
        and sp_ == (sx - sympy.I * sy) / 2
        and sm == sp_.H
    )
    site2 = sympy.Matrix(sigma_plus(2).to_matrix(3))
    kron = sympy.kronecker_product(eye, printed["+"], eye)
    ok = same and algebra and (site2 - kron).is_zero_matrix
    return Claim(
        "pauli",
        "Section 2.4",
        "sigma_x, sigma_y, sigma_z, sigma_+ = [[0,0],[1,0]], sigma_- = [[0,1],[0,0]]; "
        "sigma^(j) acts on qubit j (sigma_+^(2) = I x sigma_+ x I x ...)",
        verdict(ok),
        f"exact: blendsym's operators equal the printed matrices ({same}); sigma_a^2 = I, "
        f"sigma_x sigma_y = i sigma_z, sigma_+ = (sigma_x - i sigma_y)/2 = |1><0|, sigma_- = "
        f"sigma_+^dagger ({algebra}); sigma_+^(2) on 3 qubits is I x sigma_+ x I "
        f"({(site2 - kron).is_zero_matrix}). With sigma_z = diag(1, -1), D(sigma_-) pumps to "
        f"|0><0| (sigma_z = +1)",
    )


BUILDERS = [
    ("laplacian-definition", claim_laplacian_definition),
    ("graph-definitions", claim_graph_definitions),
    ("eq2-eq3", claim_eq2_eq3),
    ("classical-blended-theorem", claim_classical_theorem),
    ("pauli", claim_pauli),
]
