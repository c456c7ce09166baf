"""The GDPR registry: what each app holds about a member, declared in the app's own
`gdpr.py`, so that the export (Art. 15, 20) and the erasure (Art. 17) in `privacy` loop
over it and name no app. The shape is Wagtail's hooks: `autodiscover()` imports every
installed app's `gdpr` submodule (privacy's AppConfig.ready calls it), and importing
one registers its pieces.

An app's gdpr.py::

    from core import gdpr

    @gdpr.exporter("votes.json", gettext_lazy("The kudos you gave."), order=20, models=[Vote])
    def vote_rows(user) -> Iterable[dict]: ...

    @gdpr.eraser(order=10, models=[Vote])
    def votes_erase(user) -> None: ...

    gdpr.deleted_with_member(KudosChange)  # on_delete=CASCADE does the erasing
    gdpr.not_exported(KudosChange, reason="...")
    gdpr.retained(Question, reason="...")

Every model that refers to a member (a foreign key to the user model, or a field named
in PERSONAL_FIELDS) must be exported (an exporter, or `not_exported` with the reason)
and erased (an eraser, `deleted_with_member`, or `retained` with the reason);
`gaps()` names each one that is not, and tests/privacy/test_gdpr_registry.py runs it
over every installed model. A model is named by its class or by "app_label.Model".

Order is explicit, as the export's files and the erasure's steps must not depend on
INSTALLED_APPS; ties keep the order of registration (an app's gdpr.py, top to bottom).

    export   0 profile.json (accounts)   40 rewards          90 avatar/ (accounts)
            10 consents (privacy)        50 moderation
            20 community                 60 notifications
            30 customer accounts         70 insights
    erasure 10 community                 40 customer links   70 accounts: admin log,
            20 privacy (export files)    50 moderation          sessions, avatar,
            30 rewards                   60 insights            email addresses
                                         65 webhooks (events)

After the last eraser the erasure deletes the member's row, which deletes what is
declared `deleted_with_member`. Every eraser runs inside that one transaction, before
it, and must be idempotent.
"""

import enum
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models as db_models
from django.utils.module_loading import autodiscover_modules

# How an erased member is named where a name must stay (the admin history).
DELETED_MEMBER = "Deleted member"
# The option a member may choose on erasure: delete their posts too.
DELETE_POSTS = "delete_posts"
# Field names that hold a member's data even without a foreign key to the user model.
# A new model with such a field must be declared like one with a foreign key.
PERSONAL_FIELDS = frozenset(
    {"email", "customer_number", "session_data", "phone", "ip", "ip_address", "user_agent"}
)

ModelRef = type[db_models.Model] | str


class Shape(enum.Enum):
    ROWS = "rows"  # the function yields dicts: a JSON array, streamed row by row
    DOCUMENT = "document"  # the function returns one dict: an indented JSON document
    FILES = "files"  # the function yields (name in the folder, opener of the binary file)


@dataclass(frozen=True)
class Exporter:
    name: str  # the file (or, for FILES, the folder ending in "/") in the zip
    describes: Any  # a lazy translation: the README's line about the file
    export: Callable[[Any], Any]
    order: int
    models: tuple[str, ...] = ()
    shape: Shape = Shape.ROWS


@dataclass(frozen=True)
class Eraser:
    erase: Callable[[Any], None]
    order: int
    models: tuple[str, ...] = ()
    option: str | None = None  # runs only when the member chose this option


@dataclass
class _Registry:
    exporters: list[Exporter] = field(default_factory=list)
    erasers: list[Eraser] = field(default_factory=list)
    deleted_with_member: set[str] = field(default_factory=set)  # labels
    not_exported: dict[str, str] = field(default_factory=dict)  # label -> reason
    retained: dict[str, str] = field(default_factory=dict)  # label -> reason


_registry = _Registry()
_discovered = False


def _label(model: ModelRef) -> str:
    return model.lower() if isinstance(model, str) else model._meta.label_lower


def _labels(models: Iterable[ModelRef]) -> tuple[str, ...]:
    return tuple(_label(model) for model in models)


def exporter(
    name: str,
    describes: Any,
    *,
    order: int,
    models: Iterable[ModelRef] = (),
    shape: Shape = Shape.ROWS,
) -> Callable[[Callable], Callable]:
    """Registers the decorated function(user) as the export's file `name`."""

    def register(function: Callable) -> Callable:
        if any(existing.name == name for existing in _registry.exporters):
            raise ValueError(f"Two exporters write {name!r} (the second in {function.__module__}).")
        _registry.exporters.append(
            Exporter(name, describes, function, order, _labels(models), shape)
        )
        return function

    return register


def eraser(
    *, order: int, models: Iterable[ModelRef] = (), option: str | None = None
) -> Callable[[Callable], Callable]:
    """Registers the decorated function(user) as a step of the erasure."""

    def register(function: Callable) -> Callable:
        _registry.erasers.append(Eraser(function, order, _labels(models), option))
        return function

    return register


def deleted_with_member(*models: ModelRef) -> None:
    """These rows go with the member's row (on_delete=CASCADE); gaps() checks that."""
    _registry.deleted_with_member.update(_labels(models))


def not_exported(*models: ModelRef, reason: str) -> None:
    """Deliberately left out of the export, and why."""
    for label in _labels(models):
        _registry.not_exported[label] = reason


