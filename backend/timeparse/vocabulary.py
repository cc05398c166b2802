"""Finnish calendar and clock vocabulary, as folded patterns (ä -> a, ö -> o).

Kept apart from the rules so that the words are easy to review with a Finnish
speaker without reading the logic.  Spellings include the colloquial and
mistyped forms clients write ("huomena", "tanaan", "ens viikolla").
"""

from __future__ import annotations

import re

from .facts import DayPart

MONTH_STEMS: tuple[str, ...] = (
    "tammi",
    "helmi",
    "maalis",
    "huhti",
    "touko",
    "kesa",
    "heina",
    "elo",
    "syys",
    "loka",
    "marras",
    "joulu",
)
_MONTH_ALT = "|".join(MONTH_STEMS)


def month_number(stem: str) -> int:
    """1-based month number of a stem from :data:`MONTH_STEMS`."""
    return MONTH_STEMS.index(stem) + 1


# "3. joulukuuta", "3.joulukuuta", "3 joulukuuta", "3. päivä joulukuuta", "3. jouluk."
DAY_FIRST_DATE_RE = re.compile(
    rf"(?<![0-9.,:])(?P<day>[0-9]{{1,2}})(?![0-9])\s{{0,3}}(?:\.\s{{0,3}})?(?:paiva(?:na)?\s+)?"
    rf"(?P<month>{_MONTH_ALT})(?:kuu[a-z]*|k\b\.?)"
    r"(?:(?:\s{0,3},\s{0,3}|\s{1,3})(?P<year>[0-9]{4})(?![0-9]))?"
)
# "joulukuun 3.", "joulukuun 3. päivä", "joulukuun 3 pv"
MONTH_FIRST_DATE_RE = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})kuun\s+(?P<day>[0-9]{{1,2}})(?![0-9])(?![.,:][0-9])\.?"
    r"(?:\s{0,3}(?:paiva[a-z]*|pv|pva)\b)?"
    r"(?:(?:\s{0,3},\s{0,3}|\s{1,3})(?P<year>[0-9]{4})(?![0-9]))?"
)
ISO_DATE_RE = re.compile(
    r"(?<![0-9])(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})(?![0-9])"
)
# "25.11.", "25.11", "25.11.2026", "25.11.26", and also "14.30" (a time).
DOTTED_RE = re.compile(
    r"(?<![0-9.,:/])(?P<a>[0-9]{1,2})\.(?P<b>[0-9]{1,2})"
    r"(?:(?P<dot>\.)(?P<year>[0-9]{4}|[0-9]{2})?)?(?![0-9])(?![.,:][0-9])"
)
# "3.-5.12.", "3-5.12.2026": a range of days in one month.
DATE_RANGE_RE = re.compile(
    r"(?<![0-9.,:/])(?P<first>[0-9]{1,2})\.?\s{0,2}-\s{0,2}(?P<last>[0-9]{1,2})\."
    r"(?P<month>[0-9]{1,2})(?:\.(?P<year>[0-9]{4}|[0-9]{2})?)?(?![0-9])(?![.,:][0-9])"
)
# "ensi kuun 3. päivä", "tämän kuun 25."
MONTH_SHIFT_DAY_RE = re.compile(
    r"\b(?:(?P<next>ensi|ens|seuraavan|tulevan)|(?P<this>taman|tan))\s+kuun\s+"
    r"(?P<day>[0-9]{1,2})(?![0-9])(?![.,:][0-9])\.?(?:\s*(?:paiva[a-z]*|pv|pva)\b)?"
)
# "25. päivä" (the next 25th)
DAY_OF_MONTH_RE = re.compile(
    r"(?<![0-9.,:])(?P<day>[0-9]{1,2})\s*\.\s*(?:paiva|paivana|paivaksi|paivaan|pv|pva)\b"
)

# Holidays on a fixed date, as (pattern, day, month); Easter and Midsummer move
# from year to year and are left to VAGUE_DAY_RE.
HOLIDAY_PATTERNS: tuple[tuple[re.Pattern[str], int, int], ...] = (
    (re.compile(r"\bjouluaat(?:to|toon|tona|oksi|osta|ton|olle|olla)\b"), 24, 12),
    (re.compile(r"\bjoulupaiva(?:na|ksi|an|n|lla)?\b"), 25, 12),
    (re.compile(r"\btapaninpaiva(?:na|ksi|an|n|lla)?\b"), 26, 12),
    (re.compile(r"\buudenvuodenaat(?:to|toon|tona|oksi|ton|olle|olla)\b"), 31, 12),
    (re.compile(r"\buudenvuodenpaiva(?:na|ksi|an|n|lla)?\b"), 1, 1),
    (re.compile(r"\bitsenaisyyspaiva(?:na|ksi|an|n|lla)?\b"), 6, 12),
    (re.compile(r"\bloppiai(?:nen|sena|seksi|sta|seen)\b"), 6, 1),
    (re.compile(r"\bvappuaat(?:to|toon|tona|oksi|ton|olle|olla)\b"), 30, 4),
    (re.compile(r"\b(?:vappu|vappuna|vapuksi|vappuun|vapun)\b"), 1, 5),
)

