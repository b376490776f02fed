"""The project sets up with two commands: its checks pass, migrations match the models, settings come from the env."""

import importlib.util
import io

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

SETTINGS_FILE = settings.BASE_DIR / "claimtracker" / "settings.py"


def _settings_module():
    """The settings module the test run itself uses."""
    import claimtracker.settings

    return claimtracker.settings


@pytest.fixture
def fresh_settings(monkeypatch):
    """Execute settings.py again, as a separate module, under the environment the test sets."""
    monkeypatch.setenv("ENV_FILE", "/nonexistent/.env")  # the local .env must not leak into these tests
    for name in ["DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_CONN_MAX_AGE"]:
        monkeypatch.delenv(name, raising=False)

    def load():
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def test_the_system_checks_pass():
    call_command("check", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_a_postgres_database_url_selects_postgresql(fresh_settings, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 50)
    monkeypatch.setenv("DATABASE_URL", "postgres://claims:secret@db.example.org:5433/claimtracker")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "60")

    database = fresh_settings().DATABASES["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"], database["USER"]) == (
        "db.example.org",
        5433,
        "claimtracker",
        "claims",
    )
    assert database["CONN_MAX_AGE"] == 60


def test_without_a_database_url_the_project_uses_sqlite_in_the_project(fresh_settings, monkeypatch):
    monkeypatch.setenv("DEBUG", "1")

    database = fresh_settings().DATABASES["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(settings.BASE_DIR / "db.sqlite3")


def test_production_without_a_secret_key_refuses_to_start(fresh_settings, monkeypatch):
    monkeypatch.setenv("DEBUG", "0")

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        fresh_settings()


def test_production_settings_are_hardened(fresh_settings, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "claims.example.org, www.claims.example.org")

    production = fresh_settings()

    assert production.DEBUG is False
    assert production.ALLOWED_HOSTS == ["claims.example.org", "www.claims.example.org"]
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE and production.SECURE_SSL_REDIRECT


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)]
)
def test_a_boolean_setting_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)

    assert _settings_module().env_bool("SOME_FLAG") is expected


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_boolean_setting_with_a_bad_value_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)

    with pytest.raises(ImproperlyConfigured, match=f"SOME_FLAG must be a boolean .*not '{value}'"):
        _settings_module().env_bool("SOME_FLAG")


@pytest.mark.parametrize("value", ["ten", "1.5", "3 minutes"])
def test_an_integer_setting_with_a_bad_value_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("SOME_NUMBER", value)

    with pytest.raises(ImproperlyConfigured, match=f"SOME_NUMBER must be an integer, not '{value}'"):
        _settings_module().env_int("SOME_NUMBER", 5)


def test_unset_or_empty_settings_take_their_defaults(monkeypatch):
    module = _settings_module()
    monkeypatch.delenv("SOME_NUMBER", raising=False)
    monkeypatch.setenv("SOME_EMPTY", "")

    assert module.env_int("SOME_NUMBER", 5) == 5
    assert module.env_int("SOME_EMPTY", 7) == 7
    assert module.env_bool("SOME_NUMBER", default=True) is True
    assert module.env_list("SOME_EMPTY", "a, b,,c") == []


def test_a_bad_value_in_the_environment_stops_the_settings_from_loading(fresh_settings, monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")

    with pytest.raises(ImproperlyConfigured, match="DEBUG must be a boolean"):
        fresh_settings()


def test_collectstatic_gathers_our_stylesheet_script_and_the_offline_api_docs(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", "--noinput", verbosity=0)

    assert (tmp_path / "css" / "claimtracker.css").is_file()
    assert (tmp_path / "js" / "annotated-report.js").is_file()
    assert (tmp_path / "drf_spectacular_sidecar" / "swagger-ui-dist" / "swagger-ui-bundle.js").is_file()
    assert (tmp_path / "staticfiles.json").is_file()  # the manifest production serves hashed names from
