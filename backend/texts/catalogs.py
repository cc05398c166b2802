"""Loading the gettext catalogs of `locales/` straight from their `.po` files.

Compiling in memory at start-up means there is no `.mo` file to forget to rebuild: what is in
the `.po` file is what the client reads. A catalog that does not parse stops the start.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "askel"


def po_path(locales_dir: Path, language: str) -> Path:
    """Where the catalog of `language` lives."""
    return locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(locales_dir: Path, language: str) -> Catalog:
    """The parsed `.po` catalog of `language`."""
    with po_path(locales_dir, language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN, abort_invalid=True)


def load_translations(locales_dir: Path, language: str) -> Translations:
    """Translations for `language`, compiled from its `.po` file in memory.

    Fuzzy entries are left out, as `msgfmt` does: a fuzzy text was never checked by a person.
    """
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(locales_dir, language), use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


class Catalogs:
    """The loaded translations of every language, keyed by language code."""

    def __init__(self, locales_dir: Path, languages: tuple[str, ...] = ("fi",)) -> None:
        self.default_language = languages[0]
        self._translations = {lang: load_translations(locales_dir, lang) for lang in languages}

    def get(self, language: str | None) -> Translations:
        """The translations for `language`, or the default language's when there are none."""
        return self._translations.get(language or "", self._translations[self.default_language])
