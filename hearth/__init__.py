"""Hearth: self-hostable software for mental-health peer-support organisations."""

from importlib import metadata

try:
    __version__ = metadata.version("hearth")
except metadata.PackageNotFoundError:  # running from a folder that was never installed
    __version__ = "unknown"
