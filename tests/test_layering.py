"""The layers: `sources` (reports, sources) stands on its own; `claims` builds on it, never the other way."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Django without the `claims` app: whatever `sources` imports must come from elsewhere.
WITHOUT_CLAIMS = """
import sys
import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=[
        "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
        "django.contrib.sessions", "django.contrib.messages", "simple_history", "sources",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
django.setup()
import sources.models, sources.querysets, sources.admin, sources.filtersets, sources.api.serializers
print(sorted(name for name in sys.modules if name == "claims" or name.startswith("claims.")))
"""


@pytest.mark.parametrize("code", [WITHOUT_CLAIMS], ids=["sources without claims installed"])
def test_sources_imports_no_claims_module(code):
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# What a business rule in the admin would look like: a status moved back, a version or timestamp compared, a row locked.
RULES = [
    r"return_to_review",
    r"SUBSTANTIVE_",
    r"\b(version|updated_at)\s*(==|!=|<|>)",
    r"(==|!=|<|>)\s*[\w.]*(version|updated_at)\b",
    r"filter\([^)]*\b(version|updated_at)\b",
    r"select_for_update",
]


@pytest.mark.parametrize("path", ["claims/admin/claims.py", "claims/admin/reports.py", "sources/admin.py"])
def test_the_admin_holds_no_business_rule(path):
    """Back to review, and the version and updated_at checks, live in the services, not in the admin."""
    text = (ROOT / path).read_text()

    assert [rule for rule in RULES if re.search(rule, text)] == []
