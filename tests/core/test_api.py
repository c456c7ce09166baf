"""The API's shared declarations: error responses, pagination, objects by slug."""

import pytest
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from community.models import Forum
from core.api import ERRORS, ErrorSerializer, ObjectBySlugField, Pagination, responses


def test_every_operation_declares_406_and_the_codes_it_names():
    declared = responses({200: None}, 401, 404)

    assert sorted(declared) == [200, 401, 404, 406]
    assert declared[401].response is ErrorSerializer
    assert declared[404].description == ERRORS[404]


def test_a_module_words_a_code_its_own_way_without_declaring_more():
    declared = responses({200: None}, 404, described={404: "No such page of points.", 409: "x"})

    assert declared[404].description == "No such page of points."
    assert 409 not in declared


class ForumQuery(serializers.Serializer):
    forum = ObjectBySlugField(Forum, missing="There is no forum with this slug.", required=False)


@pytest.mark.django_db
def test_a_slug_gives_the_object(forum):
    query = ForumQuery(data={"forum": forum.slug})

    assert query.is_valid()
    assert query.validated_data["forum"] == forum


@pytest.mark.django_db
def test_an_unknown_slug_is_an_error_in_the_fields_words(forum):
    query = ForumQuery(data={"forum": "no-such-forum"})

    assert not query.is_valid()
    assert query.errors["forum"] == ["There is no forum with this slug."]


def test_the_slug_is_no_longer_than_the_models():
    assert ForumQuery().fields["forum"].max_length == Forum._meta.get_field("slug").max_length


def test_an_empty_page_number_is_a_404_like_any_junk():
    request = Request(APIRequestFactory().get("/", {"page": ""}))

    with pytest.raises(exceptions.NotFound):
        Pagination().paginate_queryset([1, 2, 3], request)
