"""symdl's proofs: one module per theorem, run by ``symdl prove`` and collected by pytest.

Installed as the subpackage ``symdl.proofs`` (see ``pyproject.toml``), so ``symdl prove`` finds
them in a wheel as well as in a checkout.  The contract of a proof module is documented in
:mod:`symdl.publish.proving`.
"""
