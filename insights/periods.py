"""Reporting periods: calendar dates in the company's time zone (settings.TIME_ZONE),
both ends inclusive. INTERFACE (helper "figures" implements)."""

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """[start 00:00, the day after end 00:00) as aware datetimes in TIME_ZONE."""
        raise NotImplementedError

    def previous(self) -> "Period":
        """The period just before, as long; a whole calendar month gives the month before."""
        raise NotImplementedError


def this_month(today: date | None = None) -> Period:
    raise NotImplementedError


def period_validate(start: date, end: date) -> Period:
    """Raises django ValidationError({"from": [...]} / {"to": [...]}) for an inverted or
    absurd range; the same rules serve the page's form and the API."""
    raise NotImplementedError
