"""Numeric propagation of eq. (4) and of the blended generators: exponential integrators
(dense, Krylov, matrix-free), BLAS thread control and parameter sweeps."""
