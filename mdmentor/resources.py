"""Where the bundled schemas, templates and example journal are.

In a wheel they sit inside the package (``mdmentor/_data/``); in a checkout or an
editable install they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The bundled folder ``name`` (``schemas``, ``templates`` or ``examples``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mdmentor is installed without its {name}/ folder")


def example_journal() -> Path:
    """The bundled example journal."""
    return data_dir("examples") / "adult-social-care"
