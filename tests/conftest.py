"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def encoder():
    """The CPU MiniLM encoder, loaded once for the whole run."""
    from storyline.embed import get_encoder

    return get_encoder()
