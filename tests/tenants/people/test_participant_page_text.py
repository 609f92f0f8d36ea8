"""The participant page is written in Python (`people/participant_page.py`): everything a
person or a broker typed reads there as text, never as markup, in both languages."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.people.services.consents import update_profile
from tenants.people.services.messages import notify_participant
from tenants.people.services.participants import ensure_sub_areas
from tenants.people.services.records import add_note

pytestmark = pytest.mark.django_db

MARKUP = "<b>x</b> & \"q\" 'a'"
AS_TEXT = "&lt;b&gt;x&lt;/b&gt; &amp; &quot;q&quot; &#x27;a&#x27;"


def test_what_people_typed_reads_as_text_on_the_page(cast, enrol) -> None:
    with tenant_context(cast.a.neighbourhood):
        (area,) = ensure_sub_areas(names=[f"Wijk {MARKUP}"])
    typed = {
        "display_name": f"Ans {MARKUP}",
        "full_name": f"Ans {MARKUP} Jansen",
        "street_address": f"Straat {MARKUP}",
        "postal_code": "1234 AB",
        "contact_person_name": f"Piet {MARKUP}",
        "contact_person_phone": "010 1234567",
    }
    someone = enrol(cast.a, consents=("registration", "self_reported"), sub_area=area, **typed)
    with tenant_context(cast.a.neighbourhood):
        update_profile(participant=someone, changed_by=cast.a.broker.user, gender="")
        add_note(participant=someone, author=cast.a.broker.user, text=f"Eerst {MARKUP}\nDan")
        notify_participant(
            participant=someone, subject=f"Over {MARKUP}", body=f"Tekst {MARKUP}", purpose="test"
        )
    client = cast.a.client(cast.a.broker)
    for language, heading in (("nl", "Contactgegevens"), ("en", "Contact details")):
        page = client.get(
            f"/broker/participants/{someone.pk}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert heading in page
        assert MARKUP not in page
        # name (title, heading), full name, address, sub-area, contact person, the note (page
        # and timeline), the held message's subject (twice) and body
        assert page.count(AS_TEXT) >= 11
        assert f"Eerst {AS_TEXT}<br>Dan" in page
