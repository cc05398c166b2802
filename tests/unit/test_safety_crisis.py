"""The crisis rule layer: real-world phrasings that must and must not trigger the crisis reply.

Recall on MUST_MATCH is required to be 100%. MUST_NOT_MATCH holds everyday messages to the
bot; a false positive there is a bug too, but a cheaper one, so when a message is genuinely
ambiguous it belongs in BORDERLINE_MATCH (policy: when in doubt, the crisis reply), with
the reason written next to it.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.safety import (
    CRISIS_RULES,
    FAIL_SAFE_RULE,
    HYPERBOLE_RULES,
    CrisisKind,
    CrisisMatch,
    detect_crisis,
    is_everyday_exaggeration,
    normalise,
)

S: CrisisKind = "suicide"
H: CrisisKind = "self_harm"

# --- Must match -------------------------------------------------------------------------

MUST_MATCH: list[tuple[str, CrisisKind]] = [
    # Wanting to die: standard, spoken, typos, caps.
    ("haluan kuolla", S),
    ("mä haluun kuolla", S),
    ("Mä haluun vaan kuolla.", S),
    ("haluisin kuolla pois", S),
    ("haluaisin vain kuolla", S),
    ("tekis mieli kuolla", S),
    ("halusin kuolla koko viikonlopun", S),
    ("en jaksa enää mitään, haluun vaan kuolla", S),
    ("HALUUN KUOLLA", S),
    ("haluun kuolllla", S),
    ("haluun kuola", S),
    ("halun kuolla", S),
    ("haluun kuollaa", S),
    ("mie haluun kuolla", S),
    ("tahdon kuolla", S),
    ("mä haluun niin paljon kuolla", S),
    ("haluun olla kuollut", S),
    ("ihan sama. haluun vaa kuolla", S),
    ("mä HALUUN kuolla, oikeesti", S),
    # Ambivalence is still the topic (policy 2): "I don't want to die, but ...".
    ("en mä halua kuolla mut en jaksa tätä", S),
    ("toivon että kuolisin", S),
    ("toivon et kuolisin unissani", S),
    ("toivon kuolevani", S),
    ("toivoisin et kuolen pian", S),
    ("kunpa kuolisin", S),
    ("kunpa olisin jo kuollut", S),
    ("kuolisinpa", S),
    ("olisinpa kuollut", S),
    ("ois parempi kuolla", S),
    ("olis parempi olla kuollut", S),
    ("mieluummin kuolisin", S),
    ("oisin mieluummin kuollu", S),
    ("olis ihana kuolla pois", S),
    ("toivon etten heräis", S),
    ("toivon etten heräisi enää", S),
    ("toivon ettei tarttis herätä", S),
    ("kunpa en heräis huomenna", S),
    ("haluun nukahtaa enkä herätä enää", S),
    ("toivon että en herää aamulla", S),
    ("en halua herätä enää", S),
    ("haluun vaan nukkua pois", S),
    ("haluisin nukahtaa ikuiseen uneen", S),
    ("ajattelen kuolemaa koko ajan", S),
    ("mietin kuolemaa paljon", S),
    ("odotan vaan kuolemaa", S),
    ("mulla on kuolemantoive", S),
    ("mulla on ollu kuoleman ajatuksia", S),
    ("kuolema ois helpotus", S),
    ("kuolema olis paras ratkaisu", S),
    ("kunpa joku tappais mut", S),
    ("toivon et auto ajais mun yli", S),
    # Not wanting to live.
    ("en halua elää", S),
    ("en haluu elää", S),
    ("en haluuu elää", S),
    ("en halua enää elää", S),
    ("en jaksa enää elää", S),
    ("en mä enää jaksa elää", S),
    ("EN JAKSA ELAA", S),
    ("en halua elaa enaa", S),
    ("en jaksa ela enaa", S),
    ("en tahdo elää tällasta elämää", S),
    ("en kestä tätä elämää enää", S),
    ("en jaksa tätä elämää", S),
    ("en ansaitse elää", S),
    ("en halua olla elossa", S),
    ("ei oo mitään syytä elää", S),
    ("ei kannata elää", S),
    ("mun ei pitäis elää", S),
    ("ei huvita elää", S),
    ("miks mä eläisin", S),
    ("mitä järkeä elää", S),
    ("miksi elää", S),
    ("elämä ei oo elämisen arvosta", S),
    ("elämä ei ole enää elämisen arvoista", S),
    ("mun elämä on turhaa", S),
    ("elämällä ei oo mitään merkitystä", S),
    ("mun elämä on ihan arvotonta", S),
    ("en halua olla olemassa", S),
    ("ois parempi jos en olis olemassa", S),
    ("olis parempi jos mua ei olis", S),
    ("kaikilla ois parempi ilman mua", S),
    ("ilman mua kaikki pärjäis paremmin", S),
    ("kaikki ois onnellisempia ilman minua", S),
    ("haluisin vaan lakata olemasta", S),
    ("kunpa en olis koskaan syntyny", S),
    ("miks mä ees synnyin", S),
    ("mua ei ois pitäny syntyä", S),
    ("en jaksa enää jatkaa", S),
    ("en jaksa enää taistella", S),
    ("en halua olla enää", S),
    ("oon vaan taakka kaikille", S),
    ("olen taakka perheelle", S),
    ("kukaan ei kaipais mua", S),
    ("ei kukaan edes huomais", S),
    ("vaikka kuolisin ni ketään ei kiinnostais", S),
    ("haluun vaan kadota", S),
    ("haluun pois tästä maailmasta", S),
    ("haluun vaan et kaikki loppuis", S),
    ("kunpa tää kaikki loppuis", S),
    # Suicide words in all forms and contexts (mentions count, policy 2).
    ("itsemurha", S),
    ("ITSEMURHA", S),
    ("mulla on itsemurha-ajatuksia", S),
    ("oon miettiny itsemurhaa", S),
    ("en oo ajatellu itsemurhaa", S),
    ("itsmurha", S),
    ("itsemurah", S),
    ("itse murha käy mielessä", S),
    ("meinasin tehä itsarin", S),
    ("itsari", S),
    ("mietin itsaria", S),
    ("itari käy mielessä", S),
    ("vois tehä itarin", S),
    ("mulla on itsetuhoisia ajatuksia", S),
    ("oon ollu tosi itsetuhonen", S),
    ("itsetuhosuus vaivaa", S),
    ("mun kaveri teki itsemurhan ja mietin samaa", S),
    ("tapan itteni", S),
    ("mä tapan itteni", S),
    ("tappaisin itteni jos uskaltaisin", S),
    ("tapan itseni", S),
    ("haluun tappaa itteni", S),
    ("haluun tapaa itteni", S),
    ("meinasin tappaa ittení", S),
    ("oon miettiny itteni tappamista", S),
    ("kaveri tappo ittensä ja mä mietin samaa", S),
    ("tapa ittes sano joku ja mä meinaan tehä sen", S),
    ("juon itteni hengiltä", S),
    ("päätän päiväni", S),
    ("aion päättää elämäni", S),
    ("haluun päättää mun elämän", S),
    ("haluun lopettaa kaiken", S),
    ("lopetan tän kaiken nyt", S),
    ("haluun lopettaa elämäni", S),
    ("teen tästä kaikesta lopun", S),
    ("riistän oman henkeni", S),
    ("pelkään et teen itelleni jotain", S),
    ("teen kohta itselleni jotain pahaa", S),
    # Means and plans.
    ("hyppään sillalta", S),
    ("mietin hyppääväni junan alle", S),
    ("meen junan alle", S),
    ("heittäydyn junan alle", S),
    ("hyppään parvekkeelta", S),
    ("ottaa kaikki pillerit", S),
    ("otan kaikki mun pillerit", S),
    ("syön koko purkin unilääkkeitä", S),
    ("vedän kaikki pamit kerralla", S),
    ("vedän överit tarkotuksella", S),
    ("vetää överit", S),
    ("mä otin yliannoksen", S),
    ("oon kerännyt pillereitä", S),
    ("oon säästäny lääkkeitä tätä varten", S),
    ("mulla on köysi valmiina", S),
    ("köysi on jo kattoon", S),
    ("hirttäydyn", S),
    ("meen hirteen", S),
    ("ammun itteni", S),
    ("myrkytän itteni", S),
    ("luoti kalloon", S),
    ("hukutan itteni järveen", S),
    ("kävelen mereen", S),
    ("ajan rekan keulaan", S),
    ("oon suunnitellu miten teen sen", S),
    # Farewells with finality.
    ("hyvästi kaikki, tää oli tässä", S),
    ("hyvästi", S),
    ("kiitos kaikesta ja hyvästi", S),
    ("tää oli tässä lopullisesti", S),
    ("en jaksa enää, tää oli tässä", S),
    ("haluun pois! en kestä tätä", S),
    ("En jaksa enää. Hyvää yötä kaikille.", S),
    ("tää on mun viimeinen viesti", S),
    ("ette näe mua enää ikinä", S),
    ("en oo enää huomenna täällä", S),
    ("anteeks kaikesta", S),
    ("oon kirjottanu jäähyväiskirjeen", S),
    ("kirjotin jäähyväis kirjeen perheelle", S),
    ("sanokaa äidille et rakastan sitä", S),
    ("mun elämä oli tässä", S),
    # Self-harm.
    ("viiltelen", H),
    ("VIILTELEN", H),
    ("viiltelin taas eilen", H),
    ("mä viiltelen itteeni", H),
    ("haluun viillellä", H),
    ("viilsin ranteet", H),
    ("viilsin käsiä", H),
    ("viltelen", H),
    ("viiltelyä taas", H),
    ("mulla on viiltoja käsissä", H),
    ("ranteet auki", H),
    ("satutan itseäni", H),
    ("satuttaa itteäni", H),
    ("haluun satuttaa itteeni", H),
    ("vahingoitan itseäni", H),
    ("itsensä vahingoittaminen", H),
    ("poltan itseäni tupakalla", H),
    ("poltin itteäni", H),
    ("hakkaan päätäni seinään", H),
    ("lyön itteeni", H),
    ("rankaisen itseäni", H),
    ("raavin itteni verille", H),
    # Inside longer messages, after other sentences, with emoji and noise.
    ("moi. tänään oli huono päivä. en jaksa enää elää", S),
    ("kävin kaupassa ja sit tuli mieleen et haluun kuolla", S),
    ("haluun kuolla 😭😭😭", S),
    ("mä en jaksa.... haluun vaan kuolla!!!", S),
    ("Tänään meni huonosti, mietin itsemurhaa taas", S),
    ("en jaksa mennä kauppaan, en jaksa elää", S),
    ("en jaksa\nhaluun kuolla", S),
    ("en... halua... elää", S),
    ("mä haluun vaan... kuolla", S),
    ("haluun kuo\u200blla", S),
    ("ＨＡＬＵＵＮ ＫＵＯＬＬＡ", S),
    ("kuolemanväsynyt ja haluun kuolla", S),
    # Hyperbole plus a real crisis phrase: the real one still counts.
    ("kuolen tylsyyteen, haluun kuolla oikeesti", S),
    ("nauroin itseni kuoliaaksi mut oikeesti mietin itsaria", S),
    ("tapan sut jos syöt mun jäätelön. ja sit tapan itteni", S),
    ("viilsin sormeen vahingossa, mut viiltelen myös tahallaan", H),
    ("poltin itteni saunassa ja poltan itteäni tupakalla", H),
    ("päätin päiväni saunaan, huomenna päätän elämäni", S),
    # More spoken forms, typos and broken Finnish (many clients are not native speakers).
    ("haluisin vaan lopettaa tän kaiken", S),
    ("en enää halua elää", S),
    ("ei oo mitään järkeä elää", S),
    ("mä oon miettiny et tapan itteni", S),
    ("meinaan tappaa itteni tänään", S),
    ("mä tapan ittein", S),
    ("tapan ittäni", S),
    ("mä tapan mut", S),
    ("aion vetää kaikki pillerit", S),
    ("oon päättäny kuolla", S),
    ("mä kuolen tänä yönä", S),
    ("en halua olla täällä enää", S),
    ("ei oo mitään syytä jatkaa", S),
    ("en näe mitään syytä elää", S),
    ("kuolla haluun", S),
    ("kuolema houkuttaa", S),
    ("mieluiten kuolisin", S),
    ("hlauun kuolla", S),
    ("hluun kuolla", S),
    ("haluun kuolle", S),
    ("haluu kuolla", S),
    ("meen raiteille", S),
    ("makaan raiteilla", S),
    ("ajan kolarin tahallaan", S),
    ("otin 50 panadolia", S),
    ("join pullon viinaa ja söin kaikki pillerit", S),
    ("vetäsin överit tahallaan", S),
    ("mä toivon et en heräis aamulla", S),
    ("toivon että nukahdan enkä herää", S),
    ("kunpa olisin kuollut", S),
    ("yritin itsemurhaa viime vuonna", S),
    ("yritin tappaa itteni", S),
    ("itsemurhayritys", S),
    ("itsensä tappaminen", S),
    ("en halua elää tämän kivun kanssa", S),
    ("en halua elää näin", S),
    ("ei jaksa enää elää", S),
    ("tekis mieli tappaa itteni", S),
    ("kuolla pois haluun", S),
    ("haluisin lopettaa elämäni", S),
    ("lopetan itteni", S),
    ("hän päätti päivänsä", S),
    ("ehkä mä vaan päätän tän kaiken", S),
    ("parempi et mä kuolen", S),
    ("parempi kuolla ku elää näin", S),
    ("ois helpointa jos kuolisin", S),
    ("kaikki ois paremmin jos mua ei ois", S),
    ("hyvästi julma maailma", S),
    ("hyppään kerrostalon katolta", S),
    ("söin kaikki lääkkeet", S),
    ("mä haluun viillellä kun ahdistaa", H),
    ("haluisin viiltää", H),
    ("viiltely helpottaa", H),
    ("oon viillelly taas", H),
    ("viillän itteäni", H),
    ("viilsin taas", H),
    ("leikkaan itteäni", H),
    ("leikkasin itteäni partaterällä", H),
    ("satutin itteäni tahallaan", H),
    ("hakkasin päätä seinään", H),
    ("takoin päätäni seinään", H),
    ("lyön päätäni seinään kun ahdistaa", H),
    ("rankasen itteäni", H),
    ("näännytän itseäni nälällä", H),
    ("polttelen itteäni tupakalla", H),
    ("i want to kill myself tonight", S),
    ("i wanna die so bad", S),
    ("thinking of ending my life", S),
    ("i hurt myself on purpose", H),
    ("jag vill ta mitt liv", S),
    ("jag tänker på självmord", S),
    ("jag har skurit mig", H),
    ("jag orkar inte leva längre", S),
    # English mixed in.
    ("i want to die", S),
    ("I just want to die lol", S),
    ("wanna die", S),
    ("i want to kill myself", S),
    ("kms", S),
    ("thinking about suicide", S),
    ("i'm suicidal", S),
    ("i don't want to live anymore", S),
    ("i want to end it all", S),
    ("everyone would be better off without me", S),
    ("i cut myself again", H),
    ("i've been self harming", H),
    ("mä oon ihan sekasin, i want to die", S),
    # Swedish.
    ("jag vill dö", S),
    ("vill inte leva", S),
    ("jag vill inte leva längre", S),
    ("orkar inte leva", S),
    ("jag tänker ta livet av mig", S),
    ("självmordstankar", S),
    ("jag skadar mig själv", H),
    ("jag skär mig", H),
    # Phrasings a review found missed, each followed by variants of the same idea.
    # No reason to live: "mitä järkeä tässä on enää elää".
    ("mita jarkee tas on enaa elaa", S),
    ("mitä järkeä tässä on enää elää", S),
    ("mitä järkee täs enää on elää", S),
    ("mika jarki tassa on elaa", S),
    ("mitä pointtia tässä on enää elää", S),
    ("ei oo mitaan syyta jatkaa elamista", S),
    ("ei oo mitää syytä jatkaa elämistä", S),
    ("ei mul oo enää mitään syytä jatkaa elamaa", S),
    ("ei oo mitaan jarkee jatkaa elamista enaa", S),
    # Wanting out for good.
    ("haluun pois taalta lopullisesti", S),
    ("haluun vaan pois täältä lopullisesti", S),
    ("haluisin pois täält ikuisesti", S),
    ("tahdon päästä pois tästä kaikesta lopullisesti", S),
    # Praying for death.
    ("rukoilen et kuolisin unissani", S),
    ("rukoilen joka ilta et kuolisin", S),
    ("rukoilin jumalalta et kuolisin unissa", S),
    ("rukoilen etten heräis enää", S),
    # Thinking about death all the time.
    ("ajattelen kuolemista koko ajan", S),
    ("ajattelen kuolemista jatkuvasti", S),
    ("aattelen kuolemaa koko ajan", S),
    ("haaveilen kuolemasta", S),
    ("mietin kuolemista ihan liikaa", S),
    ("kuolema pyorii mielessa koko ajan", S),
    ("kuolema pyörii mielessä jatkuvasti", S),
    ("mulla pyörii kuolema mielessä koko ajan", S),
    ("kuolema vaan pyorii paassa", S),
    ("mielessä pyörii vaan kuolema", S),
    ("ajatukset kuolemasta ei lähde päästä", S),
    # Plans and methods.
    ("mietin miten sen tekis ettei sattuis", S),
    ("mietin miten sen vois tehä ettei sattuis", S),
    ("mietin miten tekis sen kivuttomasti", S),
    ("oon miettiny mil tavalla sen tekisin", S),
    ("mietin miten kuolla ettei sattuis", S),
    ("mietin millä tavalla kuolisin nopeimmin", S),
    ("mietin mil tavalla kuolisin nopeiten", S),
    ("oon miettiny millä keinolla kuolisin helpoimmin", S),
    ("pohdin miten kuolla", S),
    ("mikä ois nopein tapa kuolla", S),
    ("miten vois kuolla kivuttomasti", S),
    ("ostin koyden", S),
    ("ostin köyden eilen", S),
    ("hankin jo köyden", S),
    ("oon ostanu koyden tata varten", S),
    ("ostin kaupasta köyden", S),
    ("meen sillalta alas", S),
    ("meen sillalta alas tänä yönä", S),
    ("menen katolta alas", S),
    ("meen sillalt alas", S),
    ("tiputan itteni sillalta", S),
    ("heitän itteni parvekkeelta alas", S),
    ("ostin pillereita ja aion nielasta ne kaikki", S),
    ("mulla on unilääkkeitä ja otan ne kaikki kerralla", S),
    ("hain apteekista pillereit ja vedän ne kaikki tänään", S),
    ("ostin pamei ja meinaan nielasta ne kaikki", S),
    ("nielaisin koko purkin", S),
    ("vedin viinaa ja laakkeita paalle ettei tarvis herata", S),
    ("join viinaa ja söin pillereitä päälle ettei tarttis herätä", S),
    ("otin unilääkkeitä ettei tarvis enää herätä", S),
    ("vedin kaljaa ja pamia päälle", S),
    ("söin unilääkkeet ja vodkaa perään", S),
    # Farewells.
    ("oon kirjottanu jo hyvastikirjeen", S),
    ("kirjotin hyvästikirjeet", S),
    ("oon kirjottanu hyvästi kirjeen äidille", S),
    ("tein hyvastiviestin valmiiks", S),
    ("kirjotin hyvästit perheelle", S),
    ("en oo enaa kauaa taalla", S),
    ("en oo enää pitkään täällä", S),
    ("en tuu olemaan täällä enää kauaa", S),
    ("en oo taal enaa kauaa", S),
    ("en ole enää kauan tässä maailmassa", S),
    # Self-harm.
    ("mietin ranteiden avaamista", H),
    ("mietin ranteitten avaamista", H),
    ("ajattelen ranteiden aukasemista", H),
    ("oon miettiny ranteiden viiltämistä", H),
    ("raavin kadet verille", H),
    ("raavin käsiä verille", H),
    ("raavin kädet rikki taas", H),
    ("raapisin ihon auki", H),
    ("raavin kasivarret verille", H),
]

# Genuinely ambiguous messages decided as a MATCH (when in doubt, the crisis reply).
BORDERLINE_MATCH: list[tuple[str, str]] = [
    ("en jaksa enää mitään", "'enää' (anymore) marks permanence; a standard screening trigger"),
    ("en jaksa enää", "as a whole message nothing names a task; read as about living"),
    ("en jaksa enää tätä", "same, 'tätä' can be life itself"),
    ("otin kaikki lääkkeet", "could report an overdose; only stated compliance is vetoed"),
    ("vedin överit eilen bileissä", "an overdose is an emergency whatever the intent"),
    ("tapan itteni jos joudun taas siihen kurssille", "hyperbole or not, it names the act"),
    ("kuolisin mieluummin kuin menisin sinne töihin", "explicitly prefers death"),
    ("lyön päätä seinään", "literal self-harm reading; only the simile is vetoed"),
    ("haluun kadota", "disappearing is a common euphemism"),
    ("itsemurhat on lisääntyneet uutisten mukaan", "mentions count (policy 2)"),
    ("lähden lopullisesti", "finality without a destination"),
    ("en halua kuolla", "raises the topic; ambivalence is common in crisis"),
    ("mun elämä on toivotonta", "hopelessness about life itself"),
    ("jos mä kuolisin huomenna", "imagining one's own death"),
    ("haluisin nukkua ikuisesti", "'sleep forever' is a death euphemism"),
    ("haluun et tää loppuu", "as a whole message nothing says what 'this' is"),
    ("haluun pois", "as a whole message: out of what is unsaid"),
    ("En jaksa enää. Meen nukkumaan.", "a sentence ending in 'en jaksa enää' is read as a message"),
    ("hyppään sillalta veteen kesällä", "jumping from a bridge; only 'uimaan' marks a swim"),
    ("en oo olemassa aamuisin ennen kahvia", "'I don't exist' is kept; a joke costs little"),
    ("päätin kuolla nauruun", "a decision to die; the veto covers only the fixed phrase"),
    ("haluun kuolla häpeästä", "a wish to die; only the bare idiom 'kuolen häpeään' is vetoed"),
    ("ajattelen kuolemaa", "crisis-adjacent: thinking of death, not of someone's death"),
    (
        "kuolema kävi mielessä kun katsoin uutisia",
        "'käynyt mielessä' is the screening question's own wording; no one else's death named",
    ),
    ("mietin miten sen tekisin", "'it' is unnamed; like 'mietin miten teen sen', read as a plan"),
    ("en oo enää kauaa", "'not around much longer' with nothing after it"),
    ("ostin köyden ja teippiä", "buying rope matches unless an everyday use is named"),
    ("mitä järkeä tässä on enää jatkaa", "ends the sentence: nothing says what goes on"),
    ("haluun nukkua niin pitkään ettei tarvis herätä", "'so I wouldn't have to wake up'"),
]

# --- Must not match ---------------------------------------------------------------------

MUST_NOT_MATCH: list[str] = [
    "",
    "moi",
    "kiitos",
    "ok 👍",
    "😀😀",
    "mikä päivä tänään on",
    "hain tänään kolmea työpaikkaa",
    "en jaksa mennä kauppaan",
    "en jaksa tänään",
    "en jaksa herätä aamulla",
    "en jaksa enää siivota",
    "en kestä tätä helettä",
    "en jaksa tätä sadetta",
    "en halua mennä töihin",
    "en halua olla vaivaks",
    "kuolen tylsyyteen",
    "kuolen nälkään",
    "mä kuolen nälkään, mitä syödään?",
    "tylsää, kuolen kohta tylsyyteen",
    "kuolen janoon, missä on vettä",
    "kuolisinpa tylsyyteen tässä jonossa",
    "nauroin itseni kuoliaaksi",
    "mä nauroin ihan kuoliaaksi",
    "väsyttää kuollakseni",
    "tapan sut jos syöt mun jäätelön",
    "mun kissa kuoli",
    "mummo kuoli keväällä ja mulla on ikävä",
    "mietin mummon kuolemaa paljon",
    "mun puhelimen akku kuoli",
    "kasvit kuoli ku unohdin kastella",
    "tapaaminen lopetetaan",
    "lopeta viestit",
    "LOPETA",
    "lopetetaan tähän",
    "lopetin juomisen kuukausi sitten",
    "haluun lopettaa tupakan",
    "lopetan kaikki turhat tilaukset",
    "tapaaminen on huomenna klo 10",
    "voidaanko siirtää tapaamista?",
    "tapaan sut huomenna",
    "tapoin aikaa pelaamalla",
    "tapan aikaa kirjastossa",
    "haluun elää terveemmin",
    "haluan elää pitkään",
    "elämä on ihanaa",
    "elämä on liian lyhyt huonoon kahviin",
    "mun elämä on ollut raskasta mut nyt menee paremmin",
    "toivon että kaikki menee hyvin",
    "kaikki loppuu aikanaan",
    "teen itse ruokaa",
    "teen itelleni jotain syötävää",
    "tein itelleni voileivän",
    "osaan tehdä sen itse",
    "itsenäisesti työskentely sujuu",
    "se oli ihan itsestään selvää",
    "tapahtui ihan itsestään",
    "itsetunto on huono",
    "haluan kehittää itseäni",
    "haluun haastaa itteni",
    "pitää ottaa itteään niskasta kiinni",
    "mä soitan kitaraa",
    "asun itä-helsingissä",
    "hyvästit tupakalle!",
    "hyvästi tupakka",
    "kiitos kaikesta, nähdään ensi viikolla",
    "tää oli tässä tältä päivältä, moikka",
    "tää oli tässä, kiitti!",
    "Okei. Tää oli tässä. Kiitos avusta!",
    "päätin lopettaa kaiken turhan stressaamisen",
    "tää on mun vika viesti tänään",
    "viimeinen hakupäivä on perjantaina",
    "kirjotin hakemuksen",
    "moottori hirttää kiinni",
    "hyppäsin bussiin viime hetkellä",
    "hyppään junaan ja tuun sinne",
    "ajan autolla töihin",
    "ajan rekkaa työkseni",
    "viiltävä kipu selässä",
    "ulkona on viileää",
    "ostin köyden teltalle",
    "satuin näkemään ilmoituksen",
    "satutin jalkani salilla",
    "en ikinä satuttais ketään",
    "lyön vetoa että sataa",
    "nukun krapulan pois",
    "toivon etten herää liian aikaisin",
    "en halua herätä aamulla kuudelta",
    "pelkään etten herää ajoissa",
    "jos en herää, soita mulle",
    "miks mun pitää mennä sinne",
    "kukaan ei vastaa puhelimeen",
    "haluun pois täältä kaupungista",
    "haluan muuttaa pois",
    "lähden lomalle",
    "otin aamulääkkeet",
    "otin kaikki paperit mukaan",
    "syön kaikki karkit",
    "ei tarvitse vastata",
    "en tiedä onko sellaista olemassa",
    "sellaista ei ole olemassa",
    "en syntynyt suomessa",
    "Kill Bill on hyvä leffa",
    "this job is killing me",
    "i'm dying to see that movie",
    "jag vill leva mitt liv",
    "vill du ha kaffe?",
    "jag dör av tristess",
    # More everyday messages that share words with the crisis rules.
    "en jaksa tehdä ruokaa",
    "en jaksa mitään tänään",
    "kuolen ikävästä",
    "kuolen jännityksestä",
    "tapan sen jos se vielä soittaa",
    "kiire tappaa",
    "hyvästelin kaverit",
    "jäähyväiskahvit oli kivat",
    "kävin jäähyväisjuhlissa",
    "kaveri kuoli kolarissa",
    "en halua elää velkaa",
    "en halua elää vanhempien kanssa",
    "en pysty elää ilman kahvia",
    "haluun nukkua koko päivän",
    "nukun pois väsymyksen",
    "mä nukun ikuisesti viikonloppuna",
    "lopetin kaiken somen",
    "en jaksa enää odottaa",
    "otin kaikki kamat mukaan",
    "otin kaikki aamun lääkkeet",
    "haen lääkkeet apteekista",
    "viiltäjä jack",
    "en oo huomenna töissä",
    "mua ei oo kutsuttu haastatteluun",
    "pelaan peliä jossa tapetaan zombeja",
    "hyppäsin yli aidan",
    "heittäydyn leikkiin",
    "satutin polveni",
    "kaaduin ja satutin itteni",
    "löin pääni kaappiin vahingossa",
    "hakkasin halkoja",
    "viilsin pahvilaatikon auki",
    "leikkasin tukkani",
    "leikkasin itelleni hiukset",
    "kuumaan kahviin poltin itteni",
    "pelkään kuolemaa",
    "toivon että tää kurssi loppuu pian",
    "hyvä tapa rentoutua on ilmaista itseään",
    "otin itteäni niskasta kiinni",
    "kunpa olisin rikas",
    "olis kiva kuulla susta",
    "ilman mua ne ei pärjää",
    "jos mua ei oo kotona ni soita",
    "kävelin järveen uimaan",
    "hukutan suruni työhön",
    "haulikko ladattuna metsällä",
    "et näe mua enää tänään töissä",
    "miks se elää niin",
    "elämällä on tarkoitus",
    "kukaan ei välitä musta",
    "en halua herätä huomenna aamulla",
    "I could kill for a coffee",
    "jag är död trött",
    # Everyday messages near the patterns added after the review.
    "ostin köyden pyykkinarua varten",
    "ostin köyden veneeseen",
    "hain köyden varastosta",
    "ostin uuden köyden lipputankoon",
    "mietin miten tehdä CV",
    "mietin miten sen CV:n tekis",
    "mietin miten teen sen hakemuksen",
    "ajattelin missä teen sen harjoituksen",
    "mietin millä tavalla teen tän esityksen",
    "nopein tapa päästä keskustaan",
    "tapa kuolla tylsyyteen on istua kokouksessa",
    "meen sillalta keskustaan bussilla",
    "kävelen sillalta alas rantaan",
    "meen sillan yli kauppaan",
    "menin katolta alas tikkaita pitkin",
    "mummon kuolema pyörii mielessä",
    "mielessä pyörii isän kuolema",
    "ajattelen mummon kuolemaa",
    "kuolema on osa elämää",
    "mitä järkeä on jatkaa tätä kurssia",
    "mitä järkeä on elää velaksi",
    "mitä hyötyä siitä on jos elää terveellisesti",
    "haluun muuttaa pois täältä lopullisesti",
    "haluun pois tästä firmasta lopullisesti",
    "rukoilen et mummo paranee",
    "rukoilen että isä ei kuole",
    "en oo enää kauaa täällä töissä",
    "en oo enää kauaa tässä kaupungissa",
    "en oo enää kauaa hereillä",
    "en oo enää kauaa työtön",
    "en ole enää pitkään tässä työssä",
    "ranteen leikkaus meni hyvin",
    "tein ranteita avaavia venyttelyjä",
    "raavin hyttysenpistot verille",
    "ostin karkkeja ja aion syödä ne kaikki",
    "laitoin lääkkeet dosettiin ja otan ne kaikki aamulla",
    "nielin koko paketin karkkeja",
    "join kahvia ja söin pullaa päälle",
    "laitoin verhot ettei tarvis herätä aikaisin",
    "otin vapaapäivän ettei tarvis herätä kouluun",
    "kirjoitin hyvästit työkavereille",
    "heitin itteni järveen uimaan",
]

# Genuinely ambiguous messages decided as NO match, with the reason.
BORDERLINE_NO_MATCH: list[tuple[str, str]] = [
    ("tää työ tappaa mut", "an external burden ('the job is killing me'), not intent"),
    ("kuolemanväsynyt", "fixed compound for 'dead tired'"),
    ("oon ihan kuollut väsymyksestä", "'dead' from tiredness"),
    ("oon ihan kuollu", "'I'm dead' = exhausted; no wish, no act"),
    ("oon ihan loppu", "exhaustion; left to the NLU and the coach"),
    ("isä kuoli viime vuonna", "grief is a coaching topic, not a crisis by itself"),
    ("viilsin sormeen vahingossa leipäveitsellä", "a kitchen accident to a finger"),
    ("elämä on paskaa", "venting about circumstances, no hopelessness about living"),
    ("en jaksa enää hakea töitä", "burn-out about a named task, not about living"),
    ("tällä tuella ei voi elää", "about money ('can't live on this benefit')"),
    ("poltin itteni saunassa", "an accidental burn (fixed place list)"),
    ("poltin itteni auringossa", "sunburn"),
    ("ammuin itteäni jalkaan siinä haastattelussa", "idiom: a self-inflicted blunder"),
    ("tuntuu ku hakkais päätä seinään tän työkkärin kanssa", "simile for futile effort"),
    ("otin kaikki lääkkeet ohjeen mukaan", "medication compliance stated explicitly"),
    ("haluun lopettaa kaiken juomisen", "quitting a habit"),
    ("päätin päiväni saunaan", "ending the day, not life"),
    ("mulla on lääkkeet valmiina", "a prepared dosette is routine; pills need 'all'/a count"),
    ("tänään mä teen sen", "no act named"),
    ("oon ihan toivoton", "'I'm hopeless (at this)' is mostly self-deprecation"),
    ("tää on loppu", "no subject; left to the NLU"),
    ("se oli siinä", "'that was it' - everyday"),
    ("mä hyppään", "no place to jump from"),
    ("tää oli tässä", "a common way to close a chat; it needs a word of finality"),
    ("en jaksa enää, mennään huomenna", "after a comma the sentence goes on to a task"),
    ("hyppäsin sillalta uimaan", "swimming stated explicitly"),
    ("satutin itteni pelatessa futista", "an injury with a stated accident (sport, fall)"),
    ("raavin kädet verille ekseeman takia", "a skin condition is named, like the accident vetoes"),
    (
        "pitäis soittaa työkkäriin, mietin miten sen tekis",
        "'sen' is the errand just named; without it 'mietin miten sen tekis' matches",
    ),
]

ALL_POSITIVES: list[str] = [text for text, _ in MUST_MATCH] + [t for t, _ in BORDERLINE_MATCH]
ALL_NEGATIVES: list[str] = MUST_NOT_MATCH + [t for t, _ in BORDERLINE_NO_MATCH]
RULE_NAMES = {rule.name for rule in CRISIS_RULES}


# --- The lists ------------------------------------------------------------------------


def test_the_lists_are_large_and_disjoint() -> None:
    assert len(ALL_POSITIVES) >= 150
    assert len(ALL_NEGATIVES) >= 80
    assert len(set(ALL_POSITIVES)) == len(ALL_POSITIVES), "duplicate positive"
    assert len(set(ALL_NEGATIVES)) == len(ALL_NEGATIVES), "duplicate negative"
    assert not set(ALL_POSITIVES) & set(ALL_NEGATIVES)


@pytest.mark.parametrize(("text", "kind"), MUST_MATCH)
def test_must_match(text: str, kind: CrisisKind) -> None:
    match = detect_crisis(text)
    assert match is not None, f"missed crisis: {text!r} (normalised {normalise(text)!r})"
    assert match.kind == kind
    assert match.rule in RULE_NAMES


@pytest.mark.parametrize(("text", "reason"), BORDERLINE_MATCH)
def test_borderline_decided_as_match(text: str, reason: str) -> None:
    assert detect_crisis(text) is not None, reason


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_must_not_match(text: str) -> None:
    assert detect_crisis(text) is None, f"false positive: {detect_crisis(text)}"


@pytest.mark.parametrize(("text", "reason"), BORDERLINE_NO_MATCH)
def test_borderline_decided_as_no_match(text: str, reason: str) -> None:
    assert detect_crisis(text) is None, reason


def test_recall_and_false_positive_rate() -> None:
    missed = [t for t in ALL_POSITIVES if detect_crisis(t) is None]
    false_alarms = [t for t in ALL_NEGATIVES if detect_crisis(t) is not None]
    recall = 1 - len(missed) / len(ALL_POSITIVES)
    fp_rate = len(false_alarms) / len(ALL_NEGATIVES)
    print(
        f"\ncrisis rules: recall {recall:.1%} on {len(ALL_POSITIVES)} positives, "
        f"false positives {fp_rate:.1%} on {len(ALL_NEGATIVES)} negatives"
    )
    assert missed == []
    assert false_alarms == []


# --- Result contract --------------------------------------------------------------------


def test_match_is_frozen_and_carries_no_client_text() -> None:
    text = "mä haluun kuolla, t. Pertti Virtanen"
    match = detect_crisis(text)
    assert match == CrisisMatch(kind="suicide", rule="want_to_die")
    assert "Pertti" not in match.rule
    with pytest.raises(AttributeError):
        match.rule = "x"  # type: ignore[misc]


def test_rule_table_is_well_formed() -> None:
    names = [rule.name for rule in CRISIS_RULES] + [rule.name for rule in HYPERBOLE_RULES]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
    assert FAIL_SAFE_RULE not in RULE_NAMES
    assert {rule.kind for rule in CRISIS_RULES} == {"suicide", "self_harm"}


def test_every_crisis_rule_is_exercised_by_a_positive() -> None:
    # A rule no example reaches is either dead or untested; both need a look.
    reported = {match.rule for text in ALL_POSITIVES if (match := detect_crisis(text))}
    assert reported == RULE_NAMES


def test_every_hyperbole_rule_matches_one_of_the_negatives() -> None:
    negatives = [" " + normalise(text) for text in ALL_NEGATIVES]
    for rule in HYPERBOLE_RULES:
        assert any(rule.pattern.search(text) for text in negatives), rule.name


def test_hyperbole_only_vetoes_hits_inside_it() -> None:
    assert detect_crisis("kuolen tylsyyteen") is None
    assert detect_crisis("kuolen tylsyyteen. kuolen tylsyyteen. haluun kuolla") is not None
    assert detect_crisis("ammuin itteäni jalkaan") is None
    assert detect_crisis("ammuin itteäni jalkaan ja sit ammun itteni") is not None


def test_an_everyday_exaggeration_is_told_from_a_crisis() -> None:
    assert is_everyday_exaggeration("kuolen tylsyyteen")
    assert is_everyday_exaggeration("Kuolen tylsyyteen. Meen nukkumaan.")
    assert not is_everyday_exaggeration("kuolen tylsyyteen, haluun kuolla")
    assert not is_everyday_exaggeration("en nää mitään valoa enää")
    assert not is_everyday_exaggeration("")


def test_fail_safe_answers_with_the_crisis_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    import backend.safety.crisis as crisis

    def broken(text: str) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(crisis, "normalise", broken)
    assert detect_crisis("moi") == CrisisMatch(kind="suicide", rule=FAIL_SAFE_RULE)


# --- Normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MÄ HALUUN KUOLLLLA!!! 😭", "ma haluun kuolla"),
        ("Eläääää", "elaa"),
        ("Självmord på gång", "sjalvmord po gong"),
        ("en\tjaksa\n\n  enää", "en jaksa enaa"),
        ("itsemurha-ajatuksia", "itsemurha ajatuksia"),
        ("kuo\u200blla", "kuolla"),
        ("ＨＡＬＵＵＮ", "haluun"),
        ("café naïve", "cafe naive"),
        ("a\u0308iti", "aiti"),
        ("", ""),
    ],
)
def test_normalise_examples(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@given(st.text(max_size=300))
def test_normalise_output_is_canonical(text: str) -> None:
    result = normalise(text)
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", result)
    assert not re.search(r"([a-z])\1\1", result)
    assert normalise(result) == result


# --- Properties -------------------------------------------------------------------------


def _check_result(match: CrisisMatch | None) -> None:
    # The fail-safe would make "never raises" pass vacuously; it must not be what we see.
    assert match is None or (match.rule in RULE_NAMES and match.kind in {"suicide", "self_harm"})


@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    _check_result(detect_crisis(text))


@given(
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(["\x00", "\x07", "\x1b", "\u200b", "\u202e", "\ufeff", "😭", "🔪"]),
        ),
        max_size=200,
    )
)
def test_never_raises_on_control_characters_and_emoji(text: str) -> None:
    _check_result(detect_crisis(text))


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40))
def test_never_raises_on_20000_characters(chunk: str) -> None:
    text = (chunk * (20_000 // len(chunk) + 1))[:20_000]
    _check_result(detect_crisis(text))


def _worst_case_message() -> str:
    # The slowest input found: one- and two-letter words, so that every word start is a
    # candidate for every pattern, and words that begin many rules without completing
    # any, so that nothing matches and every rule scans the whole message.
    unit = "en ei ma i ku jos oon a "
    return (unit * (20_000 // len(unit) + 1))[:20_000]


def test_the_worst_case_message_is_scanned_without_a_match() -> None:
    # How long it takes is measured by `make bench` (bench/parsers.py), not asserted here.
    assert detect_crisis(_worst_case_message()) is None


# Phrases whose match nothing around them can undo: no end-of-sentence anchor, no
# look-ahead at the next word, no hyperbole veto that could cover them. So they must be
# found wherever they are embedded.
EMBEDDABLE: list[str] = [
    "haluun kuolla",
    "en halua elää enää",
    "en jaksa enää elää",
    "itsemurha",
    "itsaria",
    "tapan itteni",
    "viiltelen",
    "viillän ranteeni",
    "vahingoitan itseäni",
    "mulla on köysi valmiina",
    "elämä ei oo elämisen arvosta",
    "kunpa olisin kuollut",
    "ois parempi jos en olis olemassa",
    "heittäydyn junan alle",
    "oon kerännyt pillereitä",
    "jäähyväiskirje",
    "i want to die",
    "jag vill dö",
    "rukoilen et kuolisin",
    "ajattelen kuolemista koko ajan",
    "mietin ranteiden avaamista",
    "oon kirjottanu hyvästikirjeen",
]

_WORDS = st.text(alphabet=string.ascii_letters + "äöåÄÖÅ ", max_size=200)


@given(prefix=_WORDS, phrase=st.sampled_from(EMBEDDABLE), suffix=_WORDS)
def test_positive_phrase_embedded_in_random_text_is_detected(
    prefix: str, phrase: str, suffix: str
) -> None:
    assert detect_crisis(f"{prefix} {phrase} {suffix}") is not None
