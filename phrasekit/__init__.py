"""phrasekit: find the right words for an upset customer, offline.

The public API is imported lazily so that ``import phrasekit`` stays cheap.
"""

__version__ = "0.1.0"

__all__ = ["load_packs", "search", "errors", "__version__"]


def __getattr__(name: str):
    if name == "load_packs":
        from .packs import load_packs

        return load_packs
    if name == "search":
        from .search import search

        return search
    if name == "errors":
        from . import errors

        return errors
    raise AttributeError(f"module 'phrasekit' has no attribute {name!r}")
