"""Rule-based detection of suicidal thoughts and self-harm in client messages.

This layer runs on every inbound message BEFORE, and independently of, the NLU model:
a crisis must never be missed because a statistical model guessed wrong. It is a
table of regular expressions over :func:`backend.safety.normalise.normalise` output
(lower case, a-z/0-9, ä→a, ö→o, å→o, single spaces), grouped by meaning.

Policy, in order of importance:

1. Recall over precision. When a message is ambiguous, the answer is the crisis reply.
   A needless crisis reply costs a moment of friction; a missed one can cost a life.
2. Mentions count. Any mention of suicide or self-harm matches, whatever the grammar:
   negated ("en oo ajatellu itsemurhaa"), past ("halusin kuolla"), third person
   ("kaveri tappo ittensä"), quoted, or in another language. People in crisis often
   approach the topic through exactly these forms, and the reply is a check-in, not an
   accusation. The only negation handled is where the negation IS the crisis
   ("en halua elää" matches; "haluun elää" does not).
3. Hyperbole is excluded narrowly. :data:`HYPERBOLE_RULES` is a short list of fixed
   everyday expressions ("kuolen tylsyyteen", "nauroin itseni kuoliaaksi", "ammuin
   itseäni jalkaan"). A crisis hit is dropped only if it lies entirely inside such an
   expression; any other crisis hit anywhere in the message still matches. So "kuolen
   tylsyyteen" alone does not match but "kuolen tylsyyteen, haluun kuolla" does.
4. Grief is not a crisis by itself ("isä kuoli viime vuonna"): no rule fires on
   someone else's death. It is a topic for the coach, handled downstream.
5. Precision still matters where a phrase is an everyday routine: a crisis reply to
   every "tää oli tässä, kiitti!" would teach clients to ignore it. Such phrases match
   only with a word of finality; each choice is listed in the tests with its reason.

Mechanics: the patterns see the normalised text with sentence ends kept as a marker
word (so "En jaksa enää. Meen nukkumaan." ends a sentence like a whole message would)
and with a leading space that every pattern starts from (see :func:`_compile`).

:class:`CrisisMatch.rule` is the stable name of the rule that fired, safe for logs; it
never contains any of the client's words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

from backend.safety.normalise import normalise

_log = logging.getLogger(__name__)

CrisisKind = Literal["suicide", "self_harm"]

# Returned if the detector itself fails: the safe failure of a safety check is the
# crisis reply, never silence.
FAIL_SAFE_RULE = "fail_safe_internal_error"


@dataclass(frozen=True)
class CrisisMatch:
    """A detected crisis: what kind, and which rule fired (never the client's text)."""

    kind: CrisisKind
    rule: str


@dataclass(frozen=True)
class CrisisRule:
    """One named crisis pattern over normalised text."""

    name: str
    kind: CrisisKind
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class HyperboleRule:
    """One named everyday expression whose span may veto crisis hits inside it."""

    name: str
    pattern: re.Pattern[str]


# --- Building blocks ------------------------------------------------------------------
#
# Patterns are written as raw strings in which <NAME> stands for one of the shared
# fragments below (expanded once, at import). Each rule is a tuple of alternatives; each
# alternative is one way of saying the thing, with its own word boundary.
#
# Normalised text has single spaces between words, so "up to N words in between" is
# (?:\w+ ){0,N}. \w cannot match a space, so each gap has exactly one way to match and
# the bounded repetition cannot backtrack catastrophically.

_FRAGMENTS: dict[str, str] = {
    "G1": r"(?:\w+ )?",
    "G2": r"(?:\w+ ){0,2}",
    "G3": r"(?:\w+ ){0,3}",
    "G4": r"(?:\w+ ){0,4}",
    # Reflexive object "oneself", standard and spoken: itseni, itseäni, itteni, itteeni,
    # ittiäni, ittäni, itsensä, ittensä, itseään, itsesi, ittes, itseä, typo ittein...
    # but NOT bare "itse"/"ite" ("teen itse" = I do it myself), "itsekin", "itsenäinen".
    "SELF": (
        r"i(?:(?:ts|tt|t)[ei]"
        r"(?:ni|nsa|si|s|mme|nne|in|a(?:ni|an|n|si|s|mme|nne|nsa)?|e(?:ni|nsa|si|s|mme|nne))"
        r"|(?:ts|tt)a(?:ni|nsa|si|s))(?:kin|kaan|han|pa)?\b"
    ),
    # "To die" as the speaker's goal: kuolla (also typed kuola/kuollaa), kuolisin,
    # kuolevani, spoken "mä kuolis", "olla kuollut".
    "DIE": (
        r"(?:kuol{1,2}a{1,2}|kuolisin(?:pa)?|kuolevani|(?:ma|mina|mie) kuolisi?"
        r"|olla kuoll(?:ut|u|eena|una))\b"
    ),
    # Desire, intent and attempt: haluta in all spoken forms and typos (haluun, hlauun,
    # hluun), tahtoa, tehdä mieli, aikoa, päättää, yrittää.
    "WANT": (
        r"(?:halu|hlau|haul|hluu|tahd|taht|taho|tekis mieli|tekisi mieli|tekee mieli"
        r"|teki mieli|mieli tekee|aio|aiko|paat|yrit)\w*"
    ),
    # Pills and the brand/slang names of medicines commonly overdosed on.
    "PILLS": (
        r"(?:piller|laakk|laake|tabu|tabl|nappe|nappi|napit|pame|pami|unilaak|buran|panadol"
        r"|panacod|parasetam|bentso|opamo|subu|mielialalaak|diapam|xanor|tramal|lyrica"
        r"|pregabal|ketipinor|mirtatsap|insuliini)\w*"
    ),
    # After "elää": "en halua elää velkaa / äidin kanssa / ilman kahvia" is about money,
    # housing or coffee, not about living. Deliberately narrow: "en halua elää tämän
    # kivun kanssa" and "en jaksa elää ilman sua" must still match.
    "NOT_LIVING_ARRANGEMENT": (
        r"(?! (?:velkaa|velassa|velaksi|velaks)\b)"
        r"(?! ilman (?:kahvia|kahvii|suklaata|karkkia|netflixia|puhelinta|kannykkaa|nettia"
        r"|musiikkia|autoa|saunaa)\b)"
        r"(?! (?:aidin|isan|mutsin|faijan|vanhempien|vanhempieni|kaverin|kamppiksen"
        r"|kamppikseni|siskon|veljen|poikaystavan|tyttoystavan|exan|exani|miehen|vaimon)"
        r" (?:kanssa|luona|nurkissa)\b)"
    ),
    "HARD_SURFACE": (
        r"(?:seina|lattia|poyta|ove|kaappi|peili|ikkuna|lavuaari|kaide|betoni|asfaltti)\w*"
    ),
    # Where everyday burns happen (for the accidental-burn veto).
    "BURN_PLACE": (
        r"(?:auringossa|aurinkoon|saunassa|kiukaaseen|kiukaalla|uunissa|uuniin|uunipelliin"
        r"|hellaan|hellalla|liedella|liesi\w*|kattilaan|kattilassa|kahviin|kahvilla|teehen"
        r"|teella|kuumaan\w*|silitysrau\w*|grilliin|grillissa|nuotiossa|nuotioon"
        r"|vahingossa)\b"
    ),
}

# Sentence ends are kept through normalisation as this marker word, so that "en jaksa
# enää. Meen nukkumaan." ends a sentence with "en jaksa enää" just as a whole message
# would. Digits keep it intact through normalise() and no Finnish word looks like it.
_SENTENCE_BREAK = "0eos0"
_SENTENCE_END = re.compile(r"[.!?;\n\r\u2026\u3002\uff01\uff0e\uff1f]+")
_FRAGMENTS["END"] = rf"(?= {_SENTENCE_BREAK}\b|$)"

_FRAGMENT_REF = re.compile(r"<([A-Z][A-Z0-9_]*)>")


def _compile(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    expanded = []
    for alternative in alternatives:
        # A misspelt <NAME> raises KeyError at import, so a broken table never ships.
        text = _FRAGMENT_REF.sub(lambda m: _FRAGMENTS[m.group(1)], alternative)
        if not text.startswith(r"\b"):
            raise ValueError(f"every alternative must start at a word: {alternative!r}")
        # The leading \b becomes a literal space (the text is matched with a space in
        # front, see _detect). A pattern that starts with a literal lets the regex engine
        # jump from space to space instead of trying every position: twice as fast on
        # long messages, same matches.
        expanded.append(f"(?: {text[2:]})")
    # re.ASCII: the text is ASCII after normalisation, and ASCII \w/\b are cheaper.
    return re.compile("|".join(expanded), re.ASCII)


def _rule(name: str, kind: CrisisKind, *alternatives: str) -> CrisisRule:
    return CrisisRule(name, kind, _compile(alternatives))


def _hyperbole(name: str, *alternatives: str) -> HyperboleRule:
    return HyperboleRule(name, _compile(alternatives))


# --- The crisis table -----------------------------------------------------------------
#
# Order matters only for which name is reported when several rules fire: the more
# explicit rules come first so that logs are informative.

CRISIS_RULES: tuple[CrisisRule, ...] = (
    # 1. Suicide words, any inflection, any grammatical context (policy 2).
    _rule(
        "suicide_word",
        "suicide",
        # itsemurha, itsmurha, itemurha, ittemurha, "itse murha", itsemurha-ajatuksia
        r"\bi[ts]{1,3}e?\s?mu(?:rh|hr|r)",
    ),
    _rule(
        "suicide_slang",
        "suicide",
        # itsari, itsaria, itari, ittari, itsaroida; not "itärintama", "itärinne"
        r"\bi[ts]{1,3}ar(?:i|o|ei|oi)(?!ntam|nne)\w*",
    ),
    _rule(
        "self_destructive_word",
        "suicide",
        # itsetuhoinen, itsetuhosia ajatuksia: the everyday Finnish word for suicidality
        r"\bi[ts]{1,3}e?\s?tuho",
    ),
    _rule(
        "suicide_loanword",
        "suicide",
        # suisidaalinen, suisidi, suicide, suicidal
        r"\bsu(?:i|ii)?[cs]id\w*",
    ),
    _rule("suicide_word_sv", "suicide", r"\bsjalvmord\w*"),
    # 2. Killing oneself, ending one's life.
    _rule(
        "kill_self",
        "suicide",
        # tappaa itseni/itteni/ittensä, tapan ite itteni, tappaisin itteni, tapan sut ja
        # sit itteni; not "tappelin", "tappio"
        r"\b(?:tapp(?!el|io)\w*|tapo\w*|tapan|tapat|tapet\w*) <G3><SELF>",
        # "tapa ittes", typo "tapaan itteni": no gap, since "tapa" is also the noun "way"
        # ("tapa ilmaista itseään")
        r"\b(?:tapa|tapaa|tapaan) <SELF>",
        # itsensä tappaminen, itteni tappamista
        r"\b<SELF> <G1>(?:tapp|tapo|tapam)\w*",
        # murhata itseni
        r"\bmurha\w* <G1><SELF>",
    ),
    _rule(
        "kill_me_first_person",
        "suicide",
        # "mä tapan mut": broken Finnish for "myself" (many clients are not native speakers)
        r"\b(?:tapan|tappaisin|tapoin) (?:mut|minut|minua|mua)\b",
        # "tappaa mut" alone is third person ("tää työ tappaa mut"); after a verb of
        # intent it is the speaker's own act
        r"\b(?:halu|aio|aiko|meinaa|yrit)\w* tappaa (?:mut|minut)\b",
    ),
    _rule(
        "self_to_death",
        "suicide",
        # juon itteni hengiltä/kuoliaaksi (vetoed for "nauroin itseni kuoliaaksi")
        r"\b<SELF> <G1>(?:hengilta|kuoliaaksi|kuoliaks|kuoliaksi)\b",
    ),
    _rule(
        "end_own_life",
        "suicide",
        # päättää päiväni/elämäni/päivänsä, päätän tän kaiken (vetoed for "päätin
        # päiväni saunaan")
        r"\bpaat\w* <G1>(?:paivani|paivansa|paivasi|paivat|elamani|elamansa|elamasi|eloni"
        r"|henkeni|(?:mun|minun|oman) (?:elaman|paivat|elamani)|(?:tan|taman|tama) kaiken)\b",
        # lopettaa kaiken / tän kaiken / elämäni / itteni (policy 1: "lopettaa kaiken"
        # matches; only "lopettaa kaiken juomisen" and the like are vetoed)
        r"\blopet\w* <G2>(?:kaiken|elamani|elamansa|(?:tan|taman|tama|oman|koko|mun) elaman"
        r"|<SELF>)\b",
        # teen lopun kaikesta / itsestäni; kaikesta lopun
        r"\b(?:te|tee|tek|teh)\w* <G2>(?:lopun|loppu) <G1>(?:kaikesta|elamastani|elamasta"
        r"|itsestani|itestani|ittestani|itsestaan|ittestaan)\b",
        r"\b(?:kaikesta|elamastani|itsestani|itestani|ittestani) <G1>(?:lopun|loppu)\b",
        # ottaa/riistää oman henkeni
        r"\b(?:ot|riist|vie|vien|vein)\w* <G1>(?:oma|oman|mun|minun) henk\w*",
    ),
    _rule(
        "do_something_to_self",
        "suicide",
        # "teen itelleni jotain" is the common euphemism for an attempt; "teen itelleni
        # jotain syötävää" is lunch
        r"\b(?:te|tee|tek|teh)\w* <G2>(?:itselleni|itelleni|ittelleni|itellen|itelle|itselle"
        r"|ittelle|itsellensa|itellensa|itselleen|itelleen|ittelleen|ittelles|itselles"
        r"|itsellesi) <G2>(?:(?:jotain|jotakin|jtn|jotai)\b(?! (?:ruoka|syot|safka|kiva|hyva"
        r"|mukava|evas|evai|juot|lampim|pien|iltapal|aamupal|lounas|kahvi|tee|ohjelma|uut"
        r"|hauska|herkku|makea|makee|pizza|leip|voileip|sapuska|murkina|paivallis|illallis"
        r"|kaunis|kaunii|helppo|tosi)\w*)|pahaa|vahinkoa|peruuttamatonta)",
    ),
    # 3. Wanting to die.
    _rule(
        "want_to_die",
        "suicide",
        # haluun kuolla, mä haluun vaan kuolla, haluisin kuolla pois, tekis mieli kuolla,
        # oon päättäny kuolla, halusin kuolla (past still matters), "en halua kuolla"
        # (ambivalence: policy 2)
        r"\b<WANT> <G3><DIE>",
        # "haluun kuolee" (spoken/typo infinitive) only right after the verb: with words
        # between, "haluun et se kuolee" is about someone else
        r"\b(?:halu|hlau|tahd|taht)\w* (?:vaan |vain |vaa )?kuol{1,2}e{1,2}\b",
        # kuolla haluun
        r"\bkuol{1,2}a{1,2} <G1>(?:haluun|haluan|haluaisin|haluisin|tahdon)\b",
    ),
    _rule(
        "wish_to_die",
        "suicide",
        # toivon et kuolisin, toivon kuolevani, toivoisin että kuolen pian; rukoilen et
        # kuolisin unissani, rukoilin jumalalta et kuolisin
        r"\b(?:toivo|rukoil|rukoel|rukkoil)\w* <G3>(?:<DIE>|kuolen\b|olisin kuoll\w*"
        r"|oisin kuoll\w*)",
        # kunpa kuolisin, kunpa olisin kuollut
        r"\b(?:kunpa|kumpa|kunpas|jospa|voi kun|voi ku|toivottavasti) <G2>(?:kuolisin|kuolen"
        r"|(?:ma|mina|mie) kuolis|(?:olisin|oisin|olisi|ois|olis) (?:jo )?kuoll\w*)\b",
        # kuolisinpa, olisinpa kuollut (vetoed in "kuolisinpa tylsyyteen")
        r"\bkuolisi(?:n|m)pa\b",
        r"\b(?:olisin|oisin)pa (?:jo )?kuoll\w*",
    ),
    _rule(
        "better_dead",
        "suicide",
        # ois parempi kuolla, parempi olla kuollut, parempi et mä kuolen, ois kiva kuolla
        r"\b(?:parempi|parempaa|parasta|helpompi|helpompaa|helpointa|mieluummin|mielummin"
        r"|mieluiten|ennemmin|kiva|ihana|ihanaa) <G3>(?:kuol{1,2}a{1,2}|olla kuoll\w*"
        r"|kuolisin|(?:ma|mina) kuol(?:is|en))\b",
        # mieluummin kuollut, kuolisin mieluummin (also "... kuin menisin sinne": kept as
        # a match, it explicitly prefers death)
        r"\b(?:parempi|paremmin|mieluummin|mielummin|mieluiten|ennemmin) (?:kuoll(?:ut|u"
        r"|eena|una)|kuolisin|kuolen)\b",
        r"\bkuol(?:isin|en) (?:mieluummin|mielummin|mieluiten|ennemmin)\b",
    ),
    _rule(
        "better_without_me",
        "suicide",
        # kaikilla ois parempi ilman mua, ilman mua ne pärjäis paremmin
        r"\b\w+(?:mpi|mpaa|mpia|mmin) <G2>ilman (?:mua|minua|minuu|meikaa)\b",
        r"\bilman (?:mua|minua|minuu) <G3>\w+(?:mpi|mpaa|mpia|mmin)\b",
        # ois parempi jos mua ei olis / jos en olis / jos kuolisin
        r"\b(?:parempi|parempaa|paremmin|helpompi|helpompaa|helpommin|parasta) <G4>jos"
        r" (?:(?:mua|minua|minuu) ei <G1>(?:olis|ois|olisi|ole|oo)|en <G1>(?:olis|ois|olisi"
        r"|olisikaan)|(?:ma |mina )?(?:kuolisin|katoisin|kuolis))\b",
        # jos mua ei olis, kaikilla ois helpompaa
        r"\bjos (?:mua|minua) ei <G1>(?:olis|ois|olisi) <G3>\w+(?:mpi|mpaa|mpia|mmin)\b",
    ),
    _rule(
        "death_wish",
        "suicide",
        # ajattelen kuolemaa, odotan vaan kuolemaa, toivon kuolemaa. The words in between
        # are a fixed list so that grief ("mietin mummon kuolemaa") does not match.
        # Also the verbal noun and spoken forms: ajattelen kuolemista koko ajan, aattelen
        # kuolemista, pohdin kuolemaa, haaveilen kuolemasta, mietin mun kuolemaa.
        r"\b(?:toivo|odot|kaipa|ajattel|aattel|ajatel|mieti|miet|pohd|poht|haavei|rukoil"
        r"|suunnittel|fantasio|fiilistel)\w* (?:(?:paljon|paljo|usein|vaan|vain|aina|taas|nyt"
        r"|jatkuvasti|koko ajan|koko aja|paivittain|omaa|oma|mun omaa|minun omaa|mun|minun"
        r"|vakavasti|joskus|enemman|yha|ihan|tosissani|vaa|niin|aika|tosi|todella|liikaa"
        r"|viime aikoina|nykyaan|jo) ){0,3}kuolem(?:a|aa|aan|aani|asta|ista|isesta|iseen"
        r"|iseni)?\b",
        # kuolemantoive, kuoleman ajatuksia; ajatuksia kuolemasta (no gap: "ajatuksia
        # isän kuolemasta" is grief)
        r"\bkuoleman\s?(?:ajatu|ajatt|toive|toiv|kaipu|halu)\w*",
        r"\bajat(?:u|t)\w* (?:omasta )?(?:kuolemasta|kuolemisesta)\b",
        # kuolema pyörii mielessä koko ajan, kuolema käy mielessä (the screening question's
        # own wording: "onko kuolema käynyt mielessä"). Not after a genitive: "mummon
        # kuolema pyörii mielessä" is grief (policy 4).
        r"\b(?<!n )kuolem(?:a|aa|asta|inen|an ajatus|an ajatukset) <G2>(?:pyori|pyoris|kay|kavi"
        r"|kaynyt|kayny|on|oli|ollu|ollut|tulee|tuli|tunkee|kummittel|jyllaa|pysyy|ei lahde)\w*"
        r" <G1>(?:mielessa|mielessani|mieleen|mieleeni|mielesta|mielestani|paassa|paassani"
        r"|paahan|paahani|ajatuksissa|ajatuksissani|ajatuksiin)\b",
        # mulla pyörii kuolema mielessä; mielessä pyörii vaan kuolema. The words in between
        # are a fixed list, for the same reason.
        r"\b(?:pyori|pyoris|kummittel|jyllaa|on|oli|ollu|ollut)\w* (?:(?:vaan|vain|jatkuvasti"
        r"|koko ajan|taas|usein|aina|paljon|oma|ajatus|ajatukset|ajatuksia) ){0,2}kuolem"
        r"(?:a|asta) <G1>(?:mielessa|mielessani|paassa|paassani|ajatuksissa|ajatuksissani)\b",
        r"\b(?:mielessa|mielessani|paassa|paassani|ajatuksissa|ajatuksissani) <G1>(?:pyori"
        r"|pyoris|kummittel|jyllaa|on|oli|kay|kavi)\w* (?:(?:vaan|vain|jatkuvasti|koko ajan"
        r"|taas|usein|aina|paljon|oma|ajatus|ajatukset|ajatuksia) ){0,2}kuolem(?:a|asta)\b",
        # kuolema ois helpotus / ratkaisu; kuolema houkuttaa
        r"\bkuolema <G1>(?:ois|olis|olisi|on) <G1>(?:helpotus|ratkaisu|parempi|paras|vapautus"
        r"|armahdus|pelastus|ainoa)\w*",
        r"\bkuolema <G1>(?:houkutt|kiehto|kiinnost|kutsu|tuntuu hyvalta|tuntuis hyvalta)\w*",
    ),
    _rule(
        "own_death_soon",
        "suicide",
        # mä kuolen tänä yönä; tänään mä kuolen
        r"\bkuolen (?:viela |varmaan )?(?:tana yona|tanaan|tana iltana|omasta kadesta)\b",
        r"\b(?:tana yona|tanaan|tana iltana) (?:ma |mina )?kuolen\b",
    ),
    _rule(
        "wish_to_be_killed",
        "suicide",
        # kunpa joku tappais mut, toivon et auto ajais mun yli, tappakaa mut
        r"\b(?:toivo|kunpa|kumpa|jospa|halu)\w* <G3>(?:joku|jokin|auto|juna|rekka|salama"
        r"|syopa) <G1>(?:tappais|tappaisi|ampuis|ampuisi|ajais|ajaisi)\b",
        r"\btappakaa (?:mut|minut)\b",
    ),
    # 4. Not wanting to live. The negation IS the crisis here ("en halua elää").
    _rule(
        "no_will_to_live",
        "suicide",
        # en halua elää, en jaksa enää elää, en mä enää jaksa elää, en ansaitse elää,
        # en näe mitään syytä elää, en kestä tätä elämää, en halua olla täällä enää
        r"\ben <G2>(?:halu|tahd|taht|taho|jaks|kest|pyst|viitsi|ansaits|sieda|nae|keksi)\w*"
        r" <G2>(?:ela{1,2}\b<NOT_LIVING_ARRANGEMENT>|elella|elaa enaa|olla elossa"
        r"|olla hengissa|olla olemassa|jatkaa elamaa|olla taalla enaa|olla enaa taalla"
        r"|(?:tata|tallasta|tallaista|mun|tata kurjaa) elamaa|elamaani|elamaa)\b",
    ),
    _rule(
        "no_reason_to_live",
        "suicide",
        # ei oo mitään syytä elää, ei kannata elää, mun ei pitäis elää, ei huvita elää.
        # Deliberately not "ei voi elää": "tällä tuella ei voi elää" is about money.
        # ei oo mitään syytä jatkaa elämistä, ei mul oo mitää syytä, ei oo enää mitään
        # järkee jatkaa elämää
        r"\bei <G2>(?:huvita|jaksa|kiinnosta|kannata|nappaa|tee mieli|tarvi|tarvitse|pitais"
        r"|pitaisi|kuulu|(?:oo|ole|o) (?:enaa |mulla |mulle |mul )?(?:mitaan |mitaa |mitn |mtn"
        r" |yhtaan |enaa )?(?:syyta|syytta|jarkea|jarkee|jarjee|jarkia|tarkotusta|tarkoitusta"
        r"|pointtia|pointtii))\w* <G2>(?:ela{1,2}|elella|olla elossa|olla olemassa"
        r"|jatkaa (?:elamaa|elamista|eloa|tata elamaa))\b",
        # miks mä eläisin, miks mä elän
        r"\b(?:miks|miksi) <G3>(?:elaisin|elan|jatkaisin elamaa)\b",
        # miks elää, mitä järkeä elää, miks mun pitää elää; the words in between are a
        # fixed list ("miks se elää niin" is about someone else)
        r"\b(?:miks|miksi|mika|mita|mihin|miksipa) (?:(?:ma|mun|mina|minun|ees|edes|enaa"
        r"|sitten|sit|pitaa|pitais|pitaisi|pitas|kannattaa|kannattais|jarkea|jarkee|syy"
        r"|syyta|varten|hyotya|tassa|oikeesti|oikeasti|ylipaataan|mitaan) ){0,3}(?:elaa"
        r"|elella|jatkaa elamaa)\b",
        # "ei oo mitään syytä jatkaa" ending a sentence
        r"\bei <G1>(?:oo|ole) (?:mitaan )?(?:syyta|jarkea|jarkee) jatkaa(?: enaa)?<END>",
        # mitä järkeä tässä on enää elää, mita jarkee tas on enaa elaa, mikä järki tässä on
        # elää, mitä pointtia on elää; "jatkaa" only ending a sentence ("mitä järkeä on
        # jatkaa tätä kurssia" is about a course). Not "mitä järkeä on elää velaksi" or
        # "mitä hyötyä siitä on jos elää terveellisesti" (a way of living).
        r"\b(?:mita|mika|mitas|mikas|mitaa) (?:jark|jarj|syy|hyoty|hyody|tarko|pointt|idea)\w*"
        r" <G4>(?:ela{1,2}\b<NOT_LIVING_ARRANGEMENT>(?! (?:terveellisesti|terveesti|kestavasti"
        r"|ekologisesti|saastaen|saastavaisesti|kitsaasti|yli varojen|palkasta|tuilla|tuella"
        r"|ulkomailla|kaupungissa|maalla|vegaanina)\b)|elella|olla elossa"
        r"|olla olemassa|olla enaa olemassa|jatkaa (?:elamaa|elamista|eloa|tata elamaa)"
        r"|jatkaa(?: enaa)?<END>)",
    ),
    _rule(
        "life_not_worth_living",
        "suicide",
        # elämä ei oo elämisen arvosta; elämä on elämisen arvotonta
        r"\bei <G3>elamisen arvo\w*",
        r"\belamisen arvoton\w*",
    ),
    _rule(
        "life_meaningless",
        "suicide",
        # mun elämä on turhaa/arvotonta/merkityksetöntä/toivotonta; elämällä ei oo mitään
        # merkitystä. Kept OUT: "elämä on paskaa" (venting, not hopelessness about living).
        r"\belama\w* <G3>(?:on|o|oo|ole|tuntuu|ei) <G2>(?:turhaa?|arvoton\w*|merkitykseton\w*"
        r"|tarkoitukseton\w*|toivoton\w*|jarjeton\w*|ilman (?:merkitysta|tarkoitusta)"
        r"|mitaan (?:merkitysta|tarkoitusta|jarkea|jarkee|arvoa))\b",
    ),
    _rule(
        "not_exist",
        "suicide",
        # en haluu olla olemassa, ois parempi jos en olis olemassa
        r"\ben <G2>(?:olis|ois|olisi|oo|ole|olisikaan|halua|haluu|haluis|haluais|haluaisi"
        r"|tahdo|tahtois|jaksa|haluakaan) <G2>olemassa\b",
        # mua ei ois pitäny syntyä, mun ei pitäis elää, mua ei oo olemassa
        r"\b(?:mua|minua|minuu|mut|minut|mun) ei <G2>(?:olemassa|syntya|syntyny|syntynyt"
        r"|olla elossa|elaa)\b",
        # lakata olemasta
        r"\blak(?:at|ka|kas)\w* olemast\w*",
        # kunpa en olis koskaan syntyny (not "en syntynyt Suomessa": needs the conditional)
        r"\b(?:en|etten|ettei|et en|jos en) <G1>(?:olis|ois|olisi|olisikaan|oisi)"
        r" <G1>(?:syntyny|syntynyt)\b",
        # miks mä ees synnyin
        r"\bmi(?:ks|ksi) <G2>(?:synnyin|piti syntya|pitis syntya)\b",
    ),
    _rule(
        "wish_not_to_wake",
        "suicide",
        # toivon etten heräis, kunpa en heräis enää, haluan nukahtaa enkä herätä; not
        # "toivon etten herää liian aikaisin" (an alarm clock)
        r"\b(?:toivo|rukoil|kunpa|kumpa|halu|ois|olis|olisi|parempi|jospa)\w* <G3>(?:en"
        r"|etten|enka|ettei|ei|et en|etta en) <G1>(?:enaa |ikina |koskaan )?(?:hera|herat)\w*\b"
        r"(?! (?:ajoissa|liian|myohaan|aikaisin|kello|klo|ennen|yolla|kesken))",
        # (vedin viinaa ja lääkkeitä päälle / otin unilääkkeitä) ettei tarvis (enää)
        # herätä: the purpose clause alone says it. Not "ettei tarvis herätä aikaisin /
        # yöllä / kouluun" (sleeping in).
        r"\b(?:ettei|etten|jottei|jotten|etta ei|et ei|etta en|et en) (?:mun |mua |minun )?"
        r"(?:tarvis|tarvitsis|tarvitsisi|tarttis|tarttisi|tartteis|tarvii|tartte|tarvitse"
        r"|tarviis|tarvi|enaa|ikina|koskaan|ois pakko|olis pakko)(?: (?:enaa|ikina|koskaan"
        r"|ees|edes|koskaan enaa))? (?:herata|heraa|herais|heraisi|heraisin"
        r"|heratakaan|heraamaan)\b(?! (?:ajoissa|liian|myohaan|aikaisin|aamulla|aamuun"
        r"|huomenna|kello|klo|ennen|yolla|kesken|kuudelta|seitsemalta|viidelta|kouluun"
        r"|toihin|heratykseen|heratyskelloon|auringon|lapsen|vauvan|koiran)\w*)",
        # en halua herätä enää; not "en halua herätä aamulla kuudelta"
        r"\ben <G1>(?:halua|haluu|tahdo|haluis|haluais)\w* herat\w*\b(?! (?:aamulla|aikaisin"
        r"|ajoissa|kuudelta|seitsemalta|kello|klo|niin aikaisin|huomenna aamulla|kouluun"
        r"|toihin|tanaan|viela))",
    ),
    _rule(
        "sleep_forever",
        "suicide",
        # haluun vaan nukkua pois, nukahtaa ikuisesti; not "nukun krapulan pois", not
        # "nukun ikuisesti viikonloppuna"
        r"\bnuk\w* (?:vaan |vain |vaa )?(?:pois|ikuisesti|enka (?:enaa )?heraa)\b(?! (?:krapula"
        r"|flunssa|vasymy|univel|paansar|kuume|stressi|huole|murhee|kipu|kivu|migreen"
        r"|viikonlop|huomen|aamu|lomalla|sunnuntai|lauantai)\w*)",
        # ikuiseen uneen
        r"\bikuise\w* uneen\b",
    ),
    _rule(
        "cant_go_on",
        "suicide",
        # en jaksa enää elää/mitään/jatkaa/taistella/tätä elämää. Borderline decided as a
        # match: "en jaksa enää mitään" ("enää" = anymore: permanence, not a bad day).
        r"\ben <G1>(?:jaks|kest)\w* (?:enaa|ikina enaa) <G1>(?:mitaan|elaa|jatkaa|taistella"
        r"|olla taalla|olla olemassa|tata elamaa|tata kaikkea|yhtaan mitaan)\b",
        # A sentence (or the message) ends in "en jaksa enää (tätä)" / "en halua enää
        # mitään" / "en halua olla enää": nothing names a task, so it is about living.
        r"\ben <G1>(?:jaks|kest|halu)\w* (?:enaa|ikina enaa)(?: (?:yhtaan|tata|oikeesti"
        r"|oikeasti|ihan|kohta|nyt|vaan|yrittaa|taistella|jatkaa|mitaan)){0,3}<END>",
        r"\ben <G1>(?:halua|haluu|jaksa|tahdo) olla enaa<END>",
    ),
    _rule(
        "burden",
        "suicide",
        # oon vaan taakka kaikille (perceived burdensomeness, a core suicide risk factor);
        # not "en haluu olla vaivaks" (ordinary politeness)
        r"\b(?:oon|olen|oisin|olisin) <G2>(?:taakka|taakkana|rasite|rasitteena)\b",
        r"\btaakka (?:kaikille|muille|perheelle|lapsille|laheisille)\b",
    ),
    _rule(
        "nobody_would_miss",
        "suicide",
        # kukaan ei kaipais mua, ei kukaan edes huomais (conditional: "kukaan ei
        # vastannut" is not it)
        r"\b(?:kukaan ei|ei kukaan)(?: edes)? <G1>(?:kaipais|kaipaisi|kaipaa|huomais|huomaisi"
        r"|ikavois|ikavoisi|valittais|valittaisi|suris|surisi|itkis|itkisi)\b",
        # vaikka kuolisin, jos mä kuolisin
        r"\b(?:vaikka|jos) (?:ma |mina |mie )?(?:kuolisin|katoisin)\w*",
    ),
    _rule(
        "disappear",
        "suicide",
        # haluun vaan kadota
        r"\b(?:halu|tahd|taht|toivo|kunpa)\w* <G2>(?:kadota|haihtua|haviata)\b",
        # pois tästä maailmasta / elämästä, katoisin maan päältä, lähden lopullisesti
        r"\bpois (?:(?:tasta|taalta|taman|tan|koko) )?(?:maailmasta|elamasta|maan paalta)\b",
        r"\bkato\w* <G1>(?:maan paalta|ikuisesti|lopullisesti|pysyvasti|iaksi)\b",
        r"\blah\w* <G2>(?:tasta maailmasta|taalta lopullisesti|lopullisesti|tasta elamasta"
        r"|pois elamasta)\b",
        # "haluun (vaan) pois" ending a sentence: out of what is unsaid
        r"\b(?:halu|tahd|taht)\w* (?:vaan |vain |vaa |niin )?pois(?: (?:taalta|tasta))?<END>",
        # haluun pois täältä lopullisesti, haluisin vaan pois ikuisesti, kunpa pääsisin
        # pois täält lopullisesti. Nothing between the wish and "pois", and only a fixed
        # list after it: "haluun muuttaa pois täältä lopullisesti" and "haluun pois tästä
        # firmasta lopullisesti" are about a town and a job.
        r"\b(?:halu|tahd|taht|toivo|kunpa|kumpa|jospa)\w* (?:(?:vaan|vain|vaa|niin|nyt|jo"
        r"|paasta|paasis|paasisin|paasisi|paasen) ){0,2}pois (?:(?:taalta|taalt|tasta|tast"
        r"|kaikesta|tasta kaikesta|maailmasta|elamasta|nyt|vaan|vain|jo|ihan) ){0,2}"
        r"(?:lopullisesti|ikuisesti|iaksi|ainiaaksi|pysyvasti|for good)\b",
    ),
    _rule(
        "wish_all_ends",
        "suicide",
        # haluun vaan et kaikki loppuis, kunpa tää kaikki loppuis
        r"\b(?:halu|toivo|tahd|taht|kunpa|kumpa|jospa)\w* <G3>(?:kaikki|elama|elamani"
        r"|tama kaikki|taa kaikki|koko elama) <G1>(?:loppu|paatty)\w*\b(?! (?:hyvin|ajoissa"
        r"|ajallaan|kello|klo))",
        # "haluun et tää loppuu" ending a sentence: nothing says what "this" is
        r"\b(?:halu|toivo|tahd|taht)\w* (?:vaan |vain |vaa )?(?:et|etta) (?:taa|tama|tan)"
        r" (?:kaikki )?(?:loppu|paatty)\w*<END>",
    ),
    # 5. Plans and means.
    _rule(
        "hanging",
        "suicide",
        # hirttäytyä, hirteen, hirttoköysi, hirtän itteni; not "moottori hirttää kiinni"
        r"\bhirt{1,2}a[yu]\w*",
        r"\bhirteen\b",
        r"\bhirtto\s?(?:koy|silmu|naru)\w*",
        r"\bhirt\w* <G1><SELF>",
        # mulla on köysi valmiina, köysi kattoon, silmukka kaulaan
        r"\bkoy\w* <G2>(?:valmi\w*|kaulaan|kaulassa|kattoon|katossa|orteen|orressa|puuhun"
        r"|silmuk\w*)",
        r"\b(?:silmukka|silmukan|naru|narun) <G1>kaulaan\b",
        # ostin köyden, hankin jo köyden, oon ostanu köyden: buying rope is a known step
        # of a plan, so it matches unless an everyday use is named within three words:
        # not "ostin köyden teltalle / pyykkinarua varten / veneeseen / kiipeilyyn"
        r"\b(?:osti|ostan|ostaa|ostanu|ostanut|ostettu|hanki|hankki|hain|haen)\w*"
        r" <G2>(?:koysi|koyden|koytta|koydet|koysia|koyden\w+)\b(?! <G3>(?:telt|pyykk|vene"
        r"|laitur|kiipei|kiipea|koira|koiru|perakarr|kattoteline|kuorma|mokki|mokille|leikki"
        r"|leikke|hyppy|purje|keinu|riippumat|kiinnit|sitomi|hinau|muutto|remont|piha"
        r"|puutarh|trampol|kuntosal|salille|treen|jooga|laste|lapsille|aitaa|aidan|aitau"
        r"|talli|hevo|lippu|saunalle|terassi|parvekkeelle|kalastu|ankkur|kajak|kanoot|tyomaa"
        r"|varasto)\w*)",
    ),
    _rule(
        "jump",
        "suicide",
        # hyppään sillalta/katolta/parvekkeelta/junan alle (vetoed for "... uimaan")
        r"\bhyp\w* <G2>(?:sillalta|sillalt|katolta|parvekkeelta|ikkunasta|kalliolta"
        r"|jyrkanteelta|tornista|kerroksesta|kaiteen yli|rotkoon|raiteille|kiskoille"
        r"|(?:junan|auton|rekan|metron|bussin) (?:alle|eteen))\b",
        # heittäydyn junan alle; not "heittäydyn leikkiin"
        r"\bheitt?a[yu]\w* <G2>(?:alle|eteen|sillalta|katolta|parvekkeelta|ikkunasta|mereen"
        r"|jarveen|koskeen|raiteille|kiskoille|alas)\b",
        # meen rekan alle; not "jäin melkein auton alle" (past: an accident)
        r"\b(?:meen|menen|menna|menisin|kavel|astu|heit|jaisin|jaada|ajaa|ajan|ajaisin"
        r"|syoks)\w* <G1>(?:junan|rekan|auton|bussin|metron|ratikan|raitiovaunun|kuorma auton"
        r"|kuormurin|traktorin) (?:alle|eteen)\b",
        # meen raiteille, makaan raiteilla
        r"\b(?:meen|menen|menisin|makaan|makaisin|kavelen|kavelisin|astun|jaan|jaisin)\w*"
        r" <G1>(?:raiteille|raiteilla|kiskoille|kiskoilla|junaradalle|junaradalla)\b",
        # meen sillalta alas, menen katolta alas tänä yönä, tiputan itteni sillalta, heitän
        # itteni parvekkeelta alas. "Alas" makes it a fall; not "meen sillalta keskustaan"
        # (no "alas") or "kävelen sillalta alas rantaan / portaita pitkin" (a walk).
        r"\b(?:meen|menen|menisin|menna|meno|kavel|astu|pudot|putoa|putoo|tiput|tipun|heit"
        r"|loik|syoks|hyp)\w* <G2>(?:sillalta|sillalt|katolta|katolt|parvekkeelta"
        r"|parvekkeelt|ikkunasta|kalliolta|jyrkanteelta|tornista|kerroksesta|kaiteelta"
        r"|kaiteen yli) alas\b(?! <G1>(?:rantaan|rannalle|rantaa|portai"
        r"|portaat|tikkai|tikapu|kadulle|tielle|polulle|polkua|pyoratie|keskustaan|kaupunkiin"
        r"|torille|kauppaan|asemalle|pysakille|puistoon|laiturille|kotiin|autolle|bussille"
        r"|parkki|pitkin|rinnetta|maekea|makea|kavellen|jalan|bussilla|autolla|pyoralla"
        r"|fillarilla|ratikalla|hissilla|kalaan|kalastamaan|uimaan|uimassa|pihalle|kahville)\w*)",
        r"\b(?:tiput|pudot|heit|heitin)\w* <SELF> <G2>(?:sillalta|sillalt|katolta|parvekkeelta"
        r"|ikkunasta|kalliolta|jyrkanteelta|tornista|kerroksesta|alas|kaiteen yli|mereen"
        r"|jarveen|koskeen|raiteille|kiskoille|(?:junan|rekan|auton|metron|bussin)"
        r" (?:alle|eteen))\b",
    ),
    _rule(
        "drive_into",
        "suicide",
        # ajan puuhun / rekan keulaan; ajan kolarin tahallaan
        r"\baj(?:an|aa|aisin|ais|ella)\w* <G3>(?:puuhun|seinaan|kallioon|rekan keulaan"
        r"|vastaantulev\w*|rotkoon)\b",
        r"\b(?:kolari\w*|ulos tielta) <G1>(?:tahallaan|tarkoituksella|tarkotuksella)\b",
        r"\b(?:tahallaan|tarkoituksella|tarkotuksella) <G1>kolari\w*",
    ),
    _rule(
        "drowning",
        "suicide",
        # hukuttaa itteni, hukuttautua, kävelen mereen (vetoed for "... uimaan"); not
        # "hukutan suruni työhön"
        r"\bhukut\w* <G1><SELF>",
        r"\bhukuttau\w*",
        r"\bhukuttaud\w*",
        r"\bkavel\w* <G1>(?:mereen|jarveen|jokeen|koskeen)\b",
    ),
    _rule(
        "shooting",
        "suicide",
        # ammun itteni (vetoed for "ammuin itteäni jalkaan"), luoti kalloon, ase valmiina
        # (vetoed for hunting)
        r"\b(?:ampu|ammu|ampa)\w* <G1><SELF>",
        r"\b(?:luoti|luodin|kuula|kuulan) <G1>(?:kalloon|paahan|ohimoon|paahani|suuhun)\b",
        r"\b(?:ase|aseen|haulikko|haulikon|pistooli|pistoolin|kivaari|revolveri)"
        r" <G2>(?:valmiina|ohimolle|ohimolla|suuhun|ladattuna)\b",
    ),
    _rule("poison_self", "suicide", r"\bmyrky\w* <G1><SELF>"),
    _rule(
        "overdose_pills",
        "suicide",
        # ottaa kaikki pillerit, syön koko purkin unilääkkeitä, otin 50 panadolia
        # (vetoed only for stated compliance: "otin kaikki lääkkeet ohjeen mukaan")
        r"\b(?:ota|ott|otan|otin|otti|syo|syon|soin|soi|syod|nappa|napsi|niel|veta|veda|vedan"
        r"|vedin|vetas|vetais|popsi)\w* <G2>(?:kaikki|koko|purkillisen|purkillinen|purkin"
        r"|paketillisen|paketin|levyllisen|levyn|kasan|kourallisen|kourallinen|tusinan|satoja"
        r"|kymmenia|liikaa|yliannoksen|[2-9][0-9]|[0-9]{3,}) <G2><PILLS>",
        # kaikki lääkkeet kerralla
        r"\bkaikki (?:mun |minun )?<PILLS> (?:kerralla|yhdella kertaa|kerrasta"
        r"|samaan aikaan)\b",
        # oon kerännyt pillereitä, säästäny lääkkeitä
        r"\b(?:keraa|keraan|kerannyt|keranny|kerannu|kerailen|kerailly|saastan|saastany"
        r"|saastanyt|saastelen|hamstr|piilotan|piilottanu)\w* <G2><PILLS>",
        # the pills first, the act after: ostin pillereitä ja aion nielasta ne kaikki,
        # mulla on unilääkkeitä ja otan ne kaikki kerralla; not "otan ne kaikki aamulla"
        # (a dosette)
        r"\b<PILLS> <G4>(?:niel|popsi|napsi|napa|nappa|vetas|vetais|vedan|vedin|veta|veda|syo"
        r"|syon|soin|syod|ota|ott|otan|otin)\w* (?:ne kaikki|kaikki ne|nama kaikki|naa kaikki"
        r"|noi kaikki|nuo kaikki|kaikki kerralla|kaikki yhdella kertaa|kaikki samaan aikaan"
        r"|ne kerralla|ne yhdella kertaa|ne samalla kertaa|koko purkin|koko paketin"
        r"|koko levyn)\b(?! (?:aamulla|illalla|aamuisin|iltaisin|ohjeen|ajallaan|ruoan|ruuan"
        r"|normaalisti|paivittain|kuten|niinku|maaratysti|ajoissa|dosetista|dosettiin)\b)",
        # nielaisin koko purkin; not "nielin koko paketin karkkeja"
        r"\bniel\w* <G1>(?:koko purkin|koko paketin|koko levyn|purkillisen|paketillisen"
        r"|kourallisen|levyllisen)\b(?! (?:karkk|jaatelo|sipse|sipsi|keks|suklaa|pastill|purkk"
        r"|nuudel|mehu|limu|popcorn|vitamiin|kurkkupastil|pizza|mansik|mustikoi)\w*)",
        # alcohol and pills together: vedin viinaa ja lääkkeitä päälle, join viinaa ja
        # pillerit sekaan, söin unilääkkeet ja vodkaa perään
        r"\b(?:viina|alkoho|kalja|kaljo|olut|olue|oluit|vodka|votka|viini|kossu|koskenkorv"
        r"|lonkero|siideri|bisse|rommi|viski|konjak|dokau|ryyppa|kanni|kannissa)\w* <G3><PILLS>"
        r" <G1>(?:paalle|peraan|sekaan|sekaisin|kylkeen|kyytipoik\w*)\b",
        r"\b<PILLS> <G3>(?:viina|alkoho|kalja|kaljo|olut|olue|oluit|vodka|votka|viini|kossu"
        r"|koskenkorv|lonkero|siideri|bisse|rommi|viski|konjak)\w* <G1>(?:paalle|peraan"
        r"|sekaan|sekaisin|kylkeen|kyytipoik\w*)\b",
    ),
    _rule(
        "overdose_slang",
        "suicide",
        # vetää överit, otin yliannoksen (with or without "tarkotuksella": an overdose is
        # an emergency either way)
        r"\b(?:veta|veda|vedan|vedin|vedet|vetas|vetais|vetaa|ota|ott|otan|otin|saan|sain|sai"
        r"|meinas|meinaa|tein|teen|tehda)\w* <G2>(?:overit|overdosen|overdoset|yliannos"
        r"|yliannoksen|yliannostuksen)\b",
        r"\b(?:overit|overdose|yliannos\w*) <G2>(?:tarkotuksella|tarkoituksella|tahallaan"
        r"|tahallani|tosissaan|tosissani)\b",
        r"\b(?:tarkotuksella|tarkoituksella|tahallaan|tahallani) <G2>(?:overit|overdose"
        r"|yliannos\w*)",
    ),
    _rule(
        "plan",
        "suicide",
        # oon suunnitellu miten teen sen / miten kuolen / mihin aikaan hyppään; mietin
        # millä tavalla kuolisin nopeimmin, pohdin miten kuolla, mietin miten sen tekis
        # ettei sattuis, mietin miten sen vois tehä. "Sen" followed by a task is a task:
        # not "mietin miten teen sen hakemuksen" (and "mietin miten tehdä CV" never
        # matches: no "sen", no death word).
        r"\b(?:suunnit|paatt|mieti|miet|pohd|poht|ajattel|aattel|tutki|googl|selvit)\w* <G3>"
        r"(?:miten|mitenka|milloin|missa|mihin aikaan|kuinka|(?:milla|mil|mila|mill)"
        r" (?:tavalla|tavoin|tapaa|keinolla|keinoin|konstilla)|millai|millain|millaisella"
        r" tavalla|mika (?:ois|olis|olisi|on) (?:paras|nopein|helpoin|varmin|kivuttomin) tapa)"
        r" <G2>(?:kuolen|kuolisin|kuolis|kuolisi|kuolla|tapan|tappaisin|tappaa <SELF>|hyppaan"
        r"|hyppaisin|hirttaydyn|hirttaytyisin|lahden pois|lahtisin pois|(?:teen|tekisin|tekis"
        r"|tekisi|tehda|teha|tekee) sen\b(?! (?:cv|hakemu|tyohakemu|esse|esitel|esity|raport"
        r"|tehtav|kotitehtav|laskel|lomak|ilmoitu|ruoa|ruua|kakun|jutun|homman|muuton|siivou"
        r"|kurssi|tentin|kokeen|sopimu|varau|tilau|soiton|puhelun|videon|kuvan|sivu|taulukon"
        r"|listan|suunnitelm|budjet|tyon|presentaat|portfol|profiil|linkedin|gradun|opinnay"
        r"|pizza|leivan|remont|muutto|harjo|treen|lenk|ostok|maksu|laskun|siirro|paatoksen"
        r"|valinnan|kyselyn|testin|haastattelu|tarjouksen|ilmott|ilmoitt|rekisteroin|kirjautu"
        r"|paivityk|asennu|korjau|palautu|palaut|arvioin|valitu|oikaisu)\w*)"
        r"|sen (?:vois |voisi |voi |voisin |voin )?(?:teen|tekisin|tekis|tekisi|tehda|teha"
        r"|tekee))\b",
        # the method itself: nopein tapa kuolla, kivuttomin keino tappaa itsensä, tapoja
        # kuolla, kuolla kivuttomasti; not "nopein tapa päästä keskustaan" or "varma tapa
        # kuolla tylsyyteen" (the everyday idiom)
        r"\b(?:tapa|tapaa|tapoja|tavan|tavat|keino|keinoa|keinon|keinoja|keinot|konsti"
        r"|konstit) (?:kuolla\b(?! (?:tylsyyteen|nalkaan|janoon|nauruun|hapeaan"
        r"|myotahapeaan|jannitykseen|kuumuuteen|helteeseen))|tappaa <SELF>|tehda itsemurha"
        r"|paattaa elama\w*)",
        r"\b(?:kivuton|kivuttom|nopein|nopeim|nopeit|helpoin|helpoim|helpoit|varmin|varmim"
        r"|varmit|siistein|siisteim)\w* <G2>(?:kuolla|kuolisin|kuolen|kuolis|kuolisi"
        r"|tappaa <SELF>)\b",
        r"\b(?:kuolla|kuolisin|kuolen|kuolis|kuolisi|tappaa <SELF>|tapan <SELF>)"
        r" <G1>(?:kivuttomasti|kivutta|nopeimmin|nopeiten|helpoimmin|helpoiten|varmimmin"
        r"|varmiten|huomaamatta|ilman kipua|ilman kipuja)\b",
    ),
    # 6. Farewells with finality.
    _rule(
        "farewell",
        "suicide",
        # hyvästi (kaikki / maailma); not "hyvästi tupakka"; the noun "hyvästit" is not
        # matched ("sanoin hyvästit")
        r"\bhyvasti+\b(?! (?:tupak|kesa|talvi|loma|viina|kalja|ruokavalio|sokeri|nuuska"
        r"|herkut|herkuille)\w*)",
        r"\b(?:heippa|moikka|moi|hei hei|nakemiin|heipa|moro|morjens|bye|goodbye)"
        r" <G1>(?:lopullisesti|ikuisesti|iaksi|ainiaaksi|forever)\b",
        r"\bgoodbye (?:world|everyone|cruel world)\b",
    ),
    _rule(
        "last_message",
        "suicide",
        # tää on mun viimeinen viesti; not "viimeinen viesti tältä päivältä"
        r"\b(?:viimeinen|viimenen|viimeine|viiminen) viesti(?:ni)?\b(?! (?:tanaan|talta"
        r"|talle|tana|tassa|ennen|illalle|viikolle|kuulle|sulle tanaan))",
        # tää on mun vika viesti; not "tää on mun vika viesti tänään"
        r"\b(?:tama|taa|ta) (?:on|oli) (?:nyt |sitten |sitte )?(?:mun |minun )?vika"
        r" (?:viesti|viestini)\b(?! (?:tanaan|talta|talle|tana|tassa|ennen|illalle|viikolle"
        r"|kuulle))",
        # jäähyväiskirje (any spelling), kirjotin viimeisen kirjeen; not
        # "jäähyväiskahvit"
        r"\bja{1,2}h{1,2}yv{1,2}ais\s?(?:kirj|viest|sana)\w*",
        r"\b(?:mun|minun|nama on mun|tassa mun) jaahyvaiset\b",
        r"\bkirjo\w* <G2>(?:viimeisen|viimisen|viimesen|vikan) (?:kirjeen|viestin)\b",
        # hyvästikirje, hyvästi kirjeen, hyvästelykirje, hyvästiviesti (the farewell rule
        # needs "hyvästi" as a word of its own)
        r"\bhyv{1,2}as(?:ti|tely|tel)\s?(?:kirj|viest|kirj)\w*",
        # kirjotin hyvästit (perheelle); not "kirjoitin hyvästit työkavereille / someen"
        r"\bkirjo\w* <G2>(?:hyvastit|hyvastini|jaahyvaiset|jaahyvaiseni)\b(?! <G2>(?:tyo"
        r"|kolleg|kurssi|luoka|opettaj|asiakka|firma|tiimi|esihenkilo|pomo|naapur|some"
        r"|facebook|instagram|linkedin|lahtiessani|lahtiessa)\w*)",
    ),
    _rule(
        "final_words",
        "suicide",
        # "tää oli tässä" only with finality: bare, it is an everyday way to close a chat
        # ("tää oli tässä, kiitti!")
        r"\bt(?:aa|ama) (?:oli|on) (?:nyt |sitten |sitte )?tas+a (?:nyt |sitten |mun osalta )?"
        r"(?:lopullisesti|ikuisesti|hyvasti|(?:mun|minun|tama|taa) elama)\b",
        r"\b(?:hyvasti|lopullisesti|en jaksa enaa) <G3>t(?:aa|ama) (?:oli|on) tas+a\b",
        # mun elämä oli tässä
        r"\b(?:mun|minun) (?:elama|taival|matka|aika) (?:oli|on|loppuu|loppu|paattyy)"
        r" (?:nyt |tassa |tahan )?(?:tassa|tahan|loppu|nyt)\b",
        # ette näe mua enää; not "et näe mua enää tänään töissä"
        r"\b(?:ette|et|kukaan ei) <G1>nae (?:mua|minua|minuu) <G1>(?:enaa|ikina|koskaan)\b"
        r"(?! (?:tanaan|toissa|siella|kurssilla|talla viikolla))",
        # en oo enää huomenna täällä, mua ei oo enää
        r"\ben <G1>(?:ole|oo|ois|olis|olisi) enaa <G1>(?:huomenna|huomisen|elossa"
        r"|hengissa)\b",
        # en oo enää kauaa täällä, en tuu olemaan täällä enää kauan, en ole enää pitkään
        # tässä maailmassa: "not around much longer". Not "en oo enää kauaa täällä töissä"
        # or "... tässä kaupungissa" (a job, a move).
        r"\ben <G2>(?:ole|oo|ois|olis|olisi|olemaan) (?:taalla |taal )?enaa <G1>(?:kauaa"
        r"|kauan|pitkaan|pitkaa|montaa paivaa|montaa paivaakaan)(?: (?:taalla|taal"
        r"|(?:tassa |tas )?maailmassa|elossa|hengissa|riesana|vaivana|teidan riesana"
        r"|teidan vaivana))?\b(?! (?:taalla|taal|tassa|tas|tossa|siella|tuolla|toissa|tyossa"
        r"|koulussa|kurssilla|firmassa|kaupungissa|suomessa|asumassa|lomalla|harjo|kylassa"
        r"|paikkakunnalla|ryhmassa|projektissa|talossa|asunnossa|tyopaikalla|tyopaikassa"
        r"|vuokralla|sairaalassa|osastolla|hereilla|valveilla|koneella|linjoilla|netissa"
        r"|paikalla|tavoitettavissa|tyoton|tyottom|sairaslomalla|kotona|kotiaiti|kotiisa"
        r"|opiskelija|opiskelemassa|yliopistossa|vuorotteluvapaalla|aitiyslomalla"
        r"|isyyslomalla|vanhempainvapaalla|armeijassa|intissa|palveluksessa|kortistossa"
        r"|tuilla|nuori|sinkku|yksin|vapaalla)\w*)",
        r"\b(?:mua|minua) ei (?:enaa (?:ole|oo|ois|olis)|(?:ole|oo|ois|olis) enaa)\b",
        # anteeks kaikesta; sanokaa äidille et rakastan sitä
        r"\banteek\w* <G1>kaikesta\b",
        r"\bsano\w* <G2>(?:aidille|aiskalle|mutsille|isalle|faijalle|iskalle|perheelle"
        r"|lapsille|lapsilleni|kaikille|vaimolle|miehelle|siskolle|veljelle|tyttarelle"
        r"|pojalle) <G2>(?:et|etta) (?:ma |mina )?(?:rakastan|rakastin|oon pahoillani"
        r"|olen pahoillani)\b",
    ),
    # 7. Self-harm.
    _rule(
        "cutting",
        "self_harm",
        # viiltelen, viillellä, viilsin, viilto, single-i typo "viltelen"; not "viiltävä
        # kipu", "viiltäjä", "viltti" ("viilsin sormeen" is vetoed as a kitchen accident)
        r"\bviil(?:t|s|l)(?!ava|aja)\w*",
        r"\bvil(?:tel|lel)\w*",
        # leikkaan itteäni
        r"\bleikk\w* <G1><SELF>",
        # viiltää ranteet, ranteet auki, avasin ranteeni
        r"\brante\w* <G1>auki\b",
        r"\b(?:ava|avaa|avaan|avasin|aukas|aukais|viilla|leikk|viilt|viils)\w* <G2>rante\w*",
        # mietin ranteiden avaamista, ranteitten aukasemista, ranteiden viiltely; not
        # "ranteen leikkaus" (surgery) or "ranteita avaava venyttely" (stretching)
        r"\brante\w* <G1>(?:avaa(?!v)|avat|avas|avai|aukai|aukas|aukom|aukoo|viilt|viill"
        r"|viils|leikkaa|leikkel)\w*",
    ),
    _rule(
        "hurt_self",
        "self_harm",
        # satutan itseäni, itseni satuttaminen, itsesatuttaminen (vetoed only when a fall
        # or sport is stated: "kaaduin ja satutin itteni")
        r"\bsatu(?:t|tt)\w* <G2><SELF>",
        r"\b<SELF> <G1>satut\w*",
        r"\bi[ts]{1,3}e?\s?satut\w*",
        # vahingoitan itseäni, itsensä vahingoittaminen, itsevahingoitus
        r"\bvahingoi\w* <G2><SELF>",
        r"\b<SELF> <G1>vahingoi\w*",
        r"\bi[ts]{1,3}e?\s?vahingo\w*",
        # poltan itseäni tupakalla (vetoed for "poltin itteni saunassa")
        r"\bpolt\w* <G1><SELF>",
        # raavin itteni verille, raavin kädet verille, raavin käsiä rikki, raapisin ihon
        # auki; not when a skin condition or a bite is named ("raavin kädet verille
        # ekseeman takia")
        r"\braa(?:v|p)\w* <G1>(?:<SELF>|iho|ihoni|ihon|ihoa|kad\w*|kas(?:i|ia|ian|iani|ivar)\w*"
        r"|jal(?:at|kaa|kani|koja|kojani)|rei(?:det|sia|teni|siani)|kasvo\w*|naama\w*|rante\w*"
        r"|kyynarvar\w*|sormet|sormia|kynsinauho\w*|paanahka\w*) <G1>(?:verille|verilla"
        r"|rikki|auki|vereslihalle|verisiksi|haavoille|haavaumille)\b(?! <G3>(?:ekseem|ihottum"
        r"|hyttys|kutin|kutia|kutis|atoop|psoria|allergi|nokkos|syyhy|ampiai|paarm|punkki"
        r"|vesirok|rokko)\w*)",
    ),
    _rule(
        "head_banging",
        "self_harm",
        # lyön päätä seinään, hakkaan päätäni lattiaan. Partitive "päätä" = repeatedly;
        # "löin pääni kaappiin" (accusative: once) is an everyday bump, so the accusative
        # counts only with repetitive verbs. The simile "tuntuu ku hakkais päätä
        # seinään" is vetoed as hyperbole.
        r"\b(?:lyo|loi|lyon|loin|lyod|hakka|hakat|hakkas|tako|taon|paukut|pieks|pies)\w*"
        r" <G2>(?:paa|paata|paatani|paataan|paatansa) <G2><HARD_SURFACE>",
        r"\b(?:hakka|hakat|hakkas|tako|taon|paukut)\w* <G2>(?:paani|paan|paansa)"
        r" <G2><HARD_SURFACE>",
        # pään hakkaaminen seinään
        r"\bpaa(?:n|ta|tani|ni)? <G1>(?:hakkaa|lyo|tako|paukut)\w* <G1><HARD_SURFACE>",
    ),
    _rule(
        "hit_or_punish_self",
        "self_harm",
        # lyön itteäni, hakkaan itseäni, rankaisen itseäni, näännytän itseäni
        r"\b(?:lyo|loi|lyon|loin|hakka|hakkas|pieks|pies|rankai|rankas|nalkiinny|naannyt)\w*"
        r" <G1><SELF>",
    ),
    # 8. English (mixed into Finnish messages).
    _rule(
        "want_to_die_en",
        "suicide",
        r"\b(?:want|wanna|wish|wishing|wanting|need|ready|deserve) <G2>(?:die|be dead"
        r"|was dead|were dead)\b",
        r"\b(?:dont|don t|do not|dnt|no longer|not) <G1>(?:want|wanna|wish) (?:to )?(?:live"
        r"|be alive|exist|be here|wake up|go on)\b",
        r"\bbetter off (?:dead|without me)\b",
        r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on)\b",
        r"\bnot worth living\b",
    ),
    _rule(
        "kill_self_en",
        "suicide",
        r"\b(?:kill|killing|killed|hang|hanging|shoot|shooting|drown|drowning|poison"
        r"|poisoning|overdose|overdosing) ?(?:my ?self|meself|myslef)\b",
        r"\bkms\b",
        r"\bunalive\w*",
        r"\b(?:end|ending|take|taking) (?:my|it) (?:own )?(?:life|all)\b",
        r"\boverdos\w*",
    ),
    _rule(
        "self_harm_en",
        "self_harm",
        r"\bself ?harm\w*",
        r"\b(?:hurt|harm|cut|cutting|hurting|harming|burn|burning|burnt|burned|punish"
        r"|punishing|starve|starving) ?(?:my ?self|meself)\b",
    ),
    # 9. Swedish (some clients are Swedish-speaking). "dö" is "do" after normalisation.
    _rule(
        "want_to_die_sv",
        "suicide",
        r"\bvill <G1>do\b",
        r"\b(?:vill|orkar|kan|klarar) <G1>inte <G1>(?:leva|finnas|vakna)\b",
        r"\bingen mening (?:att|med att) leva\b",
        r"\bvill forsvinna\b",
    ),
    _rule(
        "kill_self_sv",
        "suicide",
        r"\bta <G1>livet av (?:mig|mej|sig|dig)\b",
        r"\bta mitt (?:eget )?liv\b",
        r"\b(?:doda|dodar|dodade|hanga|hanger|hangde) (?:mig|mej)\b",
        r"\bhoppa (?:framfor|fran|ut fran|ut genom)\b",
    ),
    _rule(
        "self_harm_sv",
        "self_harm",
        r"\bsjalvskad\w*",
        r"\b(?:skada|skadar|skadade|skar|skara|skarer|skurit|branna|branner|brande)"
        r" (?:mig|mej)\b",
    ),
)


# --- Hyperbole and everyday expressions -----------------------------------------------
#
# Computed first; a crisis hit is ignored only when it lies ENTIRELY inside one of these
# spans, so any other crisis hit in the same message still matches. Kept deliberately
# small: every entry is a fixed, common expression. Entries inside which no current
# crisis rule can fire ("kuolen nälkään", "väsyttää kuollakseni", "tapan sut jos...")
# are kept as documentation and as a guard in case a crisis pattern is later widened.

HYPERBOLE_RULES: tuple[HyperboleRule, ...] = (
    _hyperbole(
        "die_of_everyday_thing",
        # kuolen tylsyyteen/nälkään/janoon/nauruun/häpeään; kuolisinpa tylsyyteen
        r"\bkuol\w* <G1>(?:tylsyyteen|tylsyydesta|nalkaan|janoon|nauruun|naurusta|hapeaan"
        r"|hapeasta|myotahapeaan|kuumuuteen|kuumuudesta|helteeseen|helteesta|jannitykseen"
        r"|jannityksesta|uteliaisuuteen|uteliaisuudesta|vasymykseen|vasymyksesta|kylmyyteen"
        r"|kylmaan|pakkaseen|ikavaan|ikavasta|nolouteen)\b",
    ),
    _hyperbole(
        "laughed_to_death",
        # nauroin itseni kuoliaaksi, tylsistyin itteni hengiltä
        r"\b(?:naur|kikat|hekot|repe|ihastu|rakastu|tylsisty|pelast|saikahd)\w* <G1><SELF>"
        r" <G1>(?:kuoliaaksi|kuoliaks|kuoliaksi|hengilta)\b",
    ),
    _hyperbole(
        "to_death_intensifier",
        # väsyttää kuollakseni; kuolemanväsynyt, kuolemanvakava
        r"\b(?:vasyttaa|vasynyt|vasyny|tylsistyttaa|tylsaa|ketuttaa|vituttaa|harmittaa"
        r"|nolottaa|jannittaa|pelottaa|nukuttaa|naurattaa|hayttaa) <G1>kuollakse\w*",
        r"\bkuoleman\s?(?:vasy|vakav|tylsa|kiire|kalpea)\w*",
    ),
    _hyperbole(
        "threat_to_others_in_jest",
        # tapan sut jos syöt mun jäätelön: about someone else, not self-harm
        r"\bta(?:pan|ppaa|ppais|ppaisin|pat|pamme) (?:sut|sinut|sua|ne|teidat|hanet|sen|teit"
        r"|kaikki) (?:jos|ellet|ellei|ku|kun)\b",
    ),
    _hyperbole(
        "work_kills_me",
        # tää työ tappaa mut: an external burden, not intent
        r"\b(?:tyo|tama tyo|taa tyo|tyot|koulu|kurssi|tylsyys|helle|stressi|pomo)"
        r" <G1>(?:tappaa|tappais|tappaisi) (?:mut|minut|mua)\b",
    ),
    _hyperbole(
        "shot_own_foot",
        # ammuin itteäni jalkaan: the idiom for a self-inflicted blunder
        r"\b(?:ampu|ammu|ampa)\w* <G1><SELF> <G1>jalkaan\b",
    ),
    _hyperbole(
        "accidental_burn",
        # poltin itteni saunassa/auringossa; kuumaan kahviin poltin itteni
        r"\bpolt\w* <G1><SELF> <G1><BURN_PLACE>",
        r"\b<BURN_PLACE> <G1>polt\w* <G1><SELF>",
    ),
    _hyperbole(
        "accidental_injury",
        # kaaduin ja satutin itteni / satutin itteni pelatessa: an injury with a stated
        # accident. Bare "satutin itteni vahingossa" is NOT vetoed (could be minimising).
        r"\bsatut\w* <SELF> <G1>(?:kaatu|liukastu|kompastu|pelat|treenat|salilla|lenkilla"
        r"|pyorail|pyoralla|portaissa|jaalla|futiksessa|jalkapallo)\w*",
        r"\b(?:kaaduin|liukastuin|kompastuin|tipuin|putosin)(?: \w+){0,3} satut\w* <SELF>",
    ),
    _hyperbole(
        "everyday_cut",
        # viilsin sormeen (vahingossa leipäveitsellä): a kitchen accident; viilsin
        # laatikon auki: opening a parcel. Habitual "viiltelin" is never vetoed.
        r"\b(?:vahingossa )?(?:viils|viilt(?!el))\w* <G2>(?:sormee|sormen|sormea|peukaloo"
        r"|peukalon|peukaloa|kynne)\w*",
        r"\b(?:viils|viilt(?!el))\w* <G1>(?:pahvi|laatiko|paketi|kirjekuore|pussi|muovi"
        r"|teippi|kalvo)\w* auki\b",
    ),
    _hyperbole(
        "swimming",
        # hyppäsin sillalta uimaan, kävelin järveen uimaan, heitin itteni järveen uimaan:
        # a swim stated explicitly
        r"\b(?:hyp|kavel|heit)\w* <G2>(?:sillalta|laiturilta|kalliolta|jarveen|mereen|jokeen)"
        r"(?: \w+)? (?:uimaan|uimassa|uinnille|kastautumaan)\b",
    ),
    _hyperbole(
        "hunting",
        # haulikko ladattuna metsällä
        r"\b(?:ase|aseen|haulikko|haulikon|kivaari) <G2>ladattuna <G1>(?:metsalla|metsassa"
        r"|jahdissa|jahtiin|metsastamassa|hirvimetsalla|ampumaradalla)\b",
    ),
    _hyperbole(
        "end_my_day",
        # päätin päiväni saunaan/lenkkiin: ending the day, not life
        r"\bpaat\w* <G1>(?:paivani|paivan|mun paivan|mun paivat|paivat) (?:saunaan|saunomalla"
        r"|saunassa|lenkkiin|lenkilla|kavelyyn|kavelylla|leffaan|sohvalla|mukavasti|hyvin"
        r"|kivasti|iltapalaan|teehen|kirjaan|lukemalla|pelaamalla|suihkuun)\b",
    ),
    _hyperbole(
        "head_against_wall_simile",
        # tuntuu ku hakkais päätä seinään: the idiom for futile effort, as a simile
        r"\b(?:ku|kuin|niinku|kuten|tuntuu) <G3>(?:lyo|loi|hakka|tako|paukut)\w*"
        r" <G2>(?:paa|paata|paatani|paani) <G1>seina\w*",
    ),
    _hyperbole(
        "medication_compliance",
        # otin kaikki lääkkeet ohjeen mukaan / otin kaikki aamun lääkkeet
        r"\b(?:ota|ott|otin|otan|otti)\w* <G2>kaikki <G1>(?:laakk|piller|tabu|tabl)\w*"
        r" <G2>(?:ohjeen mukaan|niinku pitaa|niinku kuuluu|kuten pitaa|kuten kuuluu|ajallaan"
        r"|ruoan kanssa|ruuan kanssa|normaalisti|maaratysti|mukaan|mukaani|matkalle"
        r"|reissuun)\b",
        r"\b(?:ota|ott|otin|otan|otti)\w* <G2>kaikki (?:mun |minun )?(?:aamun|illan|paivan"
        r"|iltapaivan|yon) (?:laakk|piller|tabu|tabl)\w*",
    ),
    _hyperbole(
        "everyday_task_how",
        # pitäis soittaa työkkäriin, mietin miten sen tekis: "sen" is the errand just
        # named, not a plan. Only a fixed list of errand verbs after "pitäis/täytyy";
        # "mietin miten sen tekis" alone still matches.
        r"\b(?:pitais|pitaisi|pitas|pitaa|pitis|taytyy|taytyis|taytyisi|tarttis|tarttee)"
        r" (?:soitta|hake|haki|teh|paivitt|kirjott|kirjoitt|laitta|lahett|taytt|vara|maksa"
        r"|siivo|hoita|ilmott|ilmoitt|kysy|vasta|opetel|oppi|selvitt|peru|vaiht|korja|osta"
        r"|myy|rakenta|muutta|kerto|sano|puhu|pyyta|tilat|varat)\w* <G3>(?:mieti|miet|pohd"
        r"|poht)\w* (?:miten|kuinka|milla tavalla|mil tavalla) (?:sen|sen vois|sen voisi)"
        r" (?:tekis|tekisi|tekisin|teen|tehda|teha)\b",
    ),
    _hyperbole(
        "quit_habit",
        # haluun lopettaa kaiken juomisen/tupakoinnin/stressaamisen: quitting a habit. Not
        # vetoed: "kaiken olemisen/elämisen/hengittämisen/yrittämisen" (existence itself)
        # and "kaiken syömisen" (eating disorders).
        r"\blopet\w* <G2>kaiken (?:\w+ )?(?:(?!(?:olemisen|elamisen|hengittamisen|syomisen"
        r"|yrittamisen|heraamisen)\b)\w+(?:misen|nnin|ttelun|ttelyn)|juomisen|polttamisen"
        r"|pelaamisen|tupakoinnin"
        r"|herkuttelun|vetamisen|kayttamisen|ryyppaamisen|nuuskaamisen|sokerin|kahvin"
        r"|alkoholin|viinan|kaljan|tupakan|nuuskan|kayton|paihteiden|herkkujen|roskaruoan"
        r"|roskaruuan|somen|velkaantumisen|tuhlaamisen|shoppailun|lykkaamisen)\b",
    ),
)


def _hyperbole_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for rule in HYPERBOLE_RULES for m in rule.pattern.finditer(text)]


