r"""Section 5 (any model): the induced graph :math:`G_d` of Section 5.1 and the blended
coherent dynamics of Definition 2 (eq. (17)).

``induced`` and ``coherent`` build Definition 2 from the :math:`4^n\times4^n` local Liouvillian
(``basis="full"``); ``pi_basis`` (type counts and index arithmetic), ``pi_terms`` (the local
contents of :math:`A_d`), ``pi_generator`` (the block-average formula), ``pi_states`` (states
and observables) and ``pi_dynamics`` (evolution, stationary states) do it in the
permutation-invariant coordinates at any :math:`n` (``basis="pi"``); on a disconnected graph
``product_basis``, ``product_terms``, ``product_generator`` and ``product_states`` do the same for
the orbits of :math:`S_{C_1}\times\cdots\times S_{C_r}`, and ``coordinate_states`` dispatches
between the two bases.  ``averaging`` holds the permutation-averaged network."""
