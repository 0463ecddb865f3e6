"""Login throttling (django-axes): five failed admin sign-ins lock a username out from that address for a while."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.html import page_text

PASSWORD = "correct horse battery"


def sign_in(client, username="editor", password=PASSWORD, **extra):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"}, **extra)


def fail(client, times, username="editor", **extra):
    return [sign_in(client, username, f"wrong password {n}", **extra) for n in range(times)]


@pytest.fixture
def limit(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    return settings.AXES_FAILURE_LIMIT


def test_the_fifth_failure_locks_the_username_out_with_a_clear_page(client, editor, limit):
    before = fail(client, limit - 1)
    assert all(response.status_code == 200 for response in before)
    assert "Please enter the correct username and password" in page_text(before[-1])

    locked = fail(client, 1)[0]
    assert locked.status_code == 429
    text = page_text(locked)
    assert "Sign-in paused" in text
    assert "Too many failed sign-ins for “editor” from your network: 5 in a row." in text
    assert "paused for 15 minutes" in text
    assert "Rare disease information: editors" in text  # the admin's own look, not a bare error

    # Even the right password is refused until the pause ends.
    refused = sign_in(client)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_from_that_address_only(client, editor, limit, django_user_model):
    fail(client, limit)
    assert sign_in(client).status_code == 429
    # The same username from another address signs in.
    assert sign_in(Client(), REMOTE_ADDR="192.0.2.44").status_code == 302
    # Another username from the same address signs in.
    django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)
    assert sign_in(Client(), "other").status_code == 302


def test_after_the_cool_off_the_right_password_works_again(client, editor, limit):
    fail(client, limit)
    assert sign_in(client).status_code == 429
    attempt = AccessAttempt.objects.get(username="editor")
    attempt.attempt_time -= timedelta(minutes=16)
    attempt.save()
    assert sign_in(client).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, editor, limit):
    fail(client, limit - 1)
    assert sign_in(client).status_code == 302
    client.logout()
    assert all(response.status_code == 200 for response in fail(client, limit - 1))


def test_behind_the_proxy_the_client_address_comes_from_x_forwarded_for(client, editor, limit, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    # Addresses the client wrote itself (left of the proxy's) do not make it someone else.
    for n in range(limit):
        sign_in(client, "editor", f"wrong {n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7", **proxy)
    assert sign_in(client, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    # Another client behind the same proxy is not locked out.
    assert sign_in(Client(), HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy).status_code == 302
