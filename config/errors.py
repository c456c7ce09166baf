"""Errors that services raise besides Django's ValidationError and PermissionDenied."""


class Conflict(Exception):
    """The request clashes with the current state (a second vote, a duplicate mark)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
