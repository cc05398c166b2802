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
    # A goal's ladder in the coach's digest: rungs climbed (partly done counts half) of all.
    "climbed": "12,5",
    "rungs": 24,
    # An appointment read back with a long title and place, as the dialogue keeps them.
    "appointment": "ke 30.12. klo 10.30, sosiaalityöntekijä, Hervannan terveysasemalla",
    "phone": "+358 40 123 4567",
    # The appointment a reminder's choices name, in their payloads.
    "id": 12345,
    "lines": "\n".join(["ke 30.12. klo 10.30, sosiaalityöntekijä"] * 3),
    # A client's goal and step words as a message quotes them: at most 80 characters.
    "goal": "Haluan saada päivärytmin kuntoon ja päästä kuntouttavaan työtoimintaan kevää...",
    "step": "Soitan maanantaina kuntouttavan työtoiminnan ohjaajalle ja kysyn paikoista...",
}
