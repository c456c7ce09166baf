"""Reporting periods: calendar dates in the company's time zone (settings.TIME_ZONE),
both ends inclusive. INTERFACE (helper "figures" implements)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)
# The longest period shown: three years, one of them a leap year.
MAX_DAYS = 1096


def reporting_zone() -> ZoneInfo:
    """Days and months are those of the company's time zone, whatever the viewer's."""
    return ZoneInfo(settings.TIME_ZONE)


def month_start(day: date, *, months: int = 0) -> date:
    """The first day of `day`'s month, moved by `months` (negative: back)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return month_start(day, months=1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_month(self) -> bool:
        """Exactly one whole calendar month."""
        return self.start.day == 1 and self.end == month_end(self.start)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start 00:00, the day after end 00:00) as aware datetimes in TIME_ZONE."""
        zone = reporting_zone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def previous(self) -> "Period":
        """The period just before, as long; a whole calendar month gives the month before."""
        if self.is_month:
            before = month_start(self.start, months=-1)
            return Period(before, month_end(before))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))


def this_month(today: date | None = None) -> Period:
    """The current calendar month in TIME_ZONE, from its first to its last day."""
    first = month_start(today or timezone.localdate())
    return Period(first, month_end(first))


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def period_validate(start: date, end: date) -> Period:
    """Raises django ValidationError({"from": [...]} / {"to": [...]}) for an inverted or
    absurd range; the same rules serve the page's form and the API.

    Dates must lie between 2000-01-01 and a year from today, `to` must not be before
    `from`, and a period spans at most three years (1096 days)."""
    latest = _a_year_after(timezone.localdate())
    errors: dict[str, list[str]] = {}
    for field, day in (("from", start), ("to", end)):
        if day < EARLIEST:
            errors.setdefault(field, []).append(
                _("Choose a date on or after %(date)s.") % {"date": EARLIEST.isoformat()}
            )
        elif day > latest:
            errors.setdefault(field, []).append(
                _("Choose a date on or before %(date)s.") % {"date": latest.isoformat()}
            )
    if not errors:
        if end < start:
            errors["to"] = [_("The end date is before the start date.")]
        elif (end - start).days + 1 > MAX_DAYS:
            errors["to"] = [
                _("A period can be at most %(days)d days (three years) long.") % {"days": MAX_DAYS}
            ]
    if errors:
        raise ValidationError(errors)
    return Period(start, end)
