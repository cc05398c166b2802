"""STOP, ALOITA and VALIKKO are whole-message keywords, in any case, never part of a word."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.services.keywords import Keyword, keyword_of


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", Keyword.STOP),
        ("stop", Keyword.STOP),
        ("LOPETA", Keyword.STOP),
        (" Lopeta! ", Keyword.STOP),
        ("lopeta.", Keyword.STOP),
        ("ALOITA", Keyword.START),
        ("aloita", Keyword.START),
        ("Start", Keyword.START),
        ("VALIKKO", Keyword.MENU),
        ("valikko?", Keyword.MENU),
    ],
)
def test_keywords_in_any_case_with_punctuation(text: str, keyword: Keyword) -> None:
    assert keyword_of(text) is keyword


@pytest.mark.parametrize(
    "text",
    [
        "lopeta muistutukset huomiseen",
        "en halua lopettaa",
        "stoppi",
        "aloitan huomenna",
        "tulen",
        "",
        "   ",
        "1",
        "mitä valikossa on",
    ],
)
def test_sentences_and_other_words_are_not_keywords(text: str) -> None:
    assert keyword_of(text) is None


@given(st.text())
def test_keyword_of_never_raises(text: str) -> None:
    keyword_of(text)


@given(st.sampled_from(["stop", "lopeta", "aloita", "valikko"]), st.text(min_size=1))
def test_a_keyword_with_more_words_after_it_is_not_a_keyword(word: str, rest: str) -> None:
    if any(character.isalnum() for character in rest):
        assert keyword_of(f"{word} {rest}x") is None
