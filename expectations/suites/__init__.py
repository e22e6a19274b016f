"""One module per raw source or published table: ``NAME`` and ``build(context)``."""
