class ActionError(Exception):
    """A request an action refuses, with a message written for the person who made it.

    Views show ``str(error)`` as a form error; it must say what to do next.
    """
