"""Unanswered questions escalated to the support team, and the staff page that lists them."""
