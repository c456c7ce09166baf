"""The shapes of the hand-written demo content."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ForumSpec:
    slug: str
    name: str
    description: str
    weight: float  # share of the bulk-generated questions


@dataclass(frozen=True)
class Person:
    handle: str  # the local part of the login email; threads refer to people by it
    display_name: str
    role: str = ""  # one of accounts.roles, or "" for a member
    superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.handle}@example.com"


@dataclass(frozen=True)
class Reply:
    author: str
    body: str
    kudos: int = 0
    comments: tuple[tuple[str, str], ...] = ()  # (author, text)


@dataclass(frozen=True)
class Thread:
    forum: str
    language: str
    author: str
    days_ago: float
    title: str
    body: str
    tags: tuple[str, ...] = ()
    answers: tuple[Reply, ...] = ()
    accepted: int | None = None  # index into answers
    kudos: int = 0
    solved_too: int = 0  # marks by members first, then by anonymous visitors
