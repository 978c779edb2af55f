"""Keep Python's cyclic garbage collector out of the tagging hot path.

Tagging a batch allocates hundreds of thousands of small containers (hits, evidence dicts,
claim dicts, tuples) that hold no reference cycles. Each allocation counts towards the
collector's thresholds, so it keeps running mid-batch, and its older generations walk every
long-lived object (the rules, the vocabulary, the model): about a third of the assembly time
on a 10,000-paper run. :func:`gc_paused` switches the collector off for one batch; it runs
again as usual afterwards, so whatever cycles a batch made are still collected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable automatic garbage collection inside the block (restoring the previous state after)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
