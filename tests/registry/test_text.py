import unicodedata

import pytest

from registry.text import fold, search_terms, vietnamese_slugify


def test_slug_of_the_le_loi_title_is_the_contract_example():
    assert (
        vietnamese_slugify("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")
        == "dam-bao-my-quan-do-thi-duong-hoa-le-loi"
    )


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("ĐƯỜNG ĐIỆN thắp sáng", "duong-dien-thap-sang"),
        ("Ngôi nhà trí tuệ", "ngoi-nha-tri-tue"),
        ("Ấp Ẩn Ằn Ẳn Ẵn Ặn ơ ư", "ap-an-an-an-an-an-o-u"),
        ("Quốc phòng – an ninh", "quoc-phong-an-ninh"),
        ("Hội Cựu chiến binh: “tổ tự quản” số 3", "hoi-cuu-chien-binh-to-tu-quan-so-3"),
    ],
)
def test_slug_is_ascii_and_readable_for_all_vietnamese_letters(text, slug):
    assert vietnamese_slugify(text) == slug


def test_slug_covers_every_vietnamese_vowel_with_every_tone():
    base = {"a": "aăâ", "e": "eê", "i": "i", "o": "oôơ", "u": "uư", "y": "y"}
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    for ascii_letter, vowels in base.items():
        for vowel in vowels + vowels.upper():
            for tone in tones:
                letter = unicodedata.normalize("NFC", vowel + tone)
                assert vietnamese_slugify(letter) == ascii_letter, letter


def test_fold_treats_both_unicode_spellings_alike():
    nfc = unicodedata.normalize("NFC", "Lê Lợi Đường")
    nfd = unicodedata.normalize("NFD", "Lê Lợi Đường")
    assert nfc != nfd
    assert fold(nfc) == fold(nfd) == "le loi duong"


def test_search_terms_are_folded_words_and_bounded():
    assert search_terms("  LÊ   lợi, đường! ") == ["le", "loi", "duong"]
    assert len(search_terms("từ " * 100)) == 10
    assert search_terms("") == []
    assert search_terms(None) == []
