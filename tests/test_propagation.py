"""Propagation methods of eq. (4) against independent references.

Every method of :func:`blendsym.simulate` ("dense", "krylov", "matrix_free",
"expm_multiply") is compared with the exponential of the *complex* sparse Liouvillian
computed by SciPy (independent of the real coordinates and of the Krylov code), and on a
tiny model with mpmath at 40 digits; on random separable and inseparable models, with
gains up to K_c = 1000.  The automatic choice is checked against the crossover table
measured by the benchmark (``blendsym.evolve.FASTEST_METHOD`` and docs/performance.md).
No test is timed.
"""

from __future__ import annotations

import re
from pathlib import Path

import mpmath
import numpy as np
import pytest
import scipy.linalg
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym import evolve
from blendsym.errors import BlendsymError
from blendsym.krylov import blas_threads, expm_krylov
from blendsym.matrixfree import (
    MatrixFreeLiouvillian,
    from_real_coordinates,
    real_liouvillian,
    to_real_coordinates,
    transpose_index,
)
from blendsym.testing import (
    density_matrices,
    inseparable_networks,
    positive_rationals,
    separable_networks,
)

R = sympy.Rational
METHODS = ("dense", "krylov", "matrix_free", "expm_multiply")
TOL = 1e-9


def reference(net: bs.QuantumNetwork, rho0: np.ndarray, times, kc=None) -> np.ndarray:
    """exp(L t) vec(rho0) with SciPy's dense expm of the complex Liouvillian, one per time."""
    gen = net.liouvillian(kc=kc, backend="scipy").toarray()
    y0 = np.asarray(rho0, dtype=complex).ravel()
    d = net.dim
    return np.array([(scipy.linalg.expm(gen * t) @ y0).reshape(d, d) for t in times])


def frobenius_errors(states: np.ndarray, ref: np.ndarray) -> np.ndarray:
    return np.linalg.norm((states - ref).reshape(len(ref), -1), axis=1)


def example3_n(n: int, kc=40) -> bs.QuantumNetwork:
    """The paper's Example 3 model on n qubits (complete graph, collective jump)."""
    return bs.paper.example3(coupling=kc, n=n)[0]


models = st.one_of(
    separable_networks(min_n=1, max_n=3, coupling=positive_rationals(5, 2)),
    inseparable_networks(max_n=3, coupling=positive_rationals(5, 2)),
)


# ----------------------------------------------------------------------------- every method


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=6)
@given(net=models, data=st.data())
def test_method_matches_dense_reference(method, net, data):
    rho0 = data.draw(density_matrices(net.n))
    times = np.array([0.0, 0.05, 0.4, 0.41, 1.3, 2.0])
    traj = bs.simulate(net, rho0, times, method=method, tol=TOL)
    ref = reference(net, rho0, times)
    assert traj.method == method == traj.info["method"]
    assert traj.states.shape == ref.shape
    assert frobenius_errors(traj.states, ref).max() <= 1e-8
    assert traj.info["error_estimate"] >= 0
    assert traj.info["applications"] >= 1


@pytest.mark.parametrize("method", ["dense", "krylov", "matrix_free"])
@pytest.mark.parametrize("kc", [1, 40, 1000])
@settings(max_examples=4)
@given(
    net=st.one_of(separable_networks(min_n=2, max_n=3), inseparable_networks(max_n=3)),
    data=st.data(),
)
def test_large_gains_match_reference(method, kc, net, data):
    """The stiff regime: K_c = 1000 makes ||L|| ~ 10^3-10^4; the error stays below 1e-8."""
    rho0 = data.draw(density_matrices(net.n, kind=data.draw(st.sampled_from(["pure", "any"]))))
    times = np.linspace(0.0, 3.0, 7)
    traj = bs.simulate(net, rho0, times, kc=kc, method=method, tol=TOL)
    ref = reference(net, rho0, times, kc=kc)
    assert frobenius_errors(traj.states, ref).max() <= 1e-8
    # real coordinates give exactly Hermitian states; trace within round-off
    np.testing.assert_array_equal(traj.states, np.conj(np.swapaxes(traj.states, 1, 2)))
    np.testing.assert_allclose(np.trace(traj.states, axis1=1, axis2=2), 1, atol=1e-9)


