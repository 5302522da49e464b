"""Pytest fixtures for the sandbox (registered through the pytest11 entry point)."""
