"""phrasekit: find the right words for an upset customer, offline.

Each command of the CLI is one call here, returning plain data (see docs/api.md). The public
API is imported lazily, on first use of a name, so that ``import phrasekit`` stays cheap.
"""

import sys
from types import ModuleType

__version__ = "0.1.0"

_PUBLIC = {
    "search": "search",
    "build_script": "playbook",
    "render_follow_up": "render",
    "check_draft": "check",
    "check_drafts": "check",
    "show_phrase": "catalogue",
    "list_packs": "catalogue",
    "list_categories": "catalogue",
    "list_families": "catalogue",
    "list_templates": "catalogue",
    "show_template": "catalogue",
    "validate_packs": "packs",
    "load_packs": "packs",
    "model_status": "semantic",
    "import_replies": "interop",
    "export_pack": "interop",
}
"""Public name -> the module (under phrasekit) that defines it."""

__all__ = [*_PUBLIC, "errors", "__version__"]


class _Package(ModuleType):
    """``phrasekit.search`` is the function, though ``phrasekit/search.py`` is a module too: the
    import system binds each submodule loaded on its package, which would make the name mean
    the module after any search. Here that binding is ignored (the module is still
    ``sys.modules["phrasekit.search"]``, and ``from phrasekit.search import ...`` works)."""

    @property
    def search(self):
        replaced = self.__dict__.get("_search")
        if replaced is not None:
            return replaced
        from .search import search

        return search

    @search.setter
    def search(self, value) -> None:
        if not isinstance(value, ModuleType):  # a test or plugin replacing the function
            self.__dict__["_search"] = value


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    import importlib

    if name == "errors":
        return importlib.import_module(".errors", __name__)
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'phrasekit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
