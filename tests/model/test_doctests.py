"""The examples in the docstrings of the classifier layer run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["papertag.weak", "papertag.evaluate", "papertag.model.calibration", "papertag.model.combine"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
