"""Personal data in a resident's text, found and masked before the text is published.

The one detector of the product: the workspace's and the admin's publish forms start from
``redact_feedback`` (the resident's text with each finding replaced by ``MASK``), and
``workflow.feedback_publish`` refuses a public text in which ``feedback_findings`` still finds
something, unless the official confirms it is not personal data. What it finds:

- phone numbers, Vietnamese style, in every common spelling: ``0987654321``, ``0987 654 321``,
  ``0987.654.321``, ``0987-654-321``, ``+84 987 654 321``, ``84987654321``, ``(+84) 98…``,
  ``(0237) 3852 123``; mobiles have 10 digits (0 + 3/5/7/8/9…), landlines and the old mobiles
  11 (02…, 01…); and the sender's own phone however it is written, even without its 0;
- e-mail addresses;
- CCCD (12 digits, starting with 0) and CMND (9 digits) numbers, and any 9 or 12 digits after
  "CMND", "CCCD", "căn cước", "chứng minh";
- house addresses: "nhà số 12", "số nhà 12", "ngõ 5", "ngách 3", "hẻm 12/4", "kiệt 45" always;
  a bare "số 88" or "nhà 88" when a street follows ("số 88 Lê Lợi", "số 12 đường …") and no
  document word precedes it ("Kế hoạch số 239", "Quyết định số 12" are not addresses). The
  street itself stays: the models are named after streets, the house number is what points
  at a household;
- names: the sender's own name (with or without diacritics, any case; a one-word name only
  where it is capitalised), and a capitalised name after "tôi là", "tên tôi là", "họ tên", or
  after ông/bà/anh/chị/chú/bác/cụ (two words at least, so "chị Hoa" and "bà con" stay).

Deliberately not personal data (the tests hold each one): quantities ("310 chậu", "2 km"),
dates (12/03/2023, 12.03.2023), years, money ("2.000.000 đồng", "150000000 đồng",
"84.500.000.000 đồng"), document numbers ("239-KH/TU"), and a residential group or quarter
("tổ 5", "khu phố 3"): a group of dozens of households is how the ward files models publicly
(``ResidentialArea``), it does not point at one household.

A detector is a help, not a guarantee: the official reads the text before publishing, and the
workflow records who confirmed a flagged text anyway.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Stored in the public text (data, not interface): never translated.
MASK = "[đã che]"

PHONE, EMAIL, ID_NUMBER, ADDRESS, NAME = "phone", "email", "id_number", "address", "name"
KIND_LABELS = {
    PHONE: _("số điện thoại"),
    EMAIL: _("địa chỉ thư điện tử"),
    ID_NUMBER: _("số CCCD/CMND"),
    ADDRESS: _("số nhà, ngõ, hẻm"),
    NAME: _("họ tên"),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self):
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Redaction:
    """A text with its personal data masked, and what was masked."""

    text: str
    findings: tuple[Finding, ...]


# --- phones, ID numbers ---------------------------------------------------------------------

# Digit groups joined by spaces, dots or dashes; the first may carry "+" or parentheses.
# Not after a digit, a digit and its decimal point, or a slash: the tail of a date or a
# decimal is no start.
_DIGIT_CHAIN = re.compile(
    r"(?<!\d[.,])(?<![\d/])(?:\(\s*\+?|\+)?\d+\)?"
    r"(?:(?:[ \u00a0.\-–]{1,3}|\s*\(\s*)\d+\)?)*(?![\d/])"
)
_GROUP = re.compile(r"\d+")
# 1.234.567 or 12 345 678: a grouped number (money, a count), never a phone unless it starts
# with 0 or "+".
_THOUSANDS = re.compile(r"\d{1,3}(?:[. \u00a0]\d{3})+")
_CURRENCY_AFTER = re.compile(
    r"\s*(?:đ\b|đồng|₫|vnđ|vnd|triệu|tr\b|nghìn|ngàn|tỷ|tỉ)", re.IGNORECASE
)
_ID_KEYWORD = re.compile(
    r"(?:cmnd|cccd|căn cước|chứng minh(?: nhân dân| thư)?|định danh)[^\d\n]{0,25}",
    re.IGNORECASE,
)


def _is_phone(digits: str, plus: bool) -> bool:
    """A Vietnamese number: mobiles 10 digits, landlines (02…) and old mobiles (01…) 11."""
    if digits.startswith("84") and (plus or len(digits) >= 11):
        national = digits[2:]
        national = national[1:] if national.startswith("0") else national  # "+84 (0) 98…"
        return _national_ok(national)
    if plus:
        return False
    return digits.startswith("0") and _national_ok(digits[1:])


def _national_ok(national: str) -> bool:
    if not national or national[0] == "0":
        return False
    if national[0] in "12":
        return len(national) == 10
    if national[0] in "46":
        return len(national) in (9, 10)
    return len(national) == 9


def _national(digits: str) -> str:
    """The number without its country code or leading 0: how the sender's phone is compared."""
    if digits.startswith("84") and len(digits) >= 11:
        digits = digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def _phones(text: str, own: set[str]) -> list[Finding]:
    found = []
    for chain in _DIGIT_CHAIN.finditer(text):
        raw = chain.group()
        plus_chain = "+" in raw[:3]
        amount = not plus_chain and not raw.startswith("0") and _THOUSANDS.fullmatch(raw)
        if amount and _national(re.sub(r"\D", "", raw)) not in own:
            continue  # 2.000.000, 84.500.000.000: an amount
        groups = [(chain.start() + g.start(), chain.start() + g.end(), g.group()) for g in
                  _GROUP.finditer(raw)]  # fmt: skip
        i = 0
        while i < len(groups):
            plus = plus_chain and i == 0
            digits, best = "", None
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > 13:
                    break
                if _is_phone(digits, plus) or (len(digits) >= 8 and _national(digits) in own):
                    best = j
            if best is None:
                i += 1
                continue
            start = chain.start() if i == 0 else groups[i][0]
            end = groups[best][1]
            if best == len(groups) - 1:
                end = chain.end()  # a closing parenthesis
            found.append(Finding(PHONE, start, end, text[start:end]))
            i = best + 1
    return found


