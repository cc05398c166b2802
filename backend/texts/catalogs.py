"""Loading the gettext catalogs of `locales/` straight from their `.po` files.

Compiling in memory at start-up means there is no `.mo` file to forget to rebuild: what is in
the `.po` file is what the client reads. A catalog that does not parse stops the start.

A language's texts may be split into several files by subject (`askel.po` for the dialogue's
basics, `appointments.po`, `digest.po`, ...); they are read as one catalog, and a message name
defined in two files stops the start too.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "askel"


def po_paths(locales_dir: Path, language: str) -> list[Path]:
    """The `.po` files that hold the texts of `language`, the main one first."""
    folder = locales_dir / language / "LC_MESSAGES"
    main = folder / f"{DOMAIN}.po"
    return [main, *sorted(path for path in folder.glob("*.po") if path != main)]


def read_catalog(locales_dir: Path, language: str) -> Catalog:
    """The texts of `language` from all its `.po` files, as one catalog."""
    paths = po_paths(locales_dir, language)
    with paths[0].open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN, abort_invalid=True)
    seen = {message.id: paths[0].name for message in catalog if message.id}
    for path in paths[1:]:
        with path.open("rb") as handle:
            part = read_po(handle, locale=language, domain=DOMAIN, abort_invalid=True)
        for message in part:
            if not message.id:
                continue  # the header
            if message.id in seen:
                raise ValueError(f"{message.id!r} is in both {seen[message.id]} and {path.name}")
            seen[message.id] = path.name
            catalog[message.id] = message
    return catalog


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
