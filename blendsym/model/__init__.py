"""The model of eq. (4): conventions, site operators, the coupling graph, qubit permutations,
density operators and the :class:`~blendsym.model.network.QuantumNetwork` itself."""
