"""The copy desk: ``mtnorm serve``'s HTTP API and review page.

:func:`create_app` builds the ASGI application (Starlette). It needs the
``desk`` extra (``pip install 'mtnorm[desk]'``: starlette and uvicorn); the
rest of mtnorm does not, so nothing here is imported by ``normalize`` itself.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .app import DeskConfig

__all__ = ["MISSING_DEPS", "DeskConfig", "create_app"]

MISSING_DEPS = ("the copy desk needs starlette and uvicorn: "
                "pip install 'mtnorm[desk]' (or: pip install starlette uvicorn)")


def create_app(*args: Any, **kwargs: Any):
    """The desk's ASGI app; see :func:`normalize.server.app.create_app` for the options."""
    try:
        from .app import create_app as _create_app
    except ImportError as exc:  # starlette missing
        raise UsageError(f"{MISSING_DEPS} ({exc})") from None
    return _create_app(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "DeskConfig":
        from .app import DeskConfig
        return DeskConfig
    raise AttributeError(f"module 'normalize.server' has no attribute {name!r}")
