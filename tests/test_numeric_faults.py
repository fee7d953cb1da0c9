"""Regression tests for the numeric faults found by fault injection (issue 10, item 4):
overflowing parameters, dishonest Krylov error estimates, concurrent simulations on one
network, expm_multiply on long horizons, unchecked helper inputs, and sizes that cannot fit
in memory.  References are independent of the code under test (mpmath at 50 digits, SciPy's
dense expm of the complex Liouvillian).  No test is timed.
"""

from __future__ import annotations

import concurrent.futures as cf
import sys

import mpmath
import numpy as np
import pytest
import scipy.linalg
import sympy

import blendsym as bs
from blendsym import evolve
from blendsym.errors import (
    BlendsymError,
    InvalidArgumentError,
    InvalidModelError,
    ResourceLimitError,
)
from blendsym.krylov import expm_krylov
from blendsym.matrixfree import MatrixFreeLiouvillian, from_real_coordinates
from blendsym.numeric import limits, propagator

R = sympy.Rational


def example3(n: int, kc=40):
    net, rho0 = bs.paper.example3(coupling=kc, n=n, numeric=True)
    return net, rho0


# ----------------------------------------------------------------------------- overflow


@pytest.mark.parametrize("method", ["dense", "krylov", "matrix_free", "expm_multiply"])
@pytest.mark.parametrize("kc", [1e300, 1e200, 1e15])
def test_overflowing_gain_is_refused_naming_kc(method, kc):
    """kc = 1e300 used to return NaN (dense) or trace-0 states with no error."""
    net, rho0 = example3(2)
    with pytest.raises(ResourceLimitError) as exc:
        bs.simulate(net, rho0, [0.0, 1.0], kc=kc, method=method)
    msg = str(exc.value)
    assert "kc = " in msg and f"{kc:.3g}" in msg and "MAX_NORM_TIME" in msg


@pytest.mark.parametrize(
    "build,fragment",
    [
        (
            lambda: bs.QuantumNetwork(
                2, [(1, 2)], bs.sigma_z(1), [(1e200, bs.sigma_minus(1))], coupling=1
            ),
            "jumps[0] rate = 1e+200",
        ),
        (
            lambda: bs.QuantumNetwork(2, [(1, 2, 1e300)], bs.sigma_z(1), coupling=1),
            "weights (largest a_jk = 1e+300",
        ),
        (lambda: bs.QuantumNetwork(2, [(1, 2)], 1e300 * bs.sigma_z(1), coupling=1), "hamiltonian"),
    ],
)
def test_overflowing_rate_weight_or_hamiltonian_is_named(build, fragment):
    net = build()
    with pytest.raises(ResourceLimitError) as exc:
        bs.simulate(net, np.eye(4) / 4, [0.0, 1.0])
    assert fragment in str(exc.value)


def test_long_horizon_names_t_final_and_non_finite_parameters_are_named():
    net, rho0 = example3(2)
    with pytest.raises(ResourceLimitError, match=r"t_final = 1e\+20"):
        bs.simulate(net, rho0, [0.0, 1e20])
    # numbers beyond double precision are refused by name (by the model's own checks where
    # they exist, else by the propagator's conversion below)
    with pytest.raises(BlendsymError, match="kc"):
        bs.simulate(net, rho0, [0.0, 1.0], kc=sympy.Float("1e400"))
    with pytest.raises(BlendsymError, match="hbar"):
        tiny = bs.QuantumNetwork(2, [(1, 2)], bs.sigma_z(1), coupling=1, hbar=sympy.Float("1e-400"))
        bs.simulate(tiny, np.eye(4) / 4, [0.0, 1.0])
    with pytest.raises(InvalidModelError, match=r"kc = 1\.000e\+400 is not finite"):
        propagator._finite_number(sympy.Float("1e400"), "kc")
    # inside the bound the same model runs and its states are physical
    traj = bs.simulate(net, rho0, [0.0, 1.0], kc=1e6)
    np.testing.assert_allclose(np.trace(traj.states, axis1=1, axis2=2), 1, atol=1e-9)
    assert propagator.MAX_NORM_TIME == 1e14


# ----------------------------------------------------------------------------- honest estimates


def _mpmath_reference(net, rho0, t: float, kc) -> np.ndarray:
    """exp(L t) vec(rho0) with mpmath at 50 digits (independent of SciPy and of blendsym's
    propagators)."""
    gen = net.liouvillian(kc=kc, backend="scipy").toarray()
    with mpmath.workdps(50):
        a = mpmath.matrix([[mpmath.mpc(complex(x)) for x in row] for row in gen])
        y0 = mpmath.matrix([mpmath.mpc(complex(x)) for x in rho0.ravel()])
        y = mpmath.expm(a * t) * y0
        return np.array([complex(y[i]) for i in range(len(y0))]).reshape(rho0.shape)


