"""The GDPR registry (core.gdpr): every model that refers to a member is exported and
erased, or says why not, and privacy finds each app's pieces without naming the app."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps
from django.utils.functional import Promise

from accounts.models import User
from core import gdpr

ROOT = Path(settings.BASE_DIR)


class Throwaway(models.Model):
    """A test-only model: a subclass defined under isolate_apps is in no real app."""

    class Meta:
        abstract = True
        app_label = "privacy"

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


@pytest.fixture
def empty_registry(monkeypatch):
    """A registry with nothing registered, for checking gaps() on fabricated models."""
    monkeypatch.setattr(gdpr, "_registry", gdpr._Registry())
    monkeypatch.setattr(gdpr, "_discovered", True)


def test_every_model_that_refers_to_a_member_is_exported_and_erased_or_says_why_not():
    assert gdpr.gaps() == []


def test_the_walk_sees_the_libraries_models_and_the_ones_without_a_foreign_key():
    walked = {m._meta.label for m in apps.get_models() if gdpr.member_fields(m)}

    assert walked >= {
        "account.EmailAddress",
        "socialaccount.SocialAccount",
        "mfa.Authenticator",
        "admin.LogEntry",
        "sessions.Session",  # session_data
        "billing.LocalCredit",  # customer_number
        "accounts.User",  # email
        "community.KudosChange",
    }


@isolate_apps("privacy")
def test_a_new_model_with_a_foreign_key_to_members_fails_naming_it_and_what_to_add(
    empty_registry,
):
    class Wish(Throwaway):
        member = models.ForeignKey(User, on_delete=models.CASCADE)
        text = models.TextField()

    [problem] = gdpr.gaps([Wish])

    assert problem.startswith("privacy.Wish refers to a member (member)")
    assert "add to privacy/gdpr.py" in problem
    assert "gdpr.exporter(..., models=[Wish])" in problem
    assert "gdpr.not_exported(Wish, reason=...)" in problem
    assert "gdpr.eraser(..., models=[Wish])" in problem
    assert "gdpr.retained(Wish, reason=...)" in problem


@isolate_apps("privacy")
def test_a_personal_field_without_a_foreign_key_counts_as_referring_to_a_member(
    empty_registry,
):
    class Receipt(Throwaway):
        customer_number = models.CharField(max_length=20)

    class Counter(Throwaway):
        day = models.DateField()

    assert [p.split(" (")[0] for p in gdpr.gaps([Receipt, Counter])] == [
        "privacy.Receipt refers to a member"
    ]


@isolate_apps("privacy")
def test_an_exporter_alone_is_not_enough(empty_registry):
    class Wish(Throwaway):
        member = models.ForeignKey(User, on_delete=models.SET_NULL, null=True)

    gdpr.exporter("wishes.json", "Your wishes.", order=1, models=[Wish])(lambda user: [])

    [problem] = gdpr.gaps([Wish])

    assert "gdpr.eraser(..., models=[Wish])" in problem
    assert "gdpr.exporter" not in problem


@isolate_apps("privacy")
def test_an_exporter_and_an_eraser_or_reasons_cover_a_model(empty_registry):
    class Wish(Throwaway):
        member = models.ForeignKey(User, on_delete=models.SET_NULL, null=True)

    class Note(Throwaway):
        member = models.ForeignKey(User, on_delete=models.SET_NULL, null=True)

    gdpr.exporter("wishes.json", "Your wishes.", order=1, models=[Wish])(lambda user: [])
    gdpr.eraser(order=1, models=["privacy.Wish"])(lambda user: None)
    gdpr.not_exported(Note, reason="Staff's notes.")
    gdpr.retained(Note, reason="Kept for the audit.")

    assert gdpr.gaps([Wish, Note]) == []


@isolate_apps("privacy")
def test_an_eraser_the_member_may_choose_does_not_count_as_erasure(empty_registry):
    class Post(Throwaway):
        author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True)

    gdpr.exporter("posts.json", "Your posts.", order=1, models=[Post])(lambda user: [])
    gdpr.eraser(order=1, models=[Post], option=gdpr.DELETE_POSTS)(lambda user: None)

    assert "gdpr.retained(Post, reason=...)" in gdpr.gaps([Post])[0]
    assert [e.option for e in gdpr.erasers()] == []
    assert [e.option for e in gdpr.erasers(options={gdpr.DELETE_POSTS})] == [gdpr.DELETE_POSTS]


@isolate_apps("privacy")
def test_deleted_with_member_needs_a_cascade(empty_registry):
    class Wish(Throwaway):
        member = models.ForeignKey(User, on_delete=models.SET_NULL, null=True)

    gdpr.not_exported(Wish, reason="Nothing personal.")
    gdpr.deleted_with_member(Wish)

    [problem] = gdpr.gaps([Wish])

    assert problem.startswith("privacy.Wish is declared deleted_with_member, but no foreign key")


def test_a_declaration_that_names_no_installed_model_fails(empty_registry):
    gdpr.retained("community.Wsh", reason="A typo.")

    assert gdpr.gaps([]) == [
        "community.wsh is declared in a gdpr.py but is not an installed model."
    ]


def test_two_exporters_cannot_write_the_same_file(empty_registry):
    gdpr.exporter("votes.json", "Your kudos.", order=1)(lambda user: [])

    with pytest.raises(ValueError, match=r"Two exporters write 'votes\.json'"):
        gdpr.exporter("votes.json", "Your kudos again.", order=2)(lambda user: [])


def test_the_export_keeps_its_files_in_their_order_with_translatable_descriptions():
    exporters = gdpr.exporters()

    assert [e.name for e in exporters] == [
        "profile.json",
        "social_logins.json",
        "consents.json",
        "questions.json",
        "answers.json",
        "comments.json",
        "revisions.json",
        "votes.json",
        "solved_too.json",
        "follows.json",
        "customer_accounts.json",
        "customer_number_problems.json",
        "points_ledger.json",
        "settlements.json",
        "bounties.json",
        "badges.json",
        "household_signals.json",
        "flags.json",
        "moderation_decisions.json",
        "appeals.json",
        "standing.json",
        "notifications.json",
        "notification_preferences.json",
        "invitations.json",
        "contact_requests.json",
        "avatar/",
    ]
    assert all(isinstance(e.describes, Promise) for e in exporters)


def test_the_erasure_keeps_its_steps_in_their_order():
    steps = [e.erase.__name__ for e in gdpr.erasers(options={gdpr.DELETE_POSTS})]

    assert steps == [
        "threads_changed",
        "votes_erase",
        "solved_too_pseudonymise",
        "follows_erase",
        "posts_erase",
        "exports_erase",
        "rewards_erase",
        "customer_links_erase",
        "moderation_erase",
        "contact_erase",
        "event_post_texts_erase",
        "events_scrub",
        "admin_log_scrub",
        "sessions_erase",
        "avatar_erase",
        "email_addresses_erase",
    ]


def test_every_reason_is_listed_in_the_privacy_docs():
    docs = (ROOT / "docs" / "privacy.md").read_text().lower()

    declared = {label for reasons in gdpr.reasons().values() for label in reasons}

    assert sorted(label for label in declared if f"`{label}`" not in docs) == []


def _other_apps_modules(path: Path) -> set[str]:
    """The modules of project apps other than privacy that a module imports at run time
    (imports under `if TYPE_CHECKING:` are for type checkers only)."""
    project = {c.name for c in apps.get_app_configs() if Path(c.path).parent == ROOT}
    tree = ast.parse(path.read_text())
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for statement in block.body
        for node in ast.walk(statement)
    }
    modules = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return {m for m in modules if m.split(".")[0] in project - {"privacy"}}


def test_the_export_and_the_erasure_name_no_app_for_its_data():
    # What is left are explicit calls of another app's service, not lists of its data:
    # the "your export is ready" notification, revoking the API tokens when an erasure is
    # requested, and telling the brand's systems (webhooks) that a member is erased.
    assert _other_apps_modules(ROOT / "privacy" / "export" / "services.py") == {
        "notifications.kinds",
        "notifications.models",
        "notifications.services",
    }
    assert _other_apps_modules(ROOT / "privacy" / "erasure" / "services.py") == {
        "accounts.tokens.services",
        "branding",
        "webhooks.events",
    }