def retained(*models: ModelRef, reason: str) -> None:
    """Deliberately kept after erasure (pseudonymised, or without the link to the member),
    and why: the law, another member's rights, the accountability of moderation."""
    for label in _labels(models):
        _registry.retained[label] = reason


def autodiscover() -> None:
    """Imports every installed app's gdpr module, once."""
    global _discovered
    if not _discovered:
        autodiscover_modules("gdpr")
        _discovered = True


def exporters() -> list[Exporter]:
    autodiscover()
    return sorted(_registry.exporters, key=lambda e: e.order)


def erasers(*, options: Collection[str] = ()) -> list[Eraser]:
    """The steps of one erasure, in order: those without an option and those whose option
    the member chose."""
    autodiscover()
    chosen = [e for e in _registry.erasers if e.option is None or e.option in options]
    return sorted(chosen, key=lambda e: e.order)


def reasons() -> dict[str, dict[str, str]]:
    """{"not_exported": {label: reason}, "retained": {label: reason}}, for the docs' test."""
    autodiscover()
    return {"not_exported": dict(_registry.not_exported), "retained": dict(_registry.retained)}


# The check -----------------------------------------------------------------------------


def _user_model_label() -> str:
    return settings.AUTH_USER_MODEL.lower()


def _to_member(f: Any) -> bool:
    """Whether the field relates to the user model."""
    related = getattr(f, "related_model", None)
    return (
        isinstance(related, type)
        and issubclass(related, db_models.Model)
        and related._meta.label_lower == _user_model_label()
    )


def member_fields(model: type[db_models.Model]) -> list[str]:
    """The fields by which a row of `model` refers to a member: relations to the user
    model, and fields named in PERSONAL_FIELDS."""
    return [
        f.name
        for f in model._meta.get_fields()
        # Reverse relations are skipped: the model they come from is checked on its own.
        if not (f.auto_created and not f.concrete)
        and (_to_member(f) or (f.concrete and f.name in PERSONAL_FIELDS))
    ]


def _cascades(model: type[db_models.Model]) -> bool:
    return any(
        _to_member(f) and getattr(f.remote_field, "on_delete", None) is db_models.CASCADE
        for f in model._meta.concrete_fields
    )


def _home(model: type[db_models.Model]) -> str:
    """Where the declaration goes: the model's app's gdpr.py, or for a model of a library
    (allauth, django.contrib), the gdpr.py of the app that uses it."""
    config = model._meta.app_config
    if config is not None and Path(config.path).parent == Path(settings.BASE_DIR):
        return f"{config.name}/gdpr.py"
    return "the gdpr.py of the app that uses it (accounts for login, sessions and the admin)"


def gaps(candidates: Iterable[type[db_models.Model]] | None = None) -> list[str]:
    """What is missing, one sentence per model: every model among `candidates` (default:
    every installed model) that refers to a member must be exported or declared
    not_exported, and erased, deleted_with_member or declared retained. Declarations
    that name no installed model, or claim a cascade that is not there, are gaps too."""
    autodiscover()
    candidates = list(apps.get_models() if candidates is None else candidates)
    installed = {m._meta.label_lower for m in apps.get_models()} | {
        m._meta.label_lower for m in candidates
    }
    exported = {label for e in _registry.exporters for label in e.models}
    # An optional eraser (delete my posts) does not erase what a member did not choose.
    erased = {label for e in _registry.erasers if e.option is None for label in e.models}
    # The member's own row is deleted by the erasure after every eraser.
    erased |= set(_registry.deleted_with_member) | {_user_model_label()}
    problems = []
    declared = (
        exported
        | {label for e in _registry.erasers for label in e.models}
        | set(_registry.deleted_with_member)
        | set(_registry.not_exported)
        | set(_registry.retained)
    )
    problems += [
        f"{label} is declared in a gdpr.py but is not an installed model."
        for label in sorted(declared - installed)
    ]
    by_label = {m._meta.label_lower: m for m in candidates}
    for label in sorted(set(_registry.deleted_with_member) & set(by_label)):
        if not _cascades(by_label[label]):
            problems.append(
                f"{by_label[label]._meta.label} is declared deleted_with_member, but no "
                "foreign key of it to the user model is on_delete=CASCADE: its rows outlive "
                "the member. Register an eraser for it instead."
            )
    for model in candidates:
        fields = member_fields(model)
        if not fields:
            continue
        label = model._meta.label_lower
        missing = []
        if label not in exported and label not in _registry.not_exported:
            missing.append(
                f"an exporter (gdpr.exporter(..., models=[{model.__name__}])) or "
                f"gdpr.not_exported({model.__name__}, reason=...)"
            )
        if label not in erased and label not in _registry.retained:
            missing.append(
                f"an eraser (gdpr.eraser(..., models=[{model.__name__}])), "
                f"gdpr.deleted_with_member({model.__name__}) or "
                f"gdpr.retained({model.__name__}, reason=...)"
            )
        if missing:
            problems.append(
                f"{model._meta.label} refers to a member ({', '.join(fields)}) but is "
                f"covered by no GDPR declaration; add to {_home(model)} "
                + " and ".join(missing)
                + "."
            )
    return problems
