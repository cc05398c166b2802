"""Every word a client or coach reads: gettext catalogs under `locales/`, rendered with Babel."""
