"""Reads for the staff pages and for who hears of a switched-off endpoint."""

from datetime import datetime

from django.contrib.auth.models import Permission
from django.db.models import Count, Q, QuerySet

from accounts.models import User
from webhooks.models import Attempt, Delivery, Endpoint, Secret

MANAGE = "webhooks.change_endpoint"
VIEW = "webhooks.view_endpoint"


def endpoint_managers() -> QuerySet[User]:
    """Active members who may change endpoints: by a group, directly, or as superusers."""
    permission = Permission.objects.filter(
        content_type__app_label="webhooks", codename="change_endpoint"
    )
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
        .order_by("pk")
    )


def endpoint_list() -> QuerySet[Endpoint]:
    """Every endpoint with how many of its deliveries wait and how many failed."""
    return Endpoint.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__state=Delivery.State.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
    ).order_by("pk")


def deliveries_for(*, endpoint: Endpoint, state: str = "") -> QuerySet[Delivery]:
    """The endpoint's deliveries, newest first; of one state if `state` is one."""
    deliveries = Delivery.objects.filter(endpoint=endpoint).select_related("event")
    if state in Delivery.State.values:
        deliveries = deliveries.filter(state=state)
    return deliveries.order_by("-created_at", "-pk")


def attempts_of(delivery: Delivery) -> QuerySet[Attempt]:
    return delivery.attempt_log.order_by("started_at", "pk")


def valid_secrets(*, endpoint_id: int, now: datetime) -> QuerySet[Secret]:
    """The secrets requests are signed with: the current one first, then the one it
    replaced while its overlap lasts."""
    secrets = Secret.objects.filter(endpoint_id=endpoint_id).exclude(expires_at__lte=now)
    return secrets.order_by("-created_at", "-pk")
