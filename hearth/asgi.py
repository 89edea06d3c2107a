"""The ASGI entry point: HTTP through Django, websockets through Channels.

Later apps add their websocket routes to ``websocket_urlpatterns`` in
``hearth/routing.py``.
"""

import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.core.asgi import get_asgi_application

# WhiteNoise serves static files from a synchronous file iterator; Django warns about it on every file
# under ASGI. It costs a thread per file and nothing else, so it must not fill the console.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

django_application = get_asgi_application()

from hearth.core.lanes import LiveLaneLifespan  # noqa: E402
from hearth.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # Starts the live lane (crisis alerts to open pages) with the server: see hearth/core/lanes.py.
        "lifespan": LiveLaneLifespan(),
        # No auth middleware: every socket is a core.consumers.EventConsumer, which reads who its session stands
        # for in the same trip to the database as the sign-in rules and access (one trip per handshake).
        "websocket": AllowedHostsOriginValidator(CookieMiddleware(SessionMiddleware(URLRouter(websocket_urlpatterns)))),
    }
)
