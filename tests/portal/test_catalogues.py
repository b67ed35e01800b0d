"""The message catalogues in locale/: complete, faithful to the source strings, and used by the pages."""

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import polib
import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.portal.factories import TenantFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
# Uzbek (and any other language) for strings Django itself ships untranslated: see portal/settings.py.
GAP_CATALOGUES = sorted(
    str(p.relative_to(LOCALE_DIR)) for d in settings.LOCALE_PATHS[1:] for p in Path(d).glob("*/LC_MESSAGES/*.po")
)
ALL_CATALOGUES = [f"{language}/LC_MESSAGES/django.po" for language in LANGUAGES] + GAP_CATALOGUES
DJANGO_DIR = Path(django.__file__).resolve().parent
# What makemessages must not look at: the virtualenv, runtime data, the benchmarks and the tests.
NOT_SCANNED = {".venv", "var", "bench", "tests", "locale", ".git", "node_modules", "__pycache__"}
# %(name)s / %(count)d / %s / %% (Python) and {name} (str.format) placeholders, and HTML tags.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr%]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def catalogue(language_or_path):
    path = language_or_path if language_or_path.endswith(".po") else f"{language_or_path}/LC_MESSAGES/django.po"
    return polib.pofile(str(LOCALE_DIR / path))


def django_translated_msgids(language):
    """Every msgid Django's own catalogues (core and contrib apps) translate for ``language``."""
    return {
        entry.msgid
        for po_path in DJANGO_DIR.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        for entry in polib.pofile(str(po_path)).translated_entries()
    }


def translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.fixture
def compiled_catalogues(settings):
    """The .mo files are build products (git-ignored): compile what changed, then make Django reload them."""
    call_command("compile_catalogues", stdout=io.StringIO())
    # Reassigning LOCALE_PATHS fires setting_changed, which empties Django's cache of loaded catalogues.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


@pytest.mark.parametrize("path", ALL_CATALOGUES)
def test_every_message_is_translated_and_none_is_fuzzy(path):
    po = catalogue(path)
    assert po.metadata["Language"] == Path(path).parts[-3]
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("path", ALL_CATALOGUES)
def test_plural_messages_have_every_form_of_the_language(path):
    po = catalogue(path)
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    for entry in po:
        if entry.msgid_plural and not entry.obsolete:
            assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgid


@pytest.mark.parametrize("path", ALL_CATALOGUES)
def test_translations_keep_the_placeholders_and_html_tags_of_the_source(path):
    mismatches = []
    for entry in catalogue(path).translated_entries():
        expected_tags = sorted(HTML_TAG.findall(entry.msgid))
        if not entry.msgid_plural:
            text = entry.msgstr
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(entry.msgid)):
                mismatches.append((entry.msgid, text))
            if sorted(HTML_TAG.findall(text)) != expected_tags:
                mismatches.append((entry.msgid, text))
            continue
        # A plural form may leave out the number ("the valid row"), as the English singular does, but
        # must use no name the code does not pass, and the forms together must use every one.
        allowed = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
        used = set()
        for text in translations(entry):
            used |= set(PLACEHOLDER.findall(text))
            if not set(PLACEHOLDER.findall(text)) <= allowed or sorted(HTML_TAG.findall(text)) != expected_tags:
                mismatches.append((entry.msgid, text))
        if used != allowed:
            mismatches.append((entry.msgid, sorted(used)))
    assert mismatches == []


@pytest.mark.parametrize("path", [p for p in ALL_CATALOGUES if Path(p).parts[-3] == "uz"])
def test_uzbek_is_written_with_the_modified_letter_turned_comma(path):
    """Official Latin orthography: oʻ, gʻ with U+02BB, the tutuq belgisi with U+02BC, never ASCII quotes."""
    for entry in catalogue(path).translated_entries():
        for text in translations(entry):
            assert not re.search(r"[oOgG]['‘’`]", text), text


@pytest.mark.parametrize("path", GAP_CATALOGUES)
def test_gap_catalogues_hold_only_what_django_leaves_untranslated(path):
    """Once Django translates a string itself, its own wording wins: the entry must leave the gap catalogue."""
    language = Path(path).parts[-3]
    assert {e.msgid for e in catalogue(path)} & django_translated_msgids(language) == set()


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
    django_po = polib.pofile(str(DJANGO_DIR / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"))
    required = django_po.find("This field is required.").msgstr
    assert catalogue(language).find("This field is required.") is None
    with translation.override(language):
        assert forms.CharField().error_messages["required"] == required
        assert required != "This field is required."


def test_every_string_django_leaves_untranslated_in_uzbek_is_covered():
    """Django's uz catalogues for forms, auth and the admin are incomplete; nothing of theirs shows in English."""
    covered = django_translated_msgids("uz")
    for path in ["uz/LC_MESSAGES/django.po", *GAP_CATALOGUES]:
        covered |= {e.msgid for e in catalogue(path).translated_entries()}
    source = set()
    for package in ["conf", "contrib/auth", "contrib/admin"]:
        source |= {e.msgid for e in polib.pofile(str(DJANGO_DIR / package / "locale/en/LC_MESSAGES/django.po"))}
    assert sorted(source - covered) == []


def test_password_rules_django_leaves_untranslated_in_uzbek_are_shown_in_uzbek(compiled_catalogues):
    from django.contrib.auth.password_validation import MinimumLengthValidator, NumericPasswordValidator

    with translation.override("uz"):
        assert NumericPasswordValidator().get_help_text() == "Parolingiz faqat raqamlardan iborat boʻlmasligi kerak."
        assert MinimumLengthValidator(10).get_help_text() == ("Parolingiz kamida 10 ta belgidan iborat boʻlishi kerak.")
