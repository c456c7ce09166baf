"""What each kind of notification is: its default channel and whether its email is
about community activity (sent only with the member's consent for that purpose)."""

from dataclasses import dataclass

from notifications.models import Channel, Kind

CONSENT_PURPOSE = "email_notifications"
# Data keys starting with this are needed only for the email (a download link shown
# once): never shown in the app, kept only while an email is due.
SECRET_PREFIX = "secret_"  # noqa: S105 (a key prefix, not a password)
# A link the email gives instead of the usual one.
SECRET_URL = f"{SECRET_PREFIX}url"


@dataclass(frozen=True)
class Spec:
    default: str
    community: bool
    staff_only: bool = False


SPECS: dict[str, Spec] = {
    Kind.ANSWER: Spec(Channel.EMAIL, community=True),
    Kind.COMMENT: Spec(Channel.EMAIL, community=True),
    Kind.ACCEPTED: Spec(Channel.EMAIL, community=True),
    Kind.MENTION: Spec(Channel.EMAIL, community=True),
    Kind.FORUM_QUESTION: Spec(Channel.IN_APP, community=True),
    Kind.INVITE: Spec(Channel.EMAIL, community=True),
    Kind.REMINDER: Spec(Channel.EMAIL, community=True),
    Kind.MODERATION: Spec(Channel.EMAIL, community=False),
    Kind.EXPORT_READY: Spec(Channel.EMAIL, community=False),
    Kind.PAYOUT: Spec(Channel.EMAIL, community=False),
    Kind.ESCALATION: Spec(Channel.IN_APP, community=False, staff_only=True),
    # The brand's systems stop hearing from the community until someone acts: by email.
    Kind.WEBHOOK_DISABLED: Spec(Channel.EMAIL, community=False, staff_only=True),
}


def default_channel(kind: str) -> str:
    return SPECS[kind].default


def needs_consent(kind: str) -> bool:
    return SPECS[kind].community


def public_data(data: dict) -> dict:
    return {key: value for key, value in data.items() if not key.startswith(SECRET_PREFIX)}