@pytest.mark.parametrize("method", ["krylov", "matrix_free", "dense"])
@pytest.mark.parametrize("kc,t_final", [(1e6, 1e6), (1e6, 1.0), (1e3, 1e3)])
def test_error_estimate_bounds_the_true_error_for_stiff_long_runs(method, kc, t_final):
    """n = 2: the Krylov space (dimension <= 16 < m) closes; the estimate used to be 0 while
    the true error was 1e-10..8e-5 at K_c = T = 1e6."""
    net, rho0 = example3(2)
    traj = bs.simulate(net, rho0, [0.0, t_final], kc=kc, method=method)
    ref = _mpmath_reference(net, rho0, t_final, kc)
    err = float(np.linalg.norm(traj.states[-1] - ref))
    est = traj.info["error_estimate"]
    if method != "dense":
        assert traj.info["breakdown"]
    assert err <= est, f"true error {err:.3g} above the estimate {est:.3g}"
    # honest, not vacuous: round-off eps ||L|| T is the scale
    norm = bs.NetworkPropagator(net, kc).norm_bound()
    assert est <= 100 * np.finfo(float).eps * norm * t_final + 1e-12
    assert traj.info["tol_met"] == (est <= traj.info.get("tol", evolve.DEFAULT_TOL))


def test_krylov_estimate_against_dense_expm_on_random_stiff_matrices():
    """Stiff Hermitian part plus a non-normal perturbation, against SciPy's dense expm: the
    estimate covers the error both in ordinary steps and after a breakdown."""
    rng = np.random.default_rng(5)
    for size, m in ((12, 30), (40, 20)):
        q = np.linalg.qr(rng.normal(size=(size, size)))[0]
        a = -q @ np.diag(np.concatenate([[0.0], rng.uniform(1e4, 1e6, size - 1)])) @ q.T
        a = a + 0.1 * rng.normal(size=(size, size))
        v = rng.normal(size=size)
        times = [0.0, 0.5, 30.0]
        out, info = expm_krylov(
            lambda x, a=a: a @ x, v, times, tol=1e-9, m=m, anorm=float(np.abs(a).sum(axis=0).max())
        )
        for t, got, est in zip(times, out, info.output_errors, strict=True):
            ref = scipy.linalg.expm(a * t) @ v
            assert np.linalg.norm(got - ref) <= max(est, 1e-13), (size, t)


def test_krylov_refuses_early_when_the_step_count_would_exceed_max_steps():
    """n = 3 at K_c = T = 1e6 ran 100000 Krylov steps (minutes) before failing; the count is
    now forecast from the step lengths and refused with advice."""
    net, rho0 = example3(3, 1e6)
    prop = bs.NetworkPropagator(net)
    matvec, anorm = prop.operator("csr").action()
    y0 = bs.matrixfree.to_real_coordinates(rho0).ravel()
    with pytest.raises(ResourceLimitError, match="would need about .* steps.*dense"):
        expm_krylov(matvec, y0, [0.0, 1e6], m=40, anorm=anorm, max_steps=500)
    # the dense method does it (against SciPy's expm of the complex Liouvillian), and its
    # estimate covers the difference
    traj = bs.simulate(net, rho0, [0.0, 1e6], method="dense")
    gen = net.liouvillian(backend="scipy").toarray()
    ref = (scipy.linalg.expm(gen * 1e6) @ rho0.ravel()).reshape(8, 8)
    est = traj.info["error_estimate"]
    assert np.linalg.norm(traj.states[-1] - ref) <= 2 * est
    # |tr(rho) - 1| <= sqrt(d) ||rho - rho_exact||_F (8e-5 here: round-off at ||L|| T ~ 1e13)
    assert abs(np.trace(traj.states[-1]) - 1) <= np.sqrt(8) * est
    assert not traj.info["tol_met"]


# ----------------------------------------------------------------------------- threads