# Relative days, longest phrases first so "ylihuomenna" is not read as "huomenna".
RELATIVE_DAY_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\byli\s*huome+n+a*(?:kin|ki)?\b|\bylihuomis[a-z]*"), 2),
    (
        re.compile(
            r"\bhuome+n+a*(?:kin|ki|han|pa|aamulla|aamusta|illalla|iltapaivalla"
            r"|aamupaivalla|paivalla|yolla)?\b|\bhuomis[a-z]*|\bhuominen\b"
            r"|\bhuomen(?:aamu|ilta|paiva)[a-z]*"
        ),
        1,
    ),
    (
        re.compile(
            r"\btanaa?n(?:kin|ki|han)?\b|\btanaa\b|\btnaan\b"
            r"|\btana\s*(?:aamuna|iltana|paivana|iltapaivana|aamupaivana)\b"
        ),
        0,
    ),
    (
        re.compile(r"\btoissa\s*(?:paivana|paivan|paiva|iltana|aamuna|yona)\b|\btoissapaiv[a-z]*"),
        -2,
    ),
    (re.compile(r"\beilen(?:kin|ki)?\b|\beilis[a-z]+"), -1),
)

# Full weekday names in any inflection ("torstaina", "torstaihin", "torstai-iltana",
# "maanantaisin"), matched by stem; a few frequent misspellings are included.
WEEKDAY_RE = re.compile(
    r"\b(?P<stem>maanant|maanat|maananat|tiistai|tistai|tiisai|keskiviik|keskivik"
    r"|torstai|torstia|tostai|perjantai|perjantia|perjanati|lauantai|lauantia|launtai"
    r"|sunnuntai|sunnuntia|sununtai)[a-z]*"
)
_WEEKDAY_BY_PREFIX = {"maa": 0, "tii": 1, "tis": 1, "kes": 2, "tor": 3, "tos": 3}
_WEEKDAY_BY_PREFIX.update({"per": 4, "lau": 5, "sun": 6})


def weekday_of_stem(stem: str) -> int:
    """Weekday index (0 = Monday) of a stem matched by :data:`WEEKDAY_RE`."""
    return _WEEKDAY_BY_PREFIX[stem[:3]]


ABBREVIATIONS: dict[str, int] = {"ma": 0, "ti": 1, "ke": 2, "to": 3, "pe": 4, "la": 5, "su": 6}
_ABBR_ALT = "|".join(ABBREVIATIONS)
# Two-letter abbreviations are everyday letter pairs ("ma" is also the folded
# "mä", I), so they only count when what follows looks like a calendar entry:
# a dot, a clock word or a number, or another abbreviation ("ma-pe").
ABBREVIATION_RE = re.compile(
    rf"\b(?P<abbr>{_ABBR_ALT})\b(?=\s{{0,3}}(?:\.|(?:,\s{{0,3}})?(?:klo\b|kello\b|kl\b|[0-9])"
    rf"|-\s{{0,3}}(?:{_ABBR_ALT})\b))"
)
# "ke aamulla", "to iltapäivällä": a day part after an abbreviation makes it a day too. Not
# "ma", which is as often "mä" ("ma aamulla heräsin...").
ABBREVIATION_BEFORE_DAYPART_RE = re.compile(
    r"\b(?P<abbr>ti|ke|to|pe|la|su)\s{1,3}(?=(?:aamu|aamupaiva|iltapaiva|paiva|ilta|illa|yo)"
    r"[a-z]*\b)"
)
ABBREVIATION_AFTER_MODIFIER_RE = re.compile(
    rf"\b(?:ensi|ens|seuraava(?:na)?|tuleva(?:na)?|viime)\s+(?P<abbr>{_ABBR_ALT})\b"
)
# The whole message is just the abbreviation (used with fullmatch): an answer
# to "which day?".
ABBREVIATION_ALONE_RE = re.compile(rf"[\s.,:?!-]*(?P<abbr>{_ABBR_ALT})[\s.,:?!-]*")