@pytest.mark.parametrize("method", ["krylov", "matrix_free"])
def test_krylov_error_estimate_is_honest_on_example3(method):
    """n = 4 Example 3 at K_c = 40 (the benchmark model) and at K_c = 1000."""
    for kc in (40, 1000):
        net = example3_n(4, kc)
        rho0 = evolve_rho0(4)
        times = np.linspace(0.0, 2.0, 11)
        traj = bs.simulate(net, rho0, times, method=method, tol=TOL)
        step = scipy.linalg.expm(net.liouvillian(backend="scipy").toarray() * times[1])
        ref = [rho0.ravel()]
        for _ in times[1:]:
            ref.append(step @ ref[-1])
        ref = np.array(ref).reshape(traj.states.shape)
        err = frobenius_errors(traj.states, ref).max()
        info = traj.info
        assert info["error_kind"] == "estimate" and info["tol"] == TOL
        assert info["error_estimate"] <= 1.25 * TOL  # the step control keeps it below tol
        assert err <= max(10 * info["error_estimate"], 1e-12)
        assert info["applications"] > 0 and info["steps"] >= 1


def evolve_rho0(n: int) -> np.ndarray:
    return bs.paper.example3(n=n, numeric=True)[1]


def test_mpmath_reference_tiny_model():
    """Two qubits, non-commuting terms, K_c = 1000: exp(L t) at 40 digits with mpmath."""
    net = bs.QuantumNetwork(
        2,
        [(1, 2, R(3, 2))],
        bs.sigma_z(1) + R(1, 3) * bs.sigma_x(2) + bs.sigma_x(1) * bs.sigma_y(2),
        [(R(1, 2), bs.sigma_minus(1)), (R(1, 5), bs.sigma_minus(1) + bs.sigma_z(2))],
        coupling=1000,
    )
    rho0 = np.array(bs.product_state("1", "+").tolist(), dtype=complex)
    times = [0.0, 0.01, 0.3, 1.7]
    gen = net.liouvillian(backend="sympy")
    with mpmath.workdps(40):
        a = mpmath.matrix([[mpmath.mpc(complex(x)) for x in row] for row in gen.tolist()])
        y0 = mpmath.matrix([mpmath.mpc(x) for x in rho0.ravel()])
        ref = []
        for t in times:
            y = mpmath.expm(a * t) * y0
            ref.append(np.array([complex(y[i]) for i in range(16)]).reshape(4, 4))
    ref = np.array(ref)
    for method in METHODS:
        traj = bs.simulate(net, rho0, times, method=method, tol=1e-11)
        np.testing.assert_allclose(traj.states, ref, atol=1e-10, err_msg=method)


# ----------------------------------------------------------------------------- the building blocks


@settings(max_examples=10)
@given(net=models, data=st.data())
def test_matrix_free_action_equals_sparse_liouvillian(net, data):
    op = MatrixFreeLiouvillian(net)
    gen = net.liouvillian(backend="scipy")
    d = net.dim
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))  # not Hermitian
    np.testing.assert_allclose(op.apply(x).ravel(), gen @ x.ravel(), atol=1e-10)
    rho = x + x.conj().T
    y = to_real_coordinates(rho).ravel()
    lr = real_liouvillian(gen)
    np.testing.assert_allclose(op.matvec_real(y), lr @ y, atol=1e-10)
    np.testing.assert_allclose(
        lr @ y, to_real_coordinates((gen @ rho.ravel()).reshape(d, d)).ravel(), atol=1e-10
    )
    assert op.norm_bound() >= np.abs(gen.toarray()).sum(axis=0).max() * (1 - 1e-12)


@pytest.mark.parametrize("d", [1, 2, 4, 8])
def test_real_coordinates_are_an_isometry_and_conjugate_the_liouvillian(d):
    rng = np.random.default_rng(d)
    x = rng.normal(size=(3, d, d)) + 1j * rng.normal(size=(3, d, d))
    rho = x + np.conj(np.swapaxes(x, 1, 2))
    y = to_real_coordinates(rho)
    assert y.dtype == float
    np.testing.assert_allclose(from_real_coordinates(y), rho, atol=1e-14)
    np.testing.assert_allclose(
        np.linalg.norm(y.reshape(3, -1), axis=1), np.linalg.norm(rho.reshape(3, -1), axis=1)
    )
    # T: vec(Y) -> vec(rho) is unitary and L_R = T^H L T for a Hermiticity-preserving L
    n2 = d * d
    t_mat = np.zeros((n2, n2), dtype=complex)
    for i in range(n2):
        e = np.zeros(n2)
        e[i] = 1
        t_mat[:, i] = from_real_coordinates(e, d).ravel()
    np.testing.assert_allclose(t_mat.conj().T @ t_mat, np.eye(n2), atol=1e-14)
    perm = transpose_index(d)
    assert sorted(perm) == list(range(n2))
    if d in (2, 4):
        net = example3_n(int(np.log2(d)) if d > 1 else 1, 3)
        gen = net.liouvillian(backend="scipy").toarray()
        np.testing.assert_allclose(
            real_liouvillian(gen), (t_mat.conj().T @ gen @ t_mat).real, atol=1e-12
        )
        np.testing.assert_allclose((t_mat.conj().T @ gen @ t_mat).imag, 0, atol=1e-12)


