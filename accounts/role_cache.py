"""A signed-in member's groups and permissions, kept in the cache between requests.

Every page asks who the member is (roles.is_staff_member for the second factor, the
moderators' tools, the staff menu): three queries each time (their groups, their own
permissions, their groups' permissions) for answers that almost never change. They are
kept per member under a site-wide version that any change of groups or permissions
replaces (the receivers below), so a moderator whose role is taken away loses it on
their next request. The user row itself is read fresh each time: being active or a
superuser takes effect at once (a superuser's entry is kept apart).

Without Redis every read misses and the queries run as before; a change made meanwhile
is not lost (core.cache forgets every key once Redis is back)."""

from uuid import uuid4

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import User

VERSION_KEY = "roles:version"
TIMEOUT = 24 * 3600


def _key(user) -> str:
    return f"roles:{user.pk}"


def attach(user):
    """`user` with their groups and permissions set from the cache, or read and kept
    there on a miss. Returns `user` (a visitor as is)."""
    if not user.is_authenticated:
        return user
    found = cache.get_many([VERSION_KEY, _key(user)])
    version, kept = found.get(VERSION_KEY), found.get(_key(user))
    if kept and kept["version"] == version and kept["superuser"] == user.is_superuser:
        user._peerdesk_groups = kept["groups"]
        user._user_perm_cache = kept["user_perms"]
        user._group_perm_cache = kept["group_perms"]
        return user
    if version is None:
        version = uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)  # another process may have been first
    _read(user)
    cache.set(_key(user), _entry(user, version), TIMEOUT)
    return user


def _read(user) -> None:
    """What ModelBackend and accounts.roles read on first use, read now (three queries)."""
    from accounts import roles

    roles._group_names(user)
    user.get_all_permissions()


def _entry(user, version: str) -> dict:
    return {
        "version": version,
        "superuser": user.is_superuser,
        "groups": user._peerdesk_groups,
        "user_perms": getattr(user, "_user_perm_cache", set()),
        "group_perms": getattr(user, "_group_perm_cache", set()),
    }


def forget_all() -> None:
    """Every member's entry stops counting: the next request of each reads them again."""
    cache.set(VERSION_KEY, uuid4().hex, None)


def _changed() -> None:
    """At once, and again at commit: a request that read the old roles before the
    commit must not keep them under the new version."""
    forget_all()
    transaction.on_commit(forget_all)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def _memberships_changed(action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _changed()


@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
@receiver(post_save, sender=Permission)
@receiver(post_delete, sender=Permission)
def _roles_changed(**kwargs) -> None:
    _changed()
