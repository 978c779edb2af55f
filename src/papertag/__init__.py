"""papertag: tag research papers with the efficiency methods, modalities, architectures and hardware they use."""

from __future__ import annotations

__version__ = "0.1.0"
