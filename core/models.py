"""Abstract models that apps build on (an abstract model needs no installed app)."""

from typing import Self

from django.db import models


class SingletonSettings(models.Model):
    """Settings kept in one row (pk=1), edited by community managers in the admin."""

    class Meta:
        abstract = True

    @classmethod
    def load(cls) -> Self:
        """The row, created with the fields' defaults the first time it is asked for."""
        return cls._default_manager.get_or_create(pk=1)[0]
