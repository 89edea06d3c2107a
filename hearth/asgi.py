"""The ASGI entry point: HTTP through Django, websockets through Channels.

Later apps add their websocket routes to ``websocket_urlpatterns`` in
``hearth/routing.py``.
"""

import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
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
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
