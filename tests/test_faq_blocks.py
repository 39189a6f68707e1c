"""The FAQ page's StreamField blocks: anchors are filled in and unique, every question has an answer."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.pages.models import FAQPage
from tests.content import question, section


@pytest.fixture
def body_block():
    return FAQPage._meta.get_field("body").stream_block


def clean(body_block, *sections):
    return body_block.clean(body_block.to_python(list(sections)))


def anchors(value) -> list[str]:
    return [q["anchor"] for child in value for q in child.value["questions"]]


def test_blank_anchors_are_made_from_the_question_and_kept_unique(body_block):
    value = clean(
        body_block,
        section("FAQ", question("Waarom nu?"), question("Kan ik de beelden weer verwijderen?")),
        section("FAQ", question("Waarom nu?"), question("Wat als ik iets wil melden?", anchor="melden")),
    )
    assert anchors(value) == ["waarom-nu", "kan-ik-de-beelden-weer-verwijderen", "waarom-nu-2", "melden"]


def test_an_anchor_given_by_an_editor_is_kept(body_block):
    value = clean(body_block, section("FAQ", question("Waarom nu?", anchor="waarom-18-november")))
    assert anchors(value) == ["waarom-18-november"]


def test_duplicate_anchors_are_refused(body_block):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean(
            body_block,
            section("FAQ", question("Waarom nu?", anchor="nu"), question("Waarom vandaag?", anchor="nu")),
            section("FAQ", question("Wat nu?", anchor="melden"), question("Waar melden?", anchor="melden")),
        )
    assert caught.value.non_block_errors.as_data()[0].messages == [
        "Each question's anchor must be unique within the page; repeated: melden, nu"
    ]


def test_question_without_answer_is_refused(body_block):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean(body_block, section("FAQ", question("Waarom nu?", answer="")))
    question_errors = caught.value.block_errors[0].block_errors["questions"].block_errors[0]
    assert list(question_errors.block_errors) == ["answer"]
    with translation.override("en"):
        assert question_errors.block_errors["answer"].messages == ["This field is required."]


def test_anchor_must_be_a_slug(body_block):
    with pytest.raises(ValidationError) as caught:
        clean(body_block, section("FAQ", question("Waarom nu?", anchor="waarom nu?")))
    question_errors = caught.value.block_errors[0].block_errors["questions"].block_errors[0]
    assert list(question_errors.block_errors) == ["anchor"]


def test_section_needs_a_question(body_block):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean(body_block, section("FAQ"))
    errors = caught.value.block_errors[0].block_errors["questions"].non_block_errors.as_data()
    with translation.override("en"):
        assert [error.messages for error in errors] == [["The minimum number of items is 1"]]
