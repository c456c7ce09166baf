"""Reporting periods: Berlin calendar days, both ends inclusive; the previous period;
the rules every date range must pass (page and API)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from insights.forms import PeriodForm
from insights.periods import Period, month_start, period_validate, this_month


def test_bounds_are_midnights_in_berlin_with_the_end_day_included():
    start, end = Period(date(2024, 1, 1), date(2024, 1, 31)).bounds()

    assert start == datetime(2023, 12, 31, 23, 0, tzinfo=UTC)
    assert end == datetime(2024, 1, 31, 23, 0, tzinfo=UTC)


def test_bounds_follow_summer_time():
    start, end = Period(date(2024, 3, 31), date(2024, 10, 27)).bounds()

    # 31 March starts in winter time (UTC+1); 28 October starts in winter time again.
    assert start == datetime(2024, 3, 30, 23, 0, tzinfo=UTC)
    assert end == datetime(2024, 10, 27, 23, 0, tzinfo=UTC)
    assert Period(date(2024, 7, 1), date(2024, 7, 1)).bounds()[0] == datetime(
        2024, 6, 30, 22, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        # A whole month gives the whole month before, whatever their lengths.
        ((date(2024, 3, 1), date(2024, 3, 31)), (date(2024, 2, 1), date(2024, 2, 29))),
        ((date(2024, 1, 1), date(2024, 1, 31)), (date(2023, 12, 1), date(2023, 12, 31))),
        ((date(2023, 2, 1), date(2023, 2, 28)), (date(2023, 1, 1), date(2023, 1, 31))),
        # Anything else: as many days just before.
        ((date(2024, 3, 1), date(2024, 3, 30)), (date(2024, 1, 31), date(2024, 2, 29))),
        ((date(2024, 1, 10), date(2024, 1, 20)), (date(2023, 12, 30), date(2024, 1, 9))),
        ((date(2024, 5, 5), date(2024, 5, 5)), (date(2024, 5, 4), date(2024, 5, 4))),
        ((date(2024, 1, 1), date(2024, 2, 29)), (date(2023, 11, 2), date(2023, 12, 31))),
    ],
)
def test_previous_period(period, previous):
    assert Period(*period).previous() == Period(*previous)


def test_this_month_runs_from_the_first_to_the_last_day():
    assert this_month(date(2024, 2, 14)) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert this_month(date(2023, 12, 31)) == Period(date(2023, 12, 1), date(2023, 12, 31))


def test_this_month_defaults_to_today_in_berlin():
    today = timezone.localdate()
    assert this_month() == this_month(today)
    assert this_month().start == today.replace(day=1)


def test_month_start_moves_across_years():
    assert month_start(date(2024, 1, 31), months=-1) == date(2023, 12, 1)
    assert month_start(date(2024, 2, 29), months=-11) == date(2023, 3, 1)
    assert month_start(date(2023, 12, 15), months=1) == date(2024, 1, 1)


def test_a_valid_range_is_a_period():
    assert period_validate(date(2024, 1, 1), date(2024, 1, 31)) == Period(
        date(2024, 1, 1), date(2024, 1, 31)
    )
    assert period_validate(date(2024, 1, 1), date(2024, 1, 1)).days == 1


def _errors(start, end) -> dict:
    with pytest.raises(ValidationError) as raised:
        period_validate(start, end)
    return raised.value.message_dict


def test_an_inverted_range_is_refused_on_to():
    errors = _errors(date(2024, 2, 1), date(2024, 1, 31))

    assert errors == {"to": ["The end date is before the start date."]}


def test_dates_before_2000_are_refused_with_their_field():
    assert set(_errors(date(1999, 12, 31), date(2024, 1, 1))) == {"from"}
    assert set(_errors(date(1, 1, 1), date(1, 1, 2))) == {"from", "to"}


def test_dates_more_than_a_year_ahead_are_refused():
    today = timezone.localdate()
    assert period_validate(today, today + timedelta(days=365)).days == 366
    errors = _errors(today, today + timedelta(days=367))
    assert list(errors) == ["to"]
    assert "on or before" in errors["to"][0]
    assert set(_errors(date(9999, 1, 1), date(9999, 12, 31))) == {"from", "to"}


def test_a_period_is_at_most_1096_days():
    assert period_validate(date(2020, 1, 1), date(2022, 12, 31)).days == 1096

    errors = _errors(date(2020, 1, 1), date(2023, 1, 1))
    assert errors == {"to": ["A period can be at most 1096 days (three years) long."]}


# --- The period form (dashboard, lists and API) ----------------------------------------


@pytest.mark.django_db
def test_the_form_cleans_into_a_period_and_a_forum(forum):
    by_slug = PeriodForm({"from": "2024-01-01", "to": "2024-01-31", "forum": "mobilfunk"})
    by_id = PeriodForm({"from": "2024-01-01", "to": "2024-01-31", "forum": str(forum.pk)})
    everywhere = PeriodForm({"from": "2024-01-01", "to": "2024-01-31", "forum": ""})

    assert by_slug.is_valid() and by_id.is_valid() and everywhere.is_valid()
    assert by_slug.cleaned_data["period"] == Period(date(2024, 1, 1), date(2024, 1, 31))
    assert by_slug.cleaned_data["forum"] == by_id.cleaned_data["forum"] == forum
    assert everywhere.cleaned_data["forum"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"from": "2024-02-01", "to": "2024-01-31"}, {"to"}),
        ({"from": "1999-01-01", "to": "2024-01-31"}, {"from"}),
        ({"from": "2024-01-01"}, {"to"}),
        ({"from": "01/02/2024", "to": "2024-01-31"}, {"from"}),
        ({"from": "2024-01-01", "to": "2024-01-31", "forum": "nope"}, {"forum"}),
        ({"from": "2024-01-01", "to": "2024-01-31", "forum": "a\x00b"}, {"forum"}),
    ],
)
def test_the_form_names_the_field_in_error(data, errors):
    form = PeriodForm(data)

    assert not form.is_valid()
    assert set(form.errors) == errors


@pytest.mark.django_db
def test_missing_dates_are_this_months_but_empty_ones_are_refused():
    current = this_month(date(2024, 2, 14))

    assert PeriodForm.for_query({}, today=date(2024, 2, 14)).is_valid()
    form = PeriodForm.for_query({"forum": ""}, today=date(2024, 2, 14))
    form.is_valid()
    assert form.cleaned_data["period"] == current
    assert set(PeriodForm.for_query({"to": ""}).errors) == {"to"}


@pytest.mark.django_db
def test_the_form_renders_date_inputs_named_from_and_to():
    html = str(PeriodForm({"from": "2024-01-01", "to": "2024-01-31"}))

    assert 'type="date" name="from" value="2024-01-01"' in html
    assert 'name="to"' in html
    assert "All forums" in html
