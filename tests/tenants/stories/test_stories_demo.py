"""The demo: each demo neighbourhood gets a published story with both consents, and a few
residents with a digest, through the services."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.outreach.models import DigestPreference
from tenants.stories.models import Story
from tenants.stories.selectors import people_with_consent
from tijdvoorelkaar.quickstart.demo_data import add_demo_content

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_story_with_consent_and_digest_readers(cast) -> None:
    with tenant_context(cast.b.neighbourhood):
        add_demo_content(cast.b.neighbourhood)
        story = Story.objects.get()
        assert story.published_at is not None
        assert all(named.consent for named in people_with_consent(story))
        assert DigestPreference.objects.exclude(frequency="never").count() == 3
