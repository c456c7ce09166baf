import pytest

from insights.models import InsightsSettings
from moderation.models import ModerationSettings
from rewards.models import EconomySettings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [ModerationSettings, EconomySettings, InsightsSettings])
def test_the_one_row_of_settings_is_made_with_its_defaults_when_first_asked_for(model):
    model.objects.all().delete()

    first, again = model.load(), model.load()

    assert first.pk == again.pk == 1
    assert model.objects.count() == 1
