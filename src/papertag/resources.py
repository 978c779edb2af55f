"""Where papertag finds its data folders (taxonomy/, rules/, models/, labels/).

They live at the project root, beside ``src/``. ``PAPERTAG_HOME`` points elsewhere
(for example at a copy of the project's data folders next to an installed wheel).
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "PAPERTAG_HOME"


def project_home() -> Path:
    """The folder holding taxonomy/, rules/, models/ and labels/."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "taxonomy").is_dir() and (parent / "rules").is_dir():
            return parent
    return Path.cwd()


def taxonomy_path() -> Path:
    return project_home() / "taxonomy" / "taxonomy.yml"


def rules_dir() -> Path:
    return project_home() / "rules"


def models_dir() -> Path:
    return project_home() / "models"


def default_model_dir() -> Path:
    return models_dir() / "default"


def labels_dir() -> Path:
    return project_home() / "labels"
