"""Thin entrypoints: turn a request or a command into a service call, an error into a status."""
