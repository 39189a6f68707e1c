"""Property-based tests (hypothesis) for the FAQ text parser and the opening-hours logic."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cms.importers.faq_text import FAQFormatError, parse_faq
from cms.opening_hours import OpeningInterval, is_open_at, validate_intervals

times = st.times().map(lambda t: t.replace(microsecond=0))
intervals = st.builds(OpeningInterval, weekday=st.integers(0, 6), opens=times, closes=times)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç", min_size=1, max_size=10)
sentence = st.lists(words, min_size=1, max_size=8).map(" ".join)


def brute_force_problems(candidates) -> bool:
    if any(interval.closes <= interval.opens for interval in candidates):
        return True
    return any(
        a.weekday == b.weekday and a.opens < b.closes and b.opens < a.closes
        for i, a in enumerate(candidates)
        for b in candidates[i + 1 :]
    )


@given(st.lists(intervals, max_size=6))
@settings(max_examples=300, deadline=None)
def test_validate_intervals_refuses_exactly_the_bad_sets(candidates):
    if brute_force_problems(candidates):
        with pytest.raises(ValidationError):
            validate_intervals(candidates)
    else:
        validate_intervals(candidates)


@given(
    st.lists(intervals, max_size=5),
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1)),
    st.sampled_from(["Europe/Brussels", "America/New_York", "Asia/Tokyo", "UTC"]),
)
@settings(max_examples=300, deadline=None)
def test_is_open_at_agrees_with_the_wall_clock(candidates, naive_moment, time_zone):
    moment = naive_moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    expected = any(
        i.weekday == local.weekday() and i.opens <= local.time().replace(tzinfo=None) < i.closes
        for i in candidates
    )
    assert is_open_at(intervals=candidates, time_zone=time_zone, moment=moment) is expected


faqs = st.lists(
    st.lists(
        st.tuples(
            sentence.map(lambda text: text.capitalize() + "?"), st.lists(sentence, min_size=1, max_size=3)
        ),
        min_size=1,
        max_size=4,
    ),
    min_size=1,
    max_size=3,
)


@given(faqs)
@settings(max_examples=200, deadline=None)
def test_a_well_formed_faq_parses_back_to_its_questions_and_answers(sections):
    text = "\n\n".join(
        "FAQ\n\n"
        + "\n\n".join(question + "\n\n" + "\n\n".join(paragraphs) for question, paragraphs in questions)
        for questions in sections
    )
    parsed = parse_faq(text)
    assert [[q.question for q in section.questions] for section in parsed.sections] == [
        [question for question, _ in questions] for questions in sections
    ]
    for section, questions in zip(parsed.sections, sections, strict=True):
        for parsed_question, (_, paragraphs) in zip(section.questions, questions, strict=True):
            assert parsed_question.answer_html == "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_text_is_parsed_or_refused_with_a_format_error(text):
    try:
        parsed = parse_faq(text)
    except FAQFormatError as error:
        assert str(error)
    else:
        assert parsed.questions
        assert all(question.answer_html for question in parsed.questions)
        assert all("<script" not in question.answer_html for question in parsed.questions)
