from decimal import Decimal

from django.utils import translation

from core.formatting import NO_VALUE, money, number


def test_money_has_two_decimals_and_the_grouping_of_the_language():
    assert money(Decimal("1234.5")) == "EUR 1,234.50"
    with translation.override("de"):
        assert money(Decimal("1.5")) == "EUR 1,50"
        assert money(Decimal("1234.5")) == "EUR 1.234,50"


def test_no_amount_is_zero_euros():
    assert money(None) == "EUR 0.00"


def test_money_names_its_currency():
    assert money(3, "CHF") == "CHF 3.00"


def test_numbers_are_rounded_half_up():
    assert number(Decimal("66.665"), 2) == "66.67"
    assert number(Decimal("2.5")) == "3"


def test_numbers_are_grouped_per_language():
    assert number(1234567) == "1,234,567"
    with translation.override("de"):
        assert number(Decimal("1234.5"), 1) == "1.234,5"


def test_a_missing_figure_is_a_dash():
    assert NO_VALUE == "\N{EN DASH}"


def test_the_template_filter_is_the_same_function():
    from django.template import engines

    library = engines["django"].engine.template_libraries["ranks"]
    assert library.filters["money"] is money