@pytest.mark.parametrize("dtype", [float, complex])
@pytest.mark.parametrize("m", [5, 12, 40])
def test_expm_krylov_random_matrices(dtype, m):
    rng = np.random.default_rng(m)
    n = 60
    a = rng.normal(size=(n, n)) / np.sqrt(n)
    a = a - 3 * np.diag(rng.random(n))  # some decay
    if dtype is complex:
        a = a + 1j * rng.normal(size=(n, n)) / np.sqrt(n)
    v = rng.normal(size=n).astype(dtype)
    times = np.array([0.0, 0.0, 0.3, 0.35, 1.0, 2.5, 2.5, 4.0])
    out, info = expm_krylov(lambda x: a @ x, v, times, tol=1e-10, m=m)
    ref = np.array([scipy.linalg.expm(a * t) @ v for t in times])
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(out, ref, atol=1e-8)
    assert info.applications >= m or info.breakdown
    assert info.output_errors.shape == times.shape and info.output_errors[0] == 0
    assert info.error_estimate <= 1.25e-10


def test_expm_krylov_happy_breakdown_and_trivial_inputs():
    a = np.diag([-1.0, -2.0, -3.0, 0.5])
    v = np.array([1.0, 1.0, 0.0, 0.0])  # Krylov space of dimension 2
    times = [0.0, 0.5, 3.0]
    out, info = expm_krylov(lambda x: a @ x, v, times, m=10)
    assert info.breakdown and info.applications == 2 and info.steps == 1
    np.testing.assert_allclose(out, [scipy.linalg.expm(a * t) @ v for t in times], atol=1e-13)
    zero, info0 = expm_krylov(lambda x: a @ x, np.zeros(4), [0.0, 1.0])
    np.testing.assert_array_equal(zero, 0)
    assert info0.applications == 0
    only0, _ = expm_krylov(lambda x: a @ x, v, [0.0, 0.0])
    np.testing.assert_array_equal(only0, [v, v])
    shaped, _ = expm_krylov(lambda x: a @ x, v, [1.0], transform=lambda x: x.reshape(2, 2))
    assert shaped.shape == (1, 2, 2)
    with pytest.raises(BlendsymError, match="tol"):
        expm_krylov(lambda x: a @ x, v, [1.0], tol=0)
    with pytest.raises(BlendsymError, match="times"):
        expm_krylov(lambda x: a @ x, v, [1.0, 0.5])
    with pytest.raises(BlendsymError, match="1-D"):
        expm_krylov(lambda x: a @ x, np.ones((2, 2)), [1.0])


def test_eigen_route_falls_back_to_expm_for_defective_projections():
    """A Jordan block makes the eigenvectors singular: the projected exponential must fall
    back to expm and stay exact."""
    n = 30
    a = -2 * np.eye(n) + np.diag(np.ones(n - 1), 1) * 3.0
    v = np.ones(n)
    times = np.linspace(0, 1, 5)
    out, _ = expm_krylov(lambda x: a @ x, v, times, m=20, tol=1e-10)
    np.testing.assert_allclose(out, [scipy.linalg.expm(a * t) @ v for t in times], atol=1e-8)


def test_blas_threads_context_restores():
    with blas_threads(1):
        x = np.ones((50, 50)) @ np.ones(50)
    with blas_threads(None):
        y = np.ones((50, 50)) @ np.ones(50)
    np.testing.assert_array_equal(x, y)


def test_propagate_generic_methods_agree():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(40, 40)) + 1j * rng.normal(size=(40, 40)) - 8 * np.eye(40)
    y0 = rng.normal(size=40) + 0j
    times = np.array([0.0, 0.1, 0.2, 0.7])
    ref = np.array([scipy.linalg.expm(a * t) @ y0 for t in times])
    for method in ("dense", "krylov", "expm_multiply", "auto"):
        np.testing.assert_allclose(evolve.propagate(a, y0, times, method), ref, atol=1e-8)
    with pytest.raises(BlendsymError, match="method"):
        evolve.propagate(a, y0, times, "rk4")


# ----------------------------------------------------------------------------- method choice


