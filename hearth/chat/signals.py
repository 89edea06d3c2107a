"""What chat announces for the apps above it (chat never imports them).

``follow_up_wanted``: someone should check on this person later, whatever happens now (a facilitator handed
them to a supporter; they missed a booked one-to-one). Care subscribes and puts them on the care queue
(``hearth/care/signals.py``). Sent inside the action's transaction, so the item and the change land together.
"""

from __future__ import annotations

from django.dispatch import Signal

# sender: "chat"; kwargs: member, source ("hand-off", "follow-up"), reason
follow_up_wanted = Signal()
