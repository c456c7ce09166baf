"""The errors services raise now live in core.errors (below every app); this old
address re-exports them until every importer says `from core.errors import ...`."""

from core.errors import Conflict, ConsentRequired, RateLimited

__all__ = ["Conflict", "ConsentRequired", "RateLimited"]
