"""Helpers for the closing-the-loop tests."""

from datetime import timedelta

from django.utils import timezone

from community.models import Answer, Question


def age(post: Question | Answer, **delta) -> None:
    """Makes a post older, as if written `delta` ago."""
    type(post).objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(**delta))
