"""The ``/sandbox`` admin namespace: its routes (:mod:`.routes`, server side) and the typed
httpx helper that calls them (:mod:`.client`). Importing this package loads only the helper,
so a notebook that drives a sandbox in another process never loads the server."""

from zenhire_nb.sandbox.admin.client import ADMIN_HEADER, SandboxAdmin, SandboxAdminError, Tenant

__all__ = ["ADMIN_HEADER", "SandboxAdmin", "SandboxAdminError", "Tenant"]