@pytest.fixture
def frequent_thread_switches():
    """Switch threads every microsecond: races that need an unlucky switch happen at once
    (with this, the old WeakKeyDictionary cache failed in every run)."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def test_concurrent_dense_simulations_on_one_network_are_safe(frequent_thread_switches):
    """Many threads, one network, grids of distinct steps (so the store of dense propagators
    is searched, filled and trimmed concurrently): the old cache raised 'dictionary changed
    size during iteration' or KeyError.  Each result equals a serial run."""
    net, rho0 = example3(2)
    rng = np.random.default_rng(0)
    grids = [np.cumsum(rng.uniform(0.01, 0.02, 30)) for _ in range(96)]

    def run(times):
        return bs.simulate(net, rho0, times, method="dense", observe="reduced")

    with cf.ThreadPoolExecutor(max_workers=16) as ex:
        results = list(ex.map(run, grids))
    gen = net.liouvillian(backend="scipy").toarray()
    for times, traj in list(zip(grids, results, strict=True))[::8]:
        ref = scipy.linalg.expm(gen * times[-1]) @ rho0.ravel()
        expected = bs.reduced_state(ref.reshape(4, 4), 1)
        np.testing.assert_allclose(traj.reduced(1)[-1], expected, atol=1e-10)
    assert net.cache_info()["dense propagators"]["items"] == propagator.PROPAGATOR_CACHE_SIZE


def test_concurrent_simulations_with_every_method_are_safe(frequent_thread_switches):
    """Every method and several gains on one network from 12 threads (shared forms, one
    matrix-free work space per call)."""
    net, rho0 = example3(3)
    grids = [np.linspace(0, 0.1 * (k + 1), 5 + k % 3) for k in range(12)]
    methods = ["dense", "krylov", "matrix_free", "expm_multiply"]
    jobs = [(grids[k], methods[k % 4], 5.0 + k % 3) for k in range(12)] * 2

    def run(job):
        times, method, kc = job
        return bs.simulate(net, rho0, times, kc=kc, method=method, observe="reduced")

    with cf.ThreadPoolExecutor(max_workers=12) as ex:
        results = list(ex.map(run, jobs))
    for (times, _, kc), traj in zip(jobs, results, strict=True):
        gen = net.liouvillian(kc=kc, backend="scipy").toarray()
        ref = (scipy.linalg.expm(gen * times[-1]) @ rho0.ravel()).reshape(8, 8)
        for j in (1, 2, 3):
            np.testing.assert_allclose(traj.reduced(j)[-1], bs.reduced_state(ref, j), atol=1e-8)


def test_concurrent_first_use_builds_each_form_once():
    net, rho0 = example3(3)
    prop = bs.NetworkPropagator(net, 7)
    with cf.ThreadPoolExecutor(max_workers=8) as ex:
        forms = list(ex.map(lambda _: prop.real_csr(), range(16)))
        other = list(ex.map(lambda _: bs.NetworkPropagator(net, 7).real_csr(), range(16)))
    assert all(f is forms[0] for f in forms + other)


# ----------------------------------------------------------------------------- expm_multiply


def test_expm_multiply_refuses_long_horizons_and_points_to_krylov():
    """It used to run for hours at T = 1e6."""
    net, rho0 = example3(3)
    with pytest.raises(ResourceLimitError) as exc:
        bs.simulate(net, rho0, [0.0, 1e6], method="expm_multiply")
    assert "krylov" in str(exc.value) and "products" in str(exc.value)
    a = net.liouvillian(backend="scipy")
    with pytest.raises(ResourceLimitError, match="krylov"):
        evolve.propagate(a, rho0.ravel(), [0.0, 1e6], method="expm_multiply")
    # within the limit it runs, and the count the limit is based on is not an underestimate
    traj = bs.simulate(net, rho0, [0.0, 10.0], method="expm_multiply")
    norm = bs.NetworkPropagator(net).norm_bound()
    assert traj.info["applications"] <= propagator.expm_multiply_products(norm, 10.0)


# ----------------------------------------------------------------------------- helper inputs


@pytest.mark.parametrize(
    "args,fragment",
    [
        ((np.eye(4), np.ones(3), [0, 1]), "y0 must be a vector of length 4"),
        ((np.eye(4), np.ones((2, 2)), [0, 1]), "y0 must be a vector of length 4"),
        ((np.eye(4), np.array([1, np.nan, 0, 0]), [0, 1]), "y0 must have finite entries"),
        ((np.ones((3, 4)), np.ones(3), [0, 1]), "generator must be a non-empty square"),
        ((np.diag([1.0, np.inf]), np.ones(2), [0, 1]), "generator must have finite entries"),
        (("abc", np.ones(2), [0, 1]), "generator"),
        ((np.eye(2), np.ones(2), [0, np.nan]), "times must be finite"),
    ],
)
def test_propagate_checks_its_arguments(args, fragment):
    with pytest.raises(InvalidArgumentError) as exc:
        evolve.propagate(*args)
    assert fragment in str(exc.value)


