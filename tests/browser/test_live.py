"""A reader sees kudos and a new answer arrive without reloading (community.live)."""

import re

import pytest
from playwright.sync_api import expect

from community import services
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db(transaction=True)

LIVE_MS = 12_000  # the goal is 10 s: 4 s kept version + 5 s polling, and some slack


def test_kudos_and_a_new_answer_reach_an_open_thread(page, forum):
    question = make_question(forum=forum, title="Router blinks orange at night")
    answer = make_answer(question=question, body="Hold the reset button for ten seconds.")
    page.goto(question.get_absolute_url())
    count = page.locator(f"#answer-{answer.pk} .kudos-count")
    expect(count).to_have_text("Kudos: 0")
    expect(page.get_by_text("New answers were posted")).to_be_hidden()

    services.vote_cast(user=UserFactory(), post=answer)
    make_answer(question=question, body="Mine came back after a firmware update.")

    expect(count).to_have_text("Kudos: 1", timeout=LIVE_MS)
    notice = page.get_by_role("status").filter(has_text="New answers were posted")
    expect(notice).to_be_visible(timeout=LIVE_MS)
    notice.get_by_role("link", name="Show them").click()
    expect(page.get_by_text("Mine came back after a firmware update.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#answers$"))
