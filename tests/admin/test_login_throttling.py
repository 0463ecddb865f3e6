"""Login throttling (django-axes): five failed admin sign-ins lock a username out from that address for a while."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

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


@pytest.fixture
def address_limit(settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    return settings.AXES_ADDRESS_FAILURE_LIMIT


def test_spraying_a_few_passwords_across_many_usernames_locks_the_address(client, editor, limit, address_limit):
    tries = limit - 1  # under the limit for each username from this address
    usernames = [f"user{n}" for n in range(address_limit // tries)]
    responses = [response for username in usernames for response in fail(client, tries, username)]
    assert len(responses) == address_limit
    # Each failure before the address's limit is an ordinary refusal; the one that reaches it locks the address.
    assert all(response.status_code == 200 for response in responses[:-1])
    locked = responses[-1]
    assert locked.status_code == 429
    text = page_text(locked)
    assert f"Too many failed sign-ins from your network: {address_limit}, whatever the username." in text
    assert "paused for 15 minutes" in text
    # Every username is refused from this address now, even with the right password.
    assert sign_in(client).status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_address_locked_for_spraying_does_not_lock_another_address(client, editor, limit, address_limit):
    for n in range(address_limit // (limit - 1)):
        fail(client, limit - 1, f"user{n}")
    assert sign_in(client).status_code == 429
    assert sign_in(Client(), REMOTE_ADDR="192.0.2.44").status_code == 302


def test_failures_under_the_address_limit_leave_other_usernames_free(client, editor, limit, address_limit):
    fail(client, address_limit - 2, "user0")  # locks user0 (5 failures), and counts for the address
    assert sign_in(client, "user0", "again").status_code == 429
    assert sign_in(Client()).status_code == 302


def test_the_address_lock_ends_with_the_cool_off(client, editor, limit, address_limit):
    for n in range(address_limit // (limit - 1)):
        fail(client, limit - 1, f"user{n}")
    assert sign_in(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client).status_code == 302


def test_the_address_limit_is_read_from_the_environment():
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "AXES_ADDRESS_FAILURE_LIMIT": "7", "DJANGO_SETTINGS_MODULE": "gard.settings"}
    read = [
        sys.executable,
        "-c",
        "import django; django.setup(); from django.conf import settings as s; print(s.AXES_ADDRESS_FAILURE_LIMIT)",
    ]
    result = subprocess.run(read, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "7"
    env["AXES_ADDRESS_FAILURE_LIMIT"] = "many"
    refused = subprocess.run(read, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert refused.returncode != 0 and "AXES_ADDRESS_FAILURE_LIMIT must be a whole number" in refused.stderr
