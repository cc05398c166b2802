"""Long, realistic values for every placeholder of the catalog's texts, so that the tests that
measure a text (SMS segments, GSM-7) measure its worst case."""

LONG_VALUES: dict[str, object] = {
    "greeting": "Hyvää iltapäivää",
    "name": "Marja-Liisa",
    "client": "Marja-Liisa Korhonen-Virtanen",
    "morning": "klo 10.30",
    "evening": "klo 22.30",
    "messages": "1234 viestiä",
    "appointments": "12 tapaamista",
    "goals": "3 tavoitetta",
    "times": "aamuviesti klo 10.30, iltaviesti klo 22.30",
    "time": "klo 10.30",
    "first": "ma 30.11.",
    "last": "su 31.12.",
    "n": 1234,
}
