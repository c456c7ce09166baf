from django import template

from rewards.settlement.selectors import euros

register = template.Library()


@register.filter
def cents_to_euros(cents: int):
    """For amounts in cents: {{ settlement.amount_cents|cents_to_euros|floatformat:"2g" }}."""
    return euros(cents)