# Words right before a weekday that change which one is meant.
NEXT_WEEKDAY_MODIFIER_RE = re.compile(r"\b(?:ensi|ens|seuraava(?:na)?|tuleva(?:na)?)\s*$")
LAST_WEEKDAY_MODIFIER_RE = re.compile(r"\b(?:viime|edellise(?:na)?|edellinen)\s*$")

# "ensi viikon", "ens viikolla", "tällä viikolla", "viime viikon"
WEEK_SHIFT_RE = re.compile(
    r"\b(?:(?P<next>ensi|ens|seuraava(?:n|lla)?|tuleva(?:n|lla)?)"
    r"|(?P<this>taman|talla|tama)|(?P<last>viime|edellise(?:n|lla)))"
    r"\s*viiko(?:n|lla|ll|lle)\b"
)

# "kolmen päivän päästä", "viikon päästä", "puolen tunnin kuluttua", "3 päivän päästä"
FUTURE_OFFSET_RE = re.compile(
    r"\b(?:(?P<count>[a-z]+|[0-9]{1,3})\s+)?"
    r"(?P<unit>paivan|vuorokauden|viikon|tunnin|minuutin|vartin|kuukauden|vuoden)"
    r"\s+(?:paasta|paahan|kuluttua|perasta)\b"
)
FUTURE_OFFSET_UNITS: dict[str, str] = {
    "paivan": "day",
    "vuorokauden": "day",
    "viikon": "week",
    "tunnin": "hour",
    "minuutin": "minute",
    "vartin": "quarter",
    "kuukauden": "vague",
    "vuoden": "vague",
}
# "viikko sitten", "kaksi päivää sitten", "tunti sitten"
PAST_OFFSET_RE = re.compile(
    r"\b(?:(?P<count>[a-z]+|[0-9]{1,3})\s+)?"
    r"(?P<unit>paivaa|paiva|vuorokausi|vuorokautta|viikkoa|viikko|tuntia|tunti"
    r"|minuuttia|minuutti|varttia|vartti|kuukautta|kuukausi|vuotta|vuosi)"
    r"\s+sitten\b"
)
PAST_OFFSET_UNITS: dict[str, str] = {
    "paivaa": "day",
    "paiva": "day",
    "vuorokausi": "day",
    "vuorokautta": "day",
    "viikkoa": "week",
    "viikko": "week",
    "tuntia": "hour",
    "tunti": "hour",
    "minuuttia": "minute",
    "minuutti": "minute",
    "varttia": "quarter",
    "vartti": "quarter",
    "kuukautta": "vague",
    "kuukausi": "vague",
    "vuotta": "vague",
    "vuosi": "vague",
}
# Counts that name no number: "parin päivän päästä" could be two days or four.
VAGUE_COUNTS = frozenset(
    {"parin", "pari", "paria", "muutaman", "muutama", "muutamaa", "usean", "useita", "monen"}
)

# Phrases that talk about a day without naming one.
VAGUE_DAY_RE = re.compile(
    r"\bjoskus\b|\blahipaivin[a-z]*|\blahiaikoina\b|\bviikonlopu[a-z]*|\bviikonloppuna\b"
    rf"|\b(?:{_MONTH_ALT})kuu(?:ssa|lla|hun|n|ta|sta|lle|ksi|)\b"
    r"|\b(?:ensi|ens|seuraava[a-z]*|tuleva[a-z]*|tama[a-z]*|talla|tassa|viime)\s*"
    r"(?:kuussa|kuun|kuulla|kuuksi|vuonna|vuoden|vuodeksi)\b"
    r"|\bkuun\s+(?:lopussa|alussa|puolivalissa|vaihteessa)\b"
    r"|\bjoulu(?:na|ksi|lla|n\s+aikaan|n\s+alla)\b|\bjuhannu[a-z]*|\bpaasiai[a-z]*"
)

