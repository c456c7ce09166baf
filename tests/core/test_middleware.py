import pytest

from tests.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/f/{forum}/?tag=%00", "/search/?q=a&forum=%00", "/search/?q=rou%00ter", "/?%00=1"],
)
def test_a_nul_byte_in_a_pages_query_is_dropped_not_a_500(client, url):
    question = make_question()

    response = client.get(url.format(forum=question.forum.slug))

    assert response.status_code == 200


def test_a_nul_byte_in_a_posted_form_is_a_400(member_client, other_member):
    question = make_question()

    response = member_client.post(f"/invite/{question.pk}/", {"invitee": "Bob\x00"})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_the_api_names_the_field_instead(api_client):
    response = api_client.get("/api/v1/questions/", {"forum": "a\x00b"})

    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"