def _id_numbers(text: str, taken: list[Finding]) -> list[Finding]:
    found = []
    for chain in _DIGIT_CHAIN.finditer(text):
        raw = chain.group()
        digits = re.sub(r"\D", "", raw)
        after = _CURRENCY_AFTER.match(text, chain.end())
        keyword = _ID_KEYWORD.search(text, max(0, chain.start() - 40), chain.start())
        near_keyword = keyword is not None and keyword.end() == chain.start()
        if len(digits) not in (9, 12) or after or "+" in raw:
            continue
        contiguous = raw.isdigit()
        cccd = len(digits) == 12 and digits.startswith("0")
        if near_keyword or (contiguous and len(digits) in (9, 12)) or cccd:
            found.append(Finding(ID_NUMBER, chain.start(), chain.end(), raw))
    return [f for f in found if not _overlaps(f, taken)]


# --- e-mail, addresses ----------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# A house, lane or alley number: a few digits (a longer number is an ID, a phone, an amount).
_HOUSE_NUMBER = r"\d{1,4}[a-zA-Z]?(?:\s*/\s*\d{1,4}[a-zA-Z]?)*(?!\d)"
_LANE_WORDS = "ngõ|ngách|hẻm|hẽm|kiệt"
_LANE = rf"(?:{_LANE_WORDS})"
# Always an address: the keyword says so.
_ADDRESS = re.compile(
    rf"(?<!\w)(?:nhà\s+số|số\s+nhà|căn\s+hộ(?:\s+số)?|{_LANE})\s*{_HOUSE_NUMBER}"
    rf"(?:\s*,?\s*{_LANE}\s*{_HOUSE_NUMBER})*",
    re.IGNORECASE,
)
# An address only when a street follows and no document word precedes it.
_BARE_NUMBER = re.compile(
    rf"(?<!\w)(?:số|nhà)\s+{_HOUSE_NUMBER}(?:\s*,?\s*{_LANE}\s*{_HOUSE_NUMBER})*", re.IGNORECASE
)
_STREET_WORD = re.compile(rf"\s*,?\s*(?:đường|phố|{_LANE_WORDS})(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"\s*,?\s*([^\W\d_]+)")
_DOCUMENT_BEFORE = re.compile(
    r"(?:kế hoạch|quyết định|công văn|thông báo|nghị định|nghị quyết|chỉ thị|tờ trình|"
    r"văn bản|biên bản|hoá đơn|hóa đơn|phiếu(?: thu| chi)?|mã|luật|thông tư|giấy|hợp đồng|"
    r"tài khoản|điện thoại|đt|sđt|mục|điều|khoản|trang|tổ|khu phố|phòng|tầng|lần|bàn|"
    r"đường|quốc lộ|tỉnh lộ|xe|tuyến|kênh|cổng|cửa|đứng|hạng|top)\s*$",
    re.IGNORECASE,
)


def _street_follows(text: str, end: int) -> bool:
    if _STREET_WORD.match(text, end):
        return True
    word = _WORD.match(text, end)
    return word is not None and word.group(1)[0].isupper()


def _addresses(text: str) -> list[Finding]:
    found = [Finding(ADDRESS, m.start(), m.end(), m.group()) for m in _ADDRESS.finditer(text)]
    for m in _BARE_NUMBER.finditer(text):
        finding = Finding(ADDRESS, m.start(), m.end(), m.group())
        if _overlaps(finding, found):
            continue
        if _DOCUMENT_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        if _street_follows(text, m.end()):
            found.append(finding)
    return found


# --- names ----------------------------------------------------------------------------------


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base if len(base) == 1 else c


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one (offsets stay valid)."""
    return "".join(_fold_char(c) for c in text)


_INTRO = re.compile(
    r"(?<!\w)(?:tôi là|tên tôi là|tên tôi|tôi tên(?: là)?|họ và tên|họ tên|người gửi)(?:\s*:)?",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(r"(?<!\w)(?:ông|bà|anh|chị|chú|bác|cụ)(?=\s)", re.IGNORECASE)
# Capitalised words that start an organisation or a place, not a person.
_NOT_A_PERSON = {
    "hội", "đoàn", "khu", "tổ", "ban", "uỷ", "ủy", "mặt", "phường", "đảng", "chi", "ubnd",
    "mttq", "trường", "chợ", "đường", "phố", "cầu", "công", "hợp", "xã", "thôn", "xóm",
}  # fmt: skip
_CAPITALISED = re.compile(r"[ \u00a0]+([^\W\d_]+)")


def _capitalised_run(text: str, end: int, most: int = 5) -> tuple[int, int]:
    """How many capitalised words follow ``end`` (separated by spaces), and where they end."""
    count, position = 0, end
    while count < most:
        word = _CAPITALISED.match(text, position)
        if word is None or not word.group(1)[0].isupper():
            break
        if count == 0 and word.group(1).lower() in _NOT_A_PERSON:
            break
        count, position = count + 1, word.end()
    return count, position


def _named(text: str) -> list[Finding]:
    found = []
    for trigger, least in ((_INTRO, 1), (_HONORIFIC, 2)):
        for m in trigger.finditer(text):
            count, end = _capitalised_run(text, m.end())
            if count >= least:
                start = _CAPITALISED.match(text, m.end()).start(1)
                found.append(Finding(NAME, start, end, text[start:end]))
    return found


def _own_names(text: str, names: Iterable[str]) -> list[Finding]:
    folded = fold(text)
    found = []
    for name in names:
        tokens = fold(name).split()
        variants = [(tokens, len(tokens) == 1)]
        if len(tokens) >= 3:
            variants.append((tokens[-2:], True))  # "Thị Hoa", written capitalised
        for words, must_be_capitalised in variants:
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
            for m in re.finditer(pattern, folded):
                if must_be_capitalised and not text[m.start()].isupper():
                    continue
                found.append(Finding(NAME, m.start(), m.end(), text[m.start() : m.end()]))
    return found


# --- together -------------------------------------------------------------------------------


def _overlaps(finding: Finding, others: Iterable[Finding]) -> bool:
    return any(finding.start < o.end and o.start < finding.end for o in others)


def find_personal_data(
    text: str, *, names: Iterable[str] = (), phones: Iterable[str] = ()
) -> list[Finding]:
    """Every piece of personal data in ``text`` (NFC-normalised first; the offsets are the
    normalised text's), in reading order, none inside another. ``names`` and ``phones`` are
    the sender's own, found however they are written."""
    text = unicodedata.normalize("NFC", text)
    own_phones = {_national(re.sub(r"\D", "", p)) for p in phones}
    own_phones = {p for p in own_phones if len(p) >= 8}
    found = _phones(text, own_phones)
    found += [Finding(EMAIL, m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
    found += _id_numbers(text, found)
    found += _addresses(text)
    found += _own_names(text, [n for n in names if n and n.strip()])
    found += _named(text)
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not any(k.start <= finding.start and finding.end <= k.end for k in kept):
            kept.append(finding)
    return kept


def redact(text: str, *, names: Iterable[str] = (), phones: Iterable[str] = ()) -> Redaction:
    """``text`` with each piece of personal data replaced by ``MASK``."""
    text = unicodedata.normalize("NFC", text)
    findings = find_personal_data(text, names=names, phones=phones)
    parts, position = [], 0
    for finding in findings:
        if finding.start < position:  # overlapping the previous one: masked with it
            position = max(position, finding.end)
            continue
        parts += [text[position : finding.start], MASK]
        position = finding.end
    parts.append(text[position:])
    return Redaction("".join(parts), tuple(findings))


def describe(findings: Iterable[Finding]) -> str:
    """“số điện thoại “0987 654 321”, số nhà, ngõ, hẻm “số 88””: for messages."""
    return ", ".join(f"{finding.label} “{finding.text}”" for finding in findings)


# --- a feedback item ------------------------------------------------------------------------


def _senders_own(feedback) -> dict:
    """The sender's name (unless they chose to show it: then it is public anyway) and phone."""
    names = [] if feedback.show_name else [feedback.name]
    return {"names": names, "phones": [feedback.phone]}


def feedback_findings(feedback, text: str) -> list[Finding]:
    """Personal data in ``text`` for this item, its sender's own name and phone included."""
    return find_personal_data(text, **_senders_own(feedback))


def redact_feedback(feedback) -> Redaction:
    """The suggested public text of an item: the resident's text, masked."""
    return redact(feedback.text, **_senders_own(feedback))