def test_propagate_uses_the_registry_krylov_dimension():
    """propagate(method="krylov") hard-coded m = 40 while KRYLOV_DIM said otherwise."""
    entry = propagator.PROPAGATION_METHODS["krylov"]
    assert entry.settings(5)["krylov_dim"] == evolve.KRYLOV_DIM[5] != 40
    assert entry.settings(6, krylov_dim=7)["krylov_dim"] == 7
    # a generic generator of Liouville dimension 4^5 gets the n = 5 basis
    assert propagator._qubits_of_dim(1024) == 5 and propagator._qubits_of_dim(40) == 3
    rng = np.random.default_rng(1)
    a = rng.normal(size=(30, 30)) - 5 * np.eye(30)
    y = rng.normal(size=30)
    ref = np.array([scipy.linalg.expm(a * t) @ y for t in (0.0, 0.5)])
    for m in (None, 4):
        np.testing.assert_allclose(
            evolve.propagate(a, y, [0.0, 0.5], "krylov", krylov_dim=m), ref, atol=1e-8
        )
    with pytest.raises(InvalidArgumentError, match="krylov_dim"):
        evolve.propagate(a, y, [0.0, 0.5], "krylov", krylov_dim=0)


def test_matrix_free_and_coordinate_helpers_check_sizes():
    net, _ = example3(2)
    op = MatrixFreeLiouvillian(net)
    with pytest.raises(InvalidArgumentError, match="d\\^2 = 16"):
        op.apply(np.ones(5))
    with pytest.raises(InvalidArgumentError, match="finite"):
        op.apply(np.full(16, np.nan))
    with pytest.raises(InvalidArgumentError, match="d\\^2 = 16"):
        op.matvec_real(np.ones(7))
    with pytest.raises(InvalidArgumentError, match="shape"):
        from_real_coordinates(np.ones(10), 4)


# ----------------------------------------------------------------------------- memory


def test_n12_is_refused_up_front_with_the_memory_it_would_take():
    """n >= 12 was accepted and then hung or raised a raw MemoryError.  The decision is the
    estimate against the budget, not a fixed n."""
    net = bs.paper.example3(coupling=40, n=12)[0]
    times = np.linspace(0, 1, 101)
    with pytest.raises(ResourceLimitError) as exc:
        bs.simulate(net, np.eye(2), times, memory_limit=16 * 2**30)  # before rho0 is read
    msg = str(exc.value)
    assert "n = 12" in msg and "GiB" in msg and "observe='reduced'" in msg
    prop = bs.NetworkPropagator(net)
    states = propagator.estimate_memory(prop, "matrix_free", 101, 101 * 16 * 4**12, None)
    reduced = propagator.estimate_memory(prop, "matrix_free", 101, 101 * 64 * 12, None)
    assert states["outputs"] == 101 * 16 * 4**12 > 25 * 2**30
    assert reduced["total"] < states["total"] - 25 * 2**30
    # observe="reduced" is accepted by the same budget (then rho0 is checked)
    with pytest.raises(bs.InvalidStateError, match="rho0"):
        bs.simulate(net, np.eye(2), times, observe="reduced", memory_limit=16 * 2**30)
    # a dense propagation at n = 7 needs 4^7 x 4^7 matrices: refused by its generator size
    n7 = bs.paper.example3(coupling=40, n=7)[0]
    with pytest.raises(ResourceLimitError, match="generator"):
        bs.simulate(n7, np.eye(2), times, method="dense", memory_limit=16 * 2**30)


def test_memory_estimate_is_an_upper_bound_of_the_generator_size():
    for n in (2, 3, 4):
        net = bs.paper.example3(coupling=40, n=n)[0]
        bound = propagator.generator_nnz_bound(net)
        fresh = bs.paper.example3(coupling=40, n=n)[0]
        actual = fresh.local_liouvillian("scipy").nnz + fresh.swap_liouvillian("scipy").nnz
        assert actual <= bound <= 8 * actual
        assert propagator.generator_nnz_bound(fresh) == actual  # built: the actual count


def test_distinct_steps_counts_the_dense_propagators():
    assert limits.distinct_steps(np.linspace(0, 1, 101)) == 1
    assert limits.distinct_steps([0.0, 0.0, 1.0, 1.0, 3.0]) == 2
    assert limits.distinct_steps([0.0]) == 0
    assert limits.distinct_steps([1e-12, 2.5e-12]) == 2  # relative, not absolute
    net, rho0 = example3(2)
    traj = bs.simulate(net, rho0, [0.0, 0.1, 0.2, 0.5, 0.8], method="dense")
    assert traj.info["exponentials"] == limits.distinct_steps([0.0, 0.1, 0.2, 0.5, 0.8]) == 2


def test_available_memory_is_positive():
    avail = propagator.available_memory()
    assert avail is None or avail > 0


# ----------------------------------------------------------------------------- errors


def test_resource_errors_are_blendsym_errors():
    assert issubclass(ResourceLimitError, BlendsymError)
