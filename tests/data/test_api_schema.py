"""The OpenAPI schema, the docs page, and schemathesis checking the API against the schema."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from journal.models import ApiToken
from tests.factories import PracticeSessionFactory, UserFactory


def test_schema_describes_the_api(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/factors/",
        "/api/v1/factors/{id}/",
        "/api/v1/insights/",
        "/api/v1/points/",
        "/api/v1/points/{slug}/",
        "/api/v1/sessions/",
        "/api/v1/sessions/{id}/",
    }
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    list_parameters = {p["name"] for p in schema["paths"]["/api/v1/sessions/"]["get"]["parameters"]}
    assert {"point", "area", "date_from", "date_to", "page", "page_size"} <= list_parameters


def test_docs_load_nothing_from_another_site(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page and "http://" not in page
    script = client.get("/api/docs/?script=").content.decode()
    assert "/api/schema/" in script


@pytest.fixture
def requests_keep_the_test_connection():
    """Requests through the real WSGI handler would close the database connection at their end,
    and with it the test's transaction; Django's own test client switches this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, guides, settings, requests_keep_the_test_connection):
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    user = UserFactory(username="schemathesis")
    PracticeSessionFactory.create_batch(3, user=user)
    _, raw = ApiToken.objects.issue(user, "schemathesis")
    return raw


# Generating the schema needs no database, so it is loaded once, when the tests are collected.
# (schemathesis.pytest.from_fixture would load it per test, but does not work with pytest 9.2.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_matches_its_schema_and_never_fails(case, token):
    # Schema-valid input can still break the journal's rules (an unknown point code, a time in
    # the future), so a 400 for it is right: that one check does not apply here.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance],
    )
