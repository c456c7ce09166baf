import pytest

from core.text import clean_text


def test_newline_and_tab_survive():
    assert clean_text("one\ttwo\nthree") == "one\ttwo\nthree"


def test_windows_and_old_mac_line_breaks_become_newlines():
    assert clean_text("one\r\ntwo\rthree\r\n\r\nfour") == "one\ntwo\nthree\n\nfour"


@pytest.mark.parametrize(
    "control",
    [*"\x00\x01\x02\x03\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f", *map(chr, range(0x80, 0xA0))],
)
def test_every_other_c0_and_c1_control_character_is_removed(control):
    assert clean_text(f"a{control}b") == "ab"


def test_printable_text_of_any_script_is_kept():
    text = "Grüße aus Köln \u2013 ½ € · 日本語 😀 \u00a0nbsp"

    assert clean_text(text) == text
