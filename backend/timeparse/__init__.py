"""Finnish time expressions in client messages: "torstaina klo 14" -> 2026-11-26T14:00.

Public API: :func:`parse_time` and :class:`ParsedTime`; :func:`read_time` also says which
parts (day, time of day) the words named.

Rules the parser follows (the contract the dialogue relies on)
---------------------------------------------------------------

* Hours are read literally on the 24-hour clock: "kahdelta" and "klo 3" are
  02:00 and 03:00, "puoli kolme" is 02:30.  Only a day-part word moves them:
  "iltapäivällä kahdelta" 14:00, "illalla kuudelta" 18:00, "päivällä kahdelta"
  14:00, "yöllä kahdelta" 02:00 (see :func:`.clock.apply_daypart`).  The parser
  does not guess afternoon for small hours; the dialogue asks when it matters.
* With ``prefer="future"`` a bare time is today if still ahead of now, else
  tomorrow; a weekday is the next one (today only when a time is given and is
  still ahead); a date without a year is this year's unless already past, then
  next year's; with a time, "past" means the moment ("23.11. klo 8" at 09:00
  on 23.11. is next year's).  ``prefer="past"`` mirrors this (at or before now).
* A bare number is an hour only with "klo"/"kello", a clock word ("10 aikaan",
  "10:ltä") or right after a day ("huomenna 10", "to 14"); "3 yöllä" alone is not.
* A weekday without a time never means today ("maanantaina" on a Monday is next
  Monday); a date without a year does ("23.11." on 23 November is today).
* "ensi maanantaina" is the next Monday strictly after today; "ensi viikon
  tiistaina" is the Tuesday of next ISO week (Monday-based); "tällä viikolla
  torstaina" and "viime viikon torstaina" are taken as written, even if past.
* Explicit days are taken as given whatever ``prefer`` says: "eilen klo 14",
  "tänään klo 8" (even when 08:00 has passed), "25.11.2026".
* Offsets: "viikon päästä" = today + 7 (date only unless a time is given),
  "kolmen päivän päästä", "kaksi päivää sitten"; "tunnin päästä" and
  "vartti sitten" are exact elapsed time and give a time of day.
* Two-digit years are 20xx ("25.11.26").  "10.10" alone is a date (10 October);
  after a named day ("huomenna 10.10") it is a time.  A range of days
  ("3.-5.12.", "klo 14-16") resolves to its start.
* Fixed-date holidays are dates: "jouluaattona" 24.12., "vappuna" 1.5.
* When a message names several times or days, the first one wins.

Deliberately None
-----------------

* Nothing time-like: "ei", "kiitos", "1000 euroa", "olen 25 vuotta", "3 kertaa".
* Impossible values: "31.2.", "29.2.2027", "klo 25", "klo 14.75"; the whole
  message is None rather than a guess around the bad part.
* A day talked about but not named: "joskus ensi viikolla", "ensi viikolla"
  (also with a time), "tällä viikolla", "ensi kuussa", "joulukuussa",
  "viikonloppuna", "parin päivän päästä", "muutaman päivän päästä",
  "kuukauden päästä", "vuoden päästä", and holidays whose date is not fixed
  or not single ("jouluna", "juhannuksena", "pääsiäisenä").
* "nyt", "heti", "pian" (no specific time), ordinal words ("kolmas
  joulukuuta") and number words above 59 are not recognised.
* Two-letter weekday abbreviations count only before a date, a time or a dot,
  after "ensi"/"viime", before a day part ("ke aamulla"; not "ma", as "ma aamulla" is
  as often "mä aamulla"), or as the whole message, since "ma" is also "mä" typed
  without ä.
"""

from .model import ParsedTime, Prefer
from .parser import Reading, parse_time, read_time

__all__ = ["ParsedTime", "Prefer", "Reading", "parse_time", "read_time"]
