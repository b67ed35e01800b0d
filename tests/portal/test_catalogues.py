"""The message catalogues in locale/: complete, faithful to the source strings, and used by the pages."""

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.factories import TenantFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
DJANGO_LOCALE_DIR = Path(forms.__file__).resolve().parent.parent / "conf" / "locale"
# What makemessages must not look at: the virtualenv, runtime data, the benchmarks and the tests.
NOT_SCANNED = {".venv", "var", "bench", "tests", "locale", ".git", "node_modules", "__pycache__"}
# %(name)s / %(count)d / %s (Python) and {name} (str.format) placeholders, and HTML tags.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def catalogue(language):
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.fixture
def compiled_catalogues(settings):
    """The .mo files are build products (git-ignored): compile what changed, then make Django reload them."""
    call_command("compile_catalogues", stdout=io.StringIO())
    # Reassigning LOCALE_PATHS fires setting_changed, which empties Django's cache of loaded catalogues.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    assert po.metadata["Language"] == language
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(language):
    po = catalogue(language)
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    for entry in po:
        if entry.msgid_plural and not entry.obsolete:
            assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_html_tags_of_the_source(language):
    mismatches = []
    for entry in catalogue(language).translated_entries():
        expected_placeholders = sorted(set(PLACEHOLDER.findall(entry.msgid)))
        expected_tags = sorted(HTML_TAG.findall(entry.msgid))
        for text in translations(entry):
            if (
                sorted(set(PLACEHOLDER.findall(text))) != expected_placeholders
                or sorted(HTML_TAG.findall(text)) != expected_tags
            ):
                mismatches.append((entry.msgid, text))
    assert mismatches == []


def test_uzbek_is_written_with_the_modified_letter_turned_comma():
    """Official Latin orthography: oʻ, gʻ with U+02BB, the tutuq belgisi with U+02BC, never ASCII quotes."""
    for entry in catalogue("uz").translated_entries():
        for text in translations(entry):
            assert not re.search(r"[oOgG]['‘’`]", text), text


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge")),
    reason="GNU gettext (xgettext, msguniq, msgmerge) is not installed; makemessages cannot run",
)
def test_makemessages_finds_no_string_missing_from_the_catalogues(tmp_path):
    source = Path(settings.BASE_DIR)
    tree = tmp_path / "tree"
    shutil.copytree(source, tree, ignore=lambda directory, names: [n for n in names if n in NOT_SCANNED])
    (tree / "locale").mkdir()
    made = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "--no-obsolete",
         "--ignore=.venv", "--ignore=var", "--ignore=bench", "--ignore=tests"],
        cwd=tree, capture_output=True, text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(tree / "locale/en/LC_MESSAGES/django.po"))}
    for language in LANGUAGES:
        committed = {(e.msgctxt, e.msgid) for e in catalogue(language) if not e.obsolete}
        assert sorted(extracted - committed, key=str) == [], f"run makemessages and translate ({language})"


@pytest.mark.django_db
def test_tenant_home_is_in_azerbaijani_by_default_and_in_russian_after_switching(client, compiled_catalogues):
    TenantFactory(slug="azersu", name="Azersu", country_code="AZ", default_language="az")
    page = client.get("/azersu/")
    assert '<html lang="az">' in page.text
    assert "<h1>Azersu elektron xidmətləri</h1>" in page.text

    switched = client.post("/azersu/i18n/setlang/", {"language": "ru", "next": "/azersu/"})
    assert switched.status_code == 302

    page = client.get("/azersu/")
    assert '<html lang="ru">' in page.text
    assert "<h1>Электронные услуги: Azersu</h1>" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("uz", "<h1>Azersu elektron xizmatlari</h1>"), ("en", "<h1>E-services of Azersu</h1>")]
)
def test_tenant_home_in_uzbek_and_english(client, tenant, compiled_catalogues, language, heading):
    client.post("/azersu/i18n/setlang/", {"language": language, "next": "/azersu/"})
    assert heading in client.get("/azersu/").text


@pytest.mark.parametrize("language", ["az", "ru", "uz"])
def test_django_messages_come_from_django_own_catalogues(language, compiled_catalogues):
    """Forms' default errors and auth/admin strings are not copied into locale/: Django ships them."""
    django_po = polib.pofile(str(DJANGO_LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    required = django_po.find("This field is required.").msgstr
    assert catalogue(language).find("This field is required.") is None
    with translation.override(language):
        assert forms.CharField().error_messages["required"] == required
        assert required != "This field is required."
