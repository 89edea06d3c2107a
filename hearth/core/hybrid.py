"""The one base for Hearth's middleware that runs in both Django's sync and async request chains."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction


class HybridMiddleware:
    """Sync or async to match the chain it is put in (Django's pattern, written once).

    ``self.is_async`` says which; a subclass's ``__call__`` returns ``self.__acall__(request)`` when it is.
    Kept free of Django models and views so the log set-up (``core/logs.py``) can use it at settings time.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[..., Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:  # each middleware says what it does
        raise NotImplementedError
