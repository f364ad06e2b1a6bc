"""Nobody reads or changes another person's data, proven for every URL under /journal/, /accounts/ and
/api/. The URL patterns and the user-owned models are discovered, so a future URL or model is covered
without editing this file (or the test fails and says what it needs)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from journal.models import (
    ApiToken,
    Factor,
    PendingImport,
    PushSubscription,
    SessionFactor,
    hash_token,
)

from .factories import ExperimentFactory, PracticeSessionFactory, RoutineFactory, UserFactory

OWNED_ID = 424242
SECRET = "OWNER-SECRET-NOTE"
PREFIXES = ("journal/", "accounts/", "api/")

# Pages anyone may open: logging in, signing up, resetting a password, and public API reference data.
PUBLIC = {
    "login",
    "logout",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "confirm_email",  # the key is the signed token in the address (tests/accounts)
    "api_schema",
    "api_docs",
}
PUBLIC_PREFIXES = (
    "api:point",
    "api:routine",
    "api:schema",
    "api:docs",
    "schema",
    "swagger",
    "redoc",
)


def owned_models():
    """Every model with a ForeignKey to the user (other than one-to-one profiles)."""
    for model in apps.get_models():
        if model._meta.app_label not in {"journal", "acupressure", "api"}:
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)
                and not isinstance(field, models.OneToOneField)
                and field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                yield model, field.name


def create_owned(owner) -> list[models.Model]:
    """One object of every user-owned model, all with the same primary key, owned by ``owner``."""
    created = []
    for model, user_field in owned_models():
        factory = OWNED_FACTORIES.get(model._meta.label)
        assert factory, f"add a factory for {model._meta.label} to OWNED_FACTORIES in {__file__}"
        created.append(factory(owner, user_field))
    return created


def _session(owner, user_field):
    return PracticeSessionFactory(pk=OWNED_ID, user=owner, notes=SECRET)


def _factor(owner, user_field):
    factor = Factor.objects.create(pk=OWNED_ID, owner=owner, name=SECRET)
    # On one of the owner's sessions too, so pages listing a session's factors are checked.
    session = PracticeSessionFactory(user=owner)
    SessionFactor.objects.create(session=session, factor=factor)
    return factor


def _routine(owner, user_field):
    return RoutineFactory(pk=OWNED_ID, owner=owner, title=SECRET)


def _api_token(owner, user_field):
    return ApiToken.objects.create(
        pk=OWNED_ID, user=owner, name=SECRET, prefix="aj_secret", key_hash=hash_token("owner-token")
    )


def _pending_import(owner, user_field):
    return PendingImport.objects.create(
        pk=OWNED_ID, user=owner, file_name="mine.csv", rows=[], report={"note": SECRET}
    )


def _experiment(owner, user_field):
    return ExperimentFactory(pk=OWNED_ID, user=owner)


def _push_subscription(owner, user_field):
    return PushSubscription.objects.create(
        pk=OWNED_ID,
        user=owner,
        endpoint=f"https://push.example.org/{SECRET}",
        p256dh="BOwner",
        auth="owner-auth",
    )


OWNED_FACTORIES = {
    "journal.Experiment": _experiment,
    "journal.PracticeSession": _session,
    "journal.Factor": _factor,
    "acupressure.Routine": _routine,
    "journal.ApiToken": _api_token,
    "journal.PendingImport": _pending_import,
    "journal.PushSubscription": _push_subscription,
}


def walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, route, ns)
        elif isinstance(entry, URLPattern) and entry.name and route.startswith(PREFIXES):
            yield f"{namespace}{entry.name}", entry


def private_patterns():
    seen = set()
    for name, pattern in walk(get_resolver()):
        if name in seen or name in PUBLIC or name.startswith(PUBLIC_PREFIXES):
            continue
        seen.add(name)
        yield pytest.param(name, pattern, id=name)


PATTERNS = list(private_patterns())


def arguments(pattern: URLPattern) -> list[str]:
    """The pattern's arguments: path() converters, or a regex's named groups (DRF routers)."""
    return list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)


def url_for(name: str, pattern: URLPattern) -> str:
    kwargs = {}
    for key in arguments(pattern):
        converter = pattern.pattern.converters.get(key)
        assert converter is None or type(converter).__name__ == "IntConverter", (
            f"{name}: teach test_isolation how to fill <{key}> with another user's object"
        )
        kwargs[key] = OWNED_ID
    return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def owner_data(db):
    owner = UserFactory(username="owner")
    objects = create_owned(owner)
    return owner, {
        obj._meta.label: type(obj).objects.filter(pk=obj.pk).values().get() for obj in objects
    }


def test_the_isolation_check_sees_the_journal_urls():
    names = {param.values[0] for param in PATTERNS}
    assert {
        "journal:list",
        "journal:detail",
        "journal:edit",
        "journal:delete",
        "journal:factor_list",
        "journal:factor_edit",
        "journal:factor_archive",
        "account_settings",
    } <= names


@pytest.mark.parametrize(("name", "pattern"), PATTERNS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_must_log_in(client, owner_data, name, pattern, method):
    url = url_for(name, pattern)
    response = getattr(client, method)(url)
    if url.startswith("/api/"):
        assert response.status_code in {401, 403}, url
    else:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize(("name", "pattern"), PATTERNS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_user_gets_404_and_changes_nothing(client, owner_data, name, pattern, method):
    owner, before = owner_data
    client.force_login(UserFactory(username="intruder"))
    url = url_for(name, pattern)
    response = getattr(client, method)(url)
    if arguments(pattern):
        if url.startswith("/api/") and response.status_code == 405:
            # The route has no such method at all (e.g. POST on a detail): the same answer as
            # for a missing id, so nothing is revealed.
            assert method.upper() not in response["Allow"], url
        else:
            assert response.status_code == 404, url
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET.encode() not in content, url
    for label, values in before.items():
        assert apps.get_model(label).objects.filter(pk=values["id"]).values().get() == values, url