KLO_WORDS = frozenset({"klo", "kello", "kl", "kelo", "kloo"})
HALF_WORDS = frozenset({"puoli", "puol"})
PAST_WORDS = frozenset({"yli", "ylitse"})
TO_WORDS = frozenset({"vaille", "vaile", "vailla", "valle", "vail", "vaila"})
QUARTER_WORDS = frozenset({"vartti", "varttia", "vartin", "varttii"})
# After a nominative or genitive hour: "kymmenen aikaan", "kahden maissa".
AROUND_WORDS = frozenset(
    {
        "aikaan",
        "aikoihin",
        "maissa",
        "maisssa",
        "paikkeilla",
        "paikkeille",
        "tienoilla",
        "tienoissa",
        "jalkeen",
        "jalkee",
        "pintaan",
    }
)
# After an illative hour: "kahteen mennessä", "kolmeen asti".
UNTIL_WORDS = frozenset({"mennessa", "menessa", "asti", "saakka"})
# After an elative hour: "kahdeksasta alkaen".
FROM_WORDS = frozenset({"alkaen", "lahtien", "eteenpain"})
# A colloquial ablative ending written after digits: "10:ltä", "10-lta".
ABLATIVE_SUFFIXES = frozenset({"lta", "lt", "l"})

# Words after a number that make it an amount, not an hour or a date.
UNIT_WORDS = frozenset(
    {
        "e",
        "eur",
        "euro",
        "euroa",
        "euron",
        "euroo",
        "snt",
        "senttia",
        "prosenttia",
        "prosentin",
        "kg",
        "kiloa",
        "km",
        "kilometria",
        "m",
        "metria",
        "cm",
        "mm",
        "v",
        "vuotta",
        "vuoden",
        "vuotias",
        "vuotiaana",
        "vee",
        "kertaa",
        "kerran",
        "krt",
        "kpl",
        "kappaletta",
        "tuntia",
        "tunnin",
        "h",
        "min",
        "minuuttia",
        "paivaa",
        "viikkoa",
        "kuukautta",
        "kk",
        "hakemusta",
        "tyopaikkaa",
        "henkea",
        "lasta",
        "sivua",
        "astetta",
        "l",
        "litraa",
        "g",
        "mg",
        "grammaa",
        "pistetta",
        "op",
        "s",
        "sekuntia",
    }
)
_UNIT_AFTER_RE = re.compile(r"\s{0,3}(?P<word>[a-z]+|€|%)")


def followed_by_unit(text: str, end: int) -> bool:
    """True when the number ending at ``end`` is an amount ("12.50 €", "3 kertaa")."""
    match = _UNIT_AFTER_RE.match(text, end)
    if match is None:
        return False
    word = match.group("word")
    return word in ("€", "%") or word in UNIT_WORDS


# Day-part words; compounds with a day ("huomisiltana", "maanantai-iltana") are
# recognised by their ending after an allowed prefix.
DAYPART_FORMS: tuple[tuple[str, DayPart], ...] = tuple(
    sorted(
        (
            ("iltapaivalla", DayPart.AFTERNOON),
            ("iltapaivasta", DayPart.AFTERNOON),
            ("iltapaivana", DayPart.AFTERNOON),
            ("iltapaivaksi", DayPart.AFTERNOON),
            ("aamupaivalla", DayPart.MORNING),
            ("aamupaivasta", DayPart.MORNING),
            ("aamupaivana", DayPart.MORNING),
            ("aamupaivaksi", DayPart.MORNING),
            ("aamuyolla", DayPart.MORNING),
            ("aamuyosta", DayPart.MORNING),
            ("aamulla", DayPart.MORNING),
            ("aamusta", DayPart.MORNING),
            ("aamuna", DayPart.MORNING),
            ("aamuksi", DayPart.MORNING),
            ("paivalla", DayPart.DAYTIME),
            ("illalla", DayPart.EVENING),
            ("illasta", DayPart.EVENING),
            ("iltana", DayPart.EVENING),
            ("illaksi", DayPart.EVENING),
            ("iltasella", DayPart.EVENING),
            ("yolla", DayPart.NIGHT),
            ("yosta", DayPart.NIGHT),
            ("yona", DayPart.NIGHT),
            ("yoksi", DayPart.NIGHT),
        ),
        key=lambda item: -len(item[0]),
    )
)
DAYPART_EXACT: dict[str, DayPart] = {"ip": DayPart.AFTERNOON, "ap": DayPart.MORNING}
DAYPART_PREFIXES = frozenset({"", "huomis", "huomen", "huomenna", "tana", "eilis", "toissa"})

# Words that are a time of day on their own.
NOON_RE = re.compile(r"\bkeskipaiva(?:lla|na|ksi|an|lle|sta|n\s+aikaan)?\b|\bpuolilta\s*paivin\b")
MIDNIGHT_RE = re.compile(
    r"\bkeskiyo(?:lla|na|ksi|hon|lle|sta|n\s+aikaan)?\b|\bpuolilta\s*oin\b"
    r"|\bpuolen\s+yon\b|\bpuoliyo(?:lla|na|sta|ksi|hon)?\b"
)
