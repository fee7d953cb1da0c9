"""Test configuration: hypothesis profiles.

``ci`` (default) keeps the whole suite within a few minutes on a 2-core machine;
``thorough`` draws many more examples.  Select with ``HYPOTHESIS_PROFILE=thorough``.
"""

import os

# one BLAS thread: the suite runs many small matrix products, which threads only slow
# down on a 2-core machine that is also running other tests
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from hypothesis import HealthCheck, settings  # noqa: E402 (after the BLAS settings)

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
settings.register_profile(
    "thorough",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