def _inside(start: int, end: int, vetoes: list[tuple[int, int]]) -> bool:
    return any(v_start <= start and end <= v_end for v_start, v_end in vetoes)


def _has_unvetoed_hit(pattern: re.Pattern[str], text: str, vetoes: list[tuple[int, int]]) -> bool:
    position = 0
    while (hit := pattern.search(text, position)) is not None:
        if not _inside(hit.start(), hit.end(), vetoes):
            return True
        # Resume just after the vetoed hit's START, not its end: a real hit may overlap
        # the hyperbole and reach past it, and finditer would skip over it.
        position = hit.start() + 1
    return False


def _prepared(text: str) -> str | None:
    """The text as the patterns see it, or ``None`` if nothing of it is left to match.

    Normalised, with sentence ends kept as the marker word, and with the space before the first
    word that every pattern starts from (see :func:`_compile`).
    """
    normalised = normalise(_SENTENCE_END.sub(f" {_SENTENCE_BREAK} ", text))
    return " " + normalised if normalised else None


def _detect(text: str) -> CrisisMatch | None:
    padded = _prepared(text)
    if padded is None:
        return None
    vetoes = _hyperbole_spans(padded)
    for rule in CRISIS_RULES:
        if _has_unvetoed_hit(rule.pattern, padded, vetoes):
            return CrisisMatch(kind=rule.kind, rule=rule.name)
    return None


