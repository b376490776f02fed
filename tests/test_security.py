"""Security basics: production settings pass `check --deploy`, cookies are secure, logins are rate-limited."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "test-pass-123"  # UserFactory's


def production_env(**overrides) -> dict[str, str]:
    """The documented production environment (.env.example, README), and no local `.env`."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.update(
        ENV_FILE=str(BASE_DIR / "no-such-env-file"),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="claims.example.org",
    )
    env.update(overrides)
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_no_warnings_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=production_env(SECRET_KEY=""))

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_session_and_csrf_cookies_are_secure_and_https_enforced_in_production():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000)"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="claimtracker.settings")

    result = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True)

    assert result.stdout.split() == ["True"] * 5, result.stderr


# Login rate limiting (django-axes) -----------------------------------------------------------------------


def admin_login(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_the_admin_login_refuses_even_the_right_password_after_too_many_failures(client, analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert admin_login(client, "ana", "guessed-wrong").status_code == 200  # the form again, with an error
    assert admin_login(client, "ana", "guessed-wrong").status_code == 429  # the last allowed failure locks

    response = admin_login(client, "ana", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_admin_login_still_lets_the_right_password_in_below_the_limit(client, analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        admin_login(client, "ana", "guessed-wrong")

    response = admin_login(client, "ana", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(analyst.pk)


@pytest.mark.django_db
def test_a_locked_out_username_does_not_lock_out_a_colleague_on_the_same_network(client, analyst, settings):
    UserFactory(username="colleague", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(client, "ana", "guessed-wrong")

    response = admin_login(client, "colleague", PASSWORD)

    assert response.status_code == 302


@pytest.mark.django_db
def test_behind_the_tls_proxy_a_lockout_holds_only_for_the_client_that_failed(client, analyst, settings):
    # What BEHIND_TLS_PROXY=1 sets: the client's address is the one the proxy forwards.
    settings.PROXY_COUNT = 1
    settings.AXES_CLIENT_IP_CALLABLE = "claimtracker.client_ip.client_ip"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "ana", "password": "guessed-wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            **proxy,
        )

    response = client.post(
        reverse("admin:login"), {"username": "ana", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
    )

    assert response.status_code == 302


def test_behind_the_tls_proxy_a_client_cannot_dodge_its_lockout_by_forging_forwarded_addresses(
    client, analyst, settings
):
    settings.PROXY_COUNT = 1
    settings.AXES_CLIENT_IP_CALLABLE = "claimtracker.client_ip.client_ip"
    for forged in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "ana", "password": "guessed-wrong"},
            # the client wrote the first address; the proxy appended the real one
            HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, 203.0.113.9",
            REMOTE_ADDR="10.0.0.1",
        )

    response = client.post(
        reverse("admin:login"),
        {"username": "ana", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9",
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 429
