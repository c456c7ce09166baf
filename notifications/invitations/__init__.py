"""Invite to answer: a member points a question out to another member (services, views)."""
