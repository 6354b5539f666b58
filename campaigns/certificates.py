"""The wording printed on a certificate (giấy khen).

A certificate says what the recipient is commended for in the words of an administrative
document: "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2023",
built from the campaign's title and period, followed by the achievement the official wrote
(``Commendation.reason``). A review round's title is the ward's internal name for a scoring
session and is never printed. A reason that already names the campaign is printed as written.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from registry.text import fold

from .models import Campaign, Commendation

_QUOTES = ("“", '"', "«")


@dataclass(frozen=True)
class CertificateWording:
    headline: str  # the sentence under the recipient's name
    achievement: str = ""  # the official's own words, when the headline is not them


def campaign_phrase(campaign: Campaign) -> str:
    """``phong trào thi đua “Dân vận khéo” năm 2023`` (or ``giai đoạn 2021 - 2025``)."""
    title = " ".join(campaign.title.split())
    if fold(title).startswith("phong trao"):
        phrase = title[0].lower() + title[1:]
    else:
        name = title if title.startswith(_QUOTES) else f"“{title}”"
        phrase = _("phong trào thi đua %(name)s") % {"name": name}
    start, end = campaign.starts_on.year, campaign.ends_on.year
    if str(start) in title or str(end) in title:
        return phrase
    if start == end:
        return _("%(campaign)s năm %(year)s") % {"campaign": phrase, "year": start}
    return _("%(campaign)s giai đoạn %(start)s - %(end)s") % {
        "campaign": phrase,
        "start": start,
        "end": end,
    }


def certificate_wording(commendation: Commendation) -> CertificateWording:
    """What the certificate of ``commendation`` says it is for (reads its round's campaign:
    select ``review_round__campaign`` with it)."""
    reason = commendation.reason.strip()
    review_round = commendation.review_round
    if review_round is None or "phong trao" in fold(reason):
        return CertificateWording(headline=reason)
    headline = _("Đã có thành tích xuất sắc trong %(campaign)s") % {
        "campaign": campaign_phrase(review_round.campaign)
    }
    return CertificateWording(headline=headline, achievement=reason)
