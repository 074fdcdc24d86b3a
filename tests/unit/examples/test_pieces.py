"""Placeholder: collected as the example repository's piece tests (see ``conftest.py`` here).

Those tests live next to each piece in ``examples/pieces/pieces/<Name>Piece/test_*.py``, where
piece authors expect them and where ``pytest examples/pieces`` runs them on its own.
"""