def detect_crisis(text: str) -> CrisisMatch | None:
    """Return a :class:`CrisisMatch` if ``text`` expresses suicidal thoughts or self-harm.

    Runs the rule table on the normalised text; returns ``None`` only when no crisis
    rule fires outside an everyday-hyperbole expression. When in doubt the rules match:
    the caller should answer with the crisis reply whenever this returns a match.

    Never raises: if the detector itself fails, it returns a match with rule
    :data:`FAIL_SAFE_RULE`, because the safe failure of a safety check is the crisis
    reply. The client's text is never logged.
    """
    try:
        return _detect(text)
    except Exception as exc:
        # Only the exception type: its message or traceback could carry the client's words.
        _log.error(
            "crisis detector failed (%s); answering with the crisis reply", type(exc).__name__
        )
        return CrisisMatch(kind="suicide", rule=FAIL_SAFE_RULE)


def is_everyday_exaggeration(text: str) -> bool:
    """Whether ``text`` is a known everyday exaggeration, with no sign of crisis outside it.

    For the NLU model's second net: its ``crisis`` intent catches what the rules miss, but it
    cannot tell "kuolen tylsyyteen" from a real wish to die. Where a :data:`HYPERBOLE_RULES`
    expression is in the message and no crisis rule fires outside it, the rules' judgement
    stands. A failing detector counts as a crisis (see :func:`detect_crisis`), so never as an
    exaggeration.
    """
    if detect_crisis(text) is not None:
        return False
    padded = _prepared(text)
    return padded is not None and bool(_hyperbole_spans(padded))
