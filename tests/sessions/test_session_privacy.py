"""Lists and the admin never mix users' journals (per-URL isolation is in test_isolation.py)."""

from tests.factories import PracticeSessionFactory, UserFactory


def test_lists_never_mix_users(client, db):
    mine = PracticeSessionFactory(user=UserFactory(username="me"))
    PracticeSessionFactory(user=UserFactory(username="them"), notes="their secret")
    client.force_login(mine.user)
    response = client.get("/journal/")
    assert list(response.context["page"]) == [mine]
    assert "their secret" not in response.text


def test_admin_lists_sessions_for_staff_only(client, db):
    PracticeSessionFactory()
    client.force_login(UserFactory(username="plain"))
    assert client.get("/admin/journal/practicesession/").status_code == 302
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/journal/practicesession/").status_code == 200
