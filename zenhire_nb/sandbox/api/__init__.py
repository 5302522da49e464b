"""The contract over HTTP: the ``/api/v1/...`` routes, API-key authentication, the error
envelope and the request schemas. Only :mod:`.routes` knows about HTTP routing; the rest is
shared with the admin namespace and the candidate page."""
