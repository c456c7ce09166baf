"""Numbers and money as the active language writes them: `EUR 1.50`, `EUR 1,50` in
German. Python code formats with these; templates use the same functions as filters
(rewards' `money`, insights' figures)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

# What stands for a figure there is nothing to compute from (no answer, nothing to divide).
NO_VALUE = "\N{EN DASH}"


def money(euros: Decimal | int | None, currency: str = "EUR") -> str:
    """`EUR 1.50`, or `EUR 1,50` in German: two decimals and grouping of the language."""
    amount = formats.number_format(
        Decimal(euros or 0), decimal_pos=2, use_l10n=True, force_grouping=True
    )
    return f"{currency} {amount}"


def number(value: Decimal | int | float, places: int = 0) -> str:
    """Rounded half up (number_format alone would cut 66.67 to 66.6), in the language's
    format with grouping."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)