def _documented_crossover() -> dict[int, str]:
    """The 'fastest method per n' table of docs/performance.md (written by the benchmark)."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "performance.md").read_text()
    section = text.split("<!-- fastest-method-table -->")[1].split(
        "<!-- end-fastest-method-table -->"
    )[0]
    rows = re.findall(r"^\|\s*(\d+)\s*\|\s*`?(\w+)`?\s*\|", section, flags=re.M)
    return {int(n): m for n, m in rows}


def test_choose_method_follows_the_benchmark_table():
    for n, method in evolve.FASTEST_METHOD.items():
        assert evolve.choose_method(n) == method
        assert method in evolve.METHODS
    beyond = max(evolve.FASTEST_METHOD) + 1
    assert evolve.choose_method(beyond) == "matrix_free"
    assert evolve.choose_method(beyond + 5) == "matrix_free"
    documented = _documented_crossover()
    assert documented, "docs/performance.md has no fastest-method table"
    for n, method in documented.items():
        assert evolve.FASTEST_METHOD[n] == method, f"n={n}: docs say {method}"
    for bad in (0, -1, 2.0, True):
        with pytest.raises(BlendsymError, match="n must be"):
            evolve.choose_method(bad)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_auto_uses_the_chosen_method(n):
    net = example3_n(n, 40) if n > 1 else bs.QuantumNetwork(1, [], bs.sigma_z(1), coupling=1)
    rho0 = evolve_rho0(n) if n > 1 else np.eye(2) / 2
    traj = bs.simulate(net, rho0, [0.0, 0.5, 1.0])
    assert traj.method == evolve.choose_method(n) == traj.info["method"]
    assert {"method", "error_estimate", "error_kind", "applications", "seconds"} <= set(traj.info)


def test_krylov_dimension_and_bad_arguments():
    assert evolve.krylov_dimension(5) == evolve.KRYLOV_DIM[5]
    assert evolve.krylov_dimension(99) >= 10
    net = example3_n(2, 3)
    with pytest.raises(BlendsymError, match="tol"):
        bs.simulate(net, np.eye(4) / 4, [0, 1], tol=-1)
    with pytest.raises(BlendsymError, match="method"):
        bs.simulate(net, np.eye(4) / 4, [0, 1], method="krylov2")
    for bad in (0, -3, 2.5, True):
        with pytest.raises(BlendsymError, match="krylov_dim"):
            bs.simulate(net, np.eye(4) / 4, [0, 1], method="krylov", krylov_dim=bad)
    with pytest.raises(BlendsymError, match="net must be"):
        MatrixFreeLiouvillian("net")
    sym = bs.QuantumNetwork(2, [(1, 2)], bs.sigma_z(1))
    with pytest.raises(BlendsymError, match="K_c"):
        MatrixFreeLiouvillian(sym)
    traj = bs.simulate(net, np.eye(4) / 4, [0, 1], method="krylov", krylov_dim=3)
    assert traj.info["krylov_dim"] == 3


# ----------------------------------------------------------------------------- propagator reuse


def test_dense_propagators_are_reused_across_initial_states():
    net = example3_n(3, 40)
    times = np.linspace(0, 2, 21)
    evolve.clear_propagator_cache(net)
    first = bs.simulate(net, evolve_rho0(3), times, method="dense")
    assert first.info["exponentials_computed"] == 1 == first.info["exponentials"]
    other = np.eye(8) / 8
    second = bs.simulate(net, other, times, method="dense")
    assert second.info["exponentials_computed"] == 0 and second.info["exponentials"] == 1
    # the reused propagator gives what a fresh one gives (an independent scipy expm)
    gen = net.liouvillian(backend="scipy").toarray()
    ref = scipy.linalg.expm(gen * times[-1]) @ other.ravel()
    assert np.abs(second.states[-1].ravel() - ref).max() < 1e-12
    # another gain or another step computes its own exponential
    assert bs.simulate(net, other, times, kc=7, method="dense").info["exponentials_computed"] == 1
    assert bs.simulate(net, other, [0, 0.3], method="dense").info["exponentials_computed"] == 1
    evolve.clear_propagator_cache(net)
    assert bs.simulate(net, other, times, method="dense").info["exponentials_computed"] == 1
    evolve.clear_propagator_cache()
    assert _dense_kept(net) == 0
    # the same through the network: the memo holds them, clear_cache forgets them
    bs.simulate(net, other, times, method="dense")
    assert _dense_kept(net) == 1
    net.clear_cache("dense propagators")
    assert _dense_kept(net) == 0


def _dense_kept(net) -> int:
    """Dense propagators kept in the network's memo."""
    return net.cache_info().get("dense propagators", {"items": 0})["items"]


def test_dense_propagator_cache_is_bounded():
    net = example3_n(2, 3)
    evolve.clear_propagator_cache(net)
    for k in range(evolve.PROPAGATOR_CACHE_SIZE + 5):
        bs.simulate(net, np.eye(4) / 4, [0, 0.01 * (k + 1)], kc=1 + k % 3, method="dense")
    kept = _dense_kept(net)
    assert kept == evolve.PROPAGATOR_CACHE_SIZE


def test_benchmark_report_matches_its_json():
    """docs/performance.md's generated block is what the benchmark makes of its JSON."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    res = subprocess.run(
        [sys.executable, "-m", "benchmarks", "network", "--check-report"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_clear_propagator_cache_bad_input():
    with pytest.raises(BlendsymError, match="net must be a QuantumNetwork or None: found str"):
        evolve.clear_propagator_cache("net")
