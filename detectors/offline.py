"""detect-secrets without its HTTP client: ``requests`` is loaded only if something uses it.

detect-secrets' plugin base class imports ``requests`` for its ``verify`` feature, which
blastscan never calls (it makes no network calls: design principle 1). Importing it was
about a fifth of blastscan's start-up (urllib3, charset detection, ssl). The detectors
package imports this module before any of its modules imports detect-secrets; it registers
a stand-in for ``requests``, so ``import requests`` inside detect-secrets binds a module
whose code runs on first attribute access: never, in a scan.
Where ``requests`` was imported already (a host program), nothing changes.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is asked for. (The standard
    library's LazyLoader cannot be used: Python 3.11's import statement reads the module's
    ``__spec__``, which loads it at once.)"""

    def __getattr__(self, attribute: str) -> Any:  # only for attributes it lacks
        # (``__spec__`` and ``__name__`` it has: the import system reads them freely.)
        del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)  # holders of the stand-in see the real thing
        return getattr(real, attribute)


def _defer(name: str) -> None:
    if name not in sys.modules:
        sys.modules[name] = _Deferred(name)


_defer("requests")
