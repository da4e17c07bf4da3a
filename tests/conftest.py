"""Fixtures shared by the test files: the real catalogue and the unit registry."""

from __future__ import annotations

import pytest

from baocao import config, units
from baocao.io.tables import read_catalogue


@pytest.fixture(scope="session")
def cat():
    """The project's catalogue, as analysts keep it in ``data/catalogue/``."""
    return read_catalogue(config.catalogue_dir())


@pytest.fixture(scope="session")
def reg():
    """The legacy (three-level) unit registry."""
    return units.legacy()
