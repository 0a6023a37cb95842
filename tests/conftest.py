"""Shared fixtures: a seeded random generator for every test."""

from __future__ import annotations

import random

import numpy as np
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    """A NumPy generator with a fixed seed, so that every test is reproducible."""
    return np.random.default_rng(20261123)


@pytest.fixture(autouse=True)
def _seed_python_random() -> None:
    random.seed(20261123)
