"""``Member``, the person signed in, as core's type hints name them without importing the members app above core.

The model is ``settings.AUTH_USER_MODEL`` ("members.Member"). To mypy, django-stubs' ``_User`` alias is that model
(its plugin reads the setting), so core's hints keep every field and the checks stay strict; code that needs the
class itself at run time calls ``django.contrib.auth.get_user_model()``, as Django's own apps do. Import it under
``TYPE_CHECKING``: the name exists only for the type checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as Member

__all__ = ["Member"]
