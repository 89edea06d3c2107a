"""The triage lexicon: every pattern the classifier knows, as data.

Patterns are written against the normalised text (see ``normalize.py``):
lower case, no apostrophes ("dont", "im", "ive", "ill"), abbreviations
expanded ("tonight", "going to", "right now", "for real").

Each :class:`Rule` has a *kind* that says what the match means; the engine in
``rules.py`` decides the risk level from the kinds that survive the context
checks (negation, past tense, jokes, who the subject is). Keeping the words
here and the logic there means adding a phrase never needs a code change.

Kinds
-----
crisis on their own:
    ``intent``   a future/now suicidal act ("going to end it", "about to od");
                 the subject decides whose: I/he/she -> crisis, "you" -> ignored
    ``act``      harm happening now or already taken ("took 30 tablets")
    ``goodbye``  an unmistakable final message ("this is my last post")
    ``harm_other`` stated intent to seriously hurt another person
crisis in combination (see ``rules.decide``):
    ``ideation`` wanting to die / suicidal thoughts (concern alone)
    ``means``    means at hand or a plan ("saved up my tablets", "the rope")
    ``time``     a when ("tonight", "after everyone is asleep", "on friday")
    ``farewell`` a soft goodbye cue ("thanks for everything", "bye x")
    ``ambiguous_act`` "doing it now" - only with a risk context
    ``welfare``  someone has gone quiet ("phone is off", "not answering")
    ``denial``   "no plans", "not going to do anything" - caps combinations
concern:
    ``passive``  passive ideation ("wish I could not wake up")  (weight 2)
    ``concern``  burden, hopelessness, recent self-harm, urges, unsafe at
                 home, stopping meds, voices                      (weight 2)
    ``weak``     struggling, lonely, falling apart                (weight 1)
flags: ``hostility``, ``substance``, ``practical``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One lexicon entry: a regex (normalised text) and what a match means."""

    key: str
    kind: str
    label: str
    pattern: str
    joke_prone: bool = False  # hyperbole-prone phrase: a "lol" with no "for real" cancels it


# ----------------------------------------------------------------- fragments
SELF = r"(?:my|him|her|them|your|our)sel(?:f|ves)"
FUT = (
    r"(?:going to|about to|planning (?:to|on)|plan to|planned to|ready to|decided to|will|ill|shall|"
    r"intend to|intending to|gonna|finally going to|tonight i will|tonight ill)"
)
ADV = r"(?:(?:just|finally|actually|really|definitely|seriously|properly|probably|gonna|going to)\s+)*"
SUICIDE_ACT = (
    rf"(?:kill {SELF}|kill (?:me|myself) off|end (?:it all|it|my life|(?:his|her|their) (?:own )?life|"
    rf"everything|things|this)(?! with)|take (?:my|his|her|their) (?:own )?life|kms|ctb|catch the bus|"
    rf"unalive(?: {SELF}|(?! (?:my|his|her|him|them|you|the|that|this|everyone)\b))|commit suicide|commit|od|overdose|hang {SELF}|top {SELF}|off {SELF}|"
    rf"jump (?:off|from|in front of)|sewer slide|slit (?:my|his|her|their) wrists?|drown {SELF}|"
    rf"(?:make sure|making sure) (?:i|he|she|they) (?:dont|never|do not|doesnt) wake up|"
    rf"not be (?:here|around|alive)(?: anymore| tomorrow| much longer| for long| by)|"
    rf"swallow (?:all|the lot|everything|them all)|take (?:all|the lot|them all|every one) of (?:my|the|them)|"
    rf"take (?:all|the lot|them all)\b|finish (?:it|it all|myself off|things)\b(?= *(?:tonight|today|now|for good|this time|$|[.!\n]))|"
    rf"(?:ending|end) it (?:tonight|today|now|at midnight|this weekend))"
)
PILLS = (
    r"(?:pills|tablets|tabs|meds|medication|paracetamol|paracetemol|ibuprofen|painkillers|codeine|"
    r"co-codamol|cocodamol|sertraline|citalopram|fluoxetine|mirtazapine|quetiapine|olanzapine|"
    r"lithium|diazepam|zopiclone|sleeping pills|insulin|antidepressants|propranolol|amitriptyline|"
    r"tramadol|morphine|oramorph|oxy\w*|pregabalin|gabapentin|venlafaxine|valium|xanax|lorazepam|clozapine|"
    r"methadone|fentanyl|sleepers|sleeping tablets|warfarin|lyrica|pregabs|elvanse|"
    # issue 20, sixth round: a medicine named by the ending its class shares (clonazepam, zopiclone, olanzapine,
    # oxycodone, methylphenidate...), so a drug the list never named still reads as tablets
    r"\w{2,}(?:azepam|azolam|oxetine|traline|iapine|zapine|adone|codone|orphine|amadol|iclone|olpidem|abalin|"
    r"apentin|afaxine|triptyline|talopram|phenidate|amfetamine))"
)
QTY = (
    r"(?:all(?: of)?|the whole|a whole|my whole|my entire|a (?:hale|full)\b|loads of|a load of|a lot of|lots of|a bunch of|a handful of|"
    r"handfuls of|every|too many|the rest of|double|triple|\d{2,}|about \d+|like \d+|around \d+|over \d+|"
    r"(?:twenty|thirty|forty|fifty|a hundred)|(?:two|three|four) (?:boxes|packets|strips|packs))"
)
# Signs of a medical emergency (an eating disorder, an overdose, dehydration): two of them together are danger now.
MEDICAL_SIGN = (
    r"(?:fainted|fainting|passed out|collapsed|chest (?:pains?|hurts|is hurting|really hurts)|hearts? (?:is |keeps )?"
    r"(?:skipping|fluttery|fluttering|doing something|going funny|pounding|racing)|no food and no water|cant feel my (?:fingers|hands|feet|legs|face)|blood in (?:it|my "
    r"sick|the sick|my vomit|my wee)|cant stand up|gone (?:grey|blue)|lips (?:are )?(?:split|blue)|no water for|"
    r"(?:havent|hasnt) drunk anything|arms? (?:is |s )?tingling)"
)
THIRD = (
    r"(?:he|she|they|hes|shes|theyre|theyve|hed|shed|theyd|his|her|their|my (?:friend|mate|son|"
    r"daughter|brother|sister|mum|mom|dad|partner|wife|husband|boyfriend|girlfriend|bf|gf|nan|"
    r"grandad|cousin|flatmate|housemate|kid|child)|someone|somebody|a member|another member)"
)
INSULT = (
    r"(?:idiots?|morons?|losers?|pathetic|stupid|dickheads?|pricks?|twats?|wankers?|cunts?|bitch(?:es)?|"
    r"scumbags?|scum|arseholes?|assholes?|knobheads?|tossers?|retard(?:ed|s)?|freaks?|creeps?|"
    r"clowns?|cretins?|snowflakes?|sheep|(?:a )?(?:fucking |fkn )?joke|weak|smug (?:git|prick|twat|\w+)|gits?|"
    r"imbeciles?|muppets?|cowards?|trolls?|waste of (?:space|oxygen|air|skin)|"
    r"piece of (?:shit|crap|work)|disgusting|vile|nutters?|psychos?|attention seekers?|"
    r"fucking useless|useless|worthless|ugly|fat (?:cow|pig|slob|bitch)|liars?|lying \w+|"
    r"spineless \w+|sad little \w+|nonce|degenerates?|parasites?|vermin)"
)
# Insults the first list did not have: Scots, Irish, prison and faith-group words for a person (issue 20, fifth round).
INSULT_V6 = (
    r"(?:toerags?|headers?|oul wagon|wagons?|(?:absolute|total|right) rockets?|numpt(?:y|ies)|eejits?|fann(?:y|ies)|bawbags?|bampots?|dafty|"
    r"rats?|snakes?|grass(?:es)?|mugs?|hypocrites?|gossips?|cheats?|bull(?:y|ies)|snobs?|frauds?|fakes?|tramps?|"
    r"lowlifes?|smackheads?|junkies|junkie|crackheads?|nonces|screw lovers?|apostates?|heretics?|abominations?|"
    r"brainwashed \w+|nosy (?:old )?\w+|happy ?clappers?|coconuts?|dinlos?|stuck up \w+|sleekit \w+|wee shites?|"
    r"bitter (?:old |oul )?\w+|thieving \w+|lying \w+|disgrace(?! to (?:the|our) (?:family|name))|perverts?|"
    r"bigots?|misogynists?|snowflakes?|witch|cow|scroungers?|dogs?|pigs?|worms?|cockroach(?:es)?|"
    r"leech(?:es)?|skanks?|prats?|know.it.alls?)"
)
VIOLENT = r"(?:kill|unalive|stab|murder|shoot|strangle|knife|glass|batter|run over|burn)"
VICTIM = (
    r"(?:him|her|them|you|you all|everyone|someone|somebody|people|that (?:guy|bloke|man|woman|lad|"
    r"girl|prick|bastard|twat|cow|bitch|idiot)|the (?:bastard|bloke|guy|man|woman|prick|lot of them)|"
    r"(?:my|his|her|their) (?:dad|stepdad|step dad|mum|mom|stepmum|brother|sister|ex|boss|husband|"
    r"wife|partner|boyfriend|girlfriend|neighbour|neighbor|landlord|flatmate|housemate|teacher|"
    r"manager|uncle|aunt|cousin))"
)
DRUGS = (
    r"(?:drink|drinking|drank|drunk|booze|boozing|alcohol|vodka|wine|beer|beers|cans|cider|gin|whisky|"
    r"whiskey|rum|spirits|pints|weed|cannabis|skunk|joint|joints|spliff|spliffs|coke|cocaine|ket|"
    r"ketamine|mdma|molly|pills|heroin|smack|crack|spice|meth|speed|drugs|gear|benzos|xanax|valium|"
    r"using|high|stoned|wasted|sober|clean)"
)

RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------ intent (crisis)
    Rule("intent_future", "intent", "intent to act", rf"\b{FUT}\s+{ADV}(?:to\s+)?{SUICIDE_ACT}"),
    Rule(
        "intent_tonight",
        "ambiguous_act",
        "a night/day chosen",
        r"\b(?:tonight|today|this weekend|tomorrow)(?:s| is) the (?:night|day)\b",
    ),
    Rule(
        "intent_kms",
        "intent",
        'slang for suicide ("kms")',
        r"\b(?:kms|ctb)\b(?= *(?:tonight|today|right now|for real))",
        joke_prone=True,
    ),
    Rule(
        "intent_ending_when",
        "intent",
        "ending it at a set time",
        r"\b(?:ending|finishing) (?:it all|it|things|my life)\b(?=[^.!?\n]{0,15}\b(?:tonight|today|at midnight|tomorrow|"
        r"this weekend|right now|at \d))|\b(?:tonight|today|at midnight|tomorrow|this weekend|at \d+)\b[^.!?\n]{0,25}"
        r"\b(?:ending|end|finishing|finish) (?:it all|it|things|my life)\b(?! with)",
    ),
    Rule(
        "intent_wont_see",
        "intent",
        "won't live to see a date",
        r"\b(?:wont|will not|not going to|never going to|not gonna) (?:see|make it to|reach|live to see|be alive (?:for|at|on))"
        r" (?:it|my (?:birthday|\d+\w*)|christmas|tomorrow|the morning|morning|next (?:week|year|month)|another (?:day|year|"
        r"christmas|birthday)|the (?:weekend|new year))\b",
    ),
    Rule(
        "intent_scared_of_self",
        "intent",
        "afraid of what they are about to do",
        r"\b(?:scared|afraid|terrified|frightened) (?:of )?what (?:im|i am|i|i might|i will|ill) (?:about to|going to|might|"
        r"will|could)? ?do(?: to myself)?\b(?= *(?:tonight|right now|now|$|[.!\n]))",
    ),
    Rule(
        "intent_decided",
        "intent",
        "decision made",
        r"\b(?:ive|i have|i) (?:decided|made (?:up )?my (?:mind|decision)|made the decision)\b(?= [^.!?\n]{0,40}"
        r"(?:end|die|kill|go|not (?:be|going)|around|it|tonight))",
    ),
    Rule(
        "intent_not_around",
        "intent",
        "won't be around",
        r"\b(?:im|i am|i will|ill|i|ive) (?:not going to|wont|will not|not gonna|wont still) (?:be (?:around|here|alive)|"
        r"make it (?:to|through|past))(?:\s+\w+)?\s+(?:much|for long|by|to see|past|after|next|tomorrow|christmas|"
        r"the weekend|my birthday|another|when|in the morning|come|anymore)",
    ),
    Rule(
        "intent_this_time",
        "intent",
        "intent to act",
        r"\b(?:this time|tonight|for real this time) (?:im|i am|i will|ill) (?:going to )?"
        r"(?:do it|go through with it|end it|not (?:fail|stop|bottle it))",
    ),
    # ------------------------------------------------------------ act (crisis)
    Rule(
        "act_taken",
        "act",
        "overdose taken",
        rf"\b(?:took|taken|swallowed|swallied|downed|necked|drank|injected|had|ate|take|taking|swallowing)\s+"
        rf"(?:\w+\s+){{0,2}}?"
        rf"{QTY}\s+(?:\w+\s+){{0,4}}?(?:of\s+)?(?:(?:my|the|these|his|her|her|mums|mum's|dads)\s+)?{PILLS}",
    ),
    Rule(
        "act_taken2",
        "act",
        "overdose taken",
        r"\b(?:took|taken|swallowed|downed)\s+(?:about |like |around |over )?\d{2,}\b(?!,?\d)"
        r"(?! ?(?:days?|hours?|hrs?|minutes?|mins?|weeks?|months?|years?|yrs?|seconds?|secs?|goes|attempts?|tries|photos?|"
        r"pictures?|pieces?|steps|pages|laps|miles|km|points|runs|goals|wickets|%|am|pm|kg|lbs?|quid|pounds)\b)",
    ),
    Rule(
        "act_od",
        "act",
        "overdose taken",
        r"\b(?:ive|i have|i|just|he|she|they|hes|shes|theyve|has|have)\s+(?:just\s+|already\s+)?(?:odd|oded|od|"
        r"overdosed|taken an overdose|took an overdose|taken an od|took an od)\b",
    ),
    Rule(
        "act_cutting_now",
        "act",
        "self-harm happening now",
        r"\b(?:(?:im|i am|i|been|currently|just)\s+)?(?:cutting|burning|hurting|harming|bleeding)\b(?:\s+\w+){0,3}?\s+"
        r"(?:right now|now|at the moment|as i type|as we speak)",
    ),
    Rule(
        "act_blade_now",
        "act",
        "means in hand now",
        r"\b(?:holding|have|got|ive got|with)\s+(?:the|a|my)\s+(?:blade|razor|knife|rope|noose|belt|pills|"
        r"tablets|gun)\s+(?:in my hand|right now|now|ready|round my neck|at my wrist|against)",
    ),
    Rule(
        "act_bleeding",
        "act",
        "injury now",
        r"\b(?:blood (?:everywhere|wont stop|will not stop|is pouring|all over)|cant stop (?:the )?bleeding|"
        r"(?:went|cut|gone) (?:too |way too |a lot )?deep(?:er)?(?: than)?|need(?:s)? stitches|"
        r"bleeding (?:a lot|heavily|badly|loads))",
    ),
    Rule(
        "act_at_edge",
        "act",
        "at the place now",
        r"\b(?:standing|stood|sat|sitting|waiting|am|im)\s+(?:on|at|by|near)\s+(?:the\s+)?(?:edge|ledge|bridge|"
        r"roof|rooftop|platform|tracks|railway|cliff|motorway bridge)\b(?=[^.!?\n]{0,40}(?:right now|now|"
        r"tonight|train|jump|over|bye|goodbye|end))",
    ),
    Rule(
        "act_injury",
        "act",
        "injury just done",
        r"\bjust (?:\w+ )?(?:cut|burned|burnt|hurt|harmed|stabbed|scalded|hit) (?:myself|my (?:arm|wrist|leg|thigh|skin)s?)"
        r"\b(?=[^\n]{0,80}\b(?:bad|deep|blood|bleeding|stitches|blister\w*|wont stop|cant stop|hospital|a and e|on purpose))",
    ),
    Rule(
        "act_not_accident",
        "act",
        "deliberate overdose/injury",
        r"\b(?:it )?(?:wasnt|was not|isnt|is not) an accident\b|\bon purpose this time\b",
    ),
    Rule(
        "act_drank_and_took",
        "act",
        "overdose taken",
        r"\b(?:took|taken|swallowed)\s+(?:all|the rest of|every one of)\s+(?:my|the|his|her)\s+\w+",
    ),
    # ------------------------------------------------------------ goodbye (crisis)
    Rule(
        "goodbye_last_post",
        "goodbye",
        "final message",
        r"(?:^|[.!?\n] *)(?:final|last) (?:message|post|goodbye)\b(?! (?:of|in|for|on) (?:the|this|my|today))|"
        r"\b(?:this is|this will be|thisll be|this is going to be|probably) (?:my|the) (?:last|final) "
        r"(?:post|message|msg|time (?:posting|writing|here)|goodbye|words)",
    ),
    Rule(
        "goodbye_letters",
        "goodbye",
        "goodbye letters written",
        r"\b(?:written|wrote|left|finished) (?:\w+ ){0,2}(?:letters?|notes?|a note) (?:for|to) "
        r"(?:my (?:mum|mom|dad|family|kids|children|son|daughter|sister|brother|wife|husband|partner|parents)|everyone|"
        r"each of)",
    ),
    Rule(
        "goodbye_finds_me",
        "goodbye",
        "arranging to be found",
        r"\b(?:the one (?:who|to) finds? me|(?:finds|find|found) (?:me|my body) (?:dead|in the morning|first)|"
        r"(?:ring|call|tell|let) (?:her|him|them|my \w+|someone) (?:know )?(?:afterwards|after(?: its done| im gone)|"
        r"when its done|when im gone))",
    ),
    Rule(
        "goodbye_note",
        "goodbye",
        "suicide note",
        r"\b(?:suicide note|goodbye (?:letter|note|message|video)s?|final (?:letter|note|goodbye)|"
        r"by the time (?:you|anyone|someone) (?:reads?|sees?|finds?) this|"
        r"see (?:you|you all|everyone) on the other side|goodbye forever|this is goodbye|"
        r"said my goodbyes|saying my (?:last |final )?goodbyes|my affairs (?:are )?in order|"
        r"(?:put|sorted|getting) my affairs in order)",
    ),
    Rule(
        "goodbye_say",
        "goodbye",
        "saying goodbye to the group",
        r"\b(?:just )?(?:wanted|want|need|needed) to say (?:a (?:last |final )?)?(?:goodbye|bye|thank you and goodbye)"
        r"(?= (?:to )?(?:you all|everyone|all|the group|you|this group|yall|everybody|guys))",
    ),
    Rule(
        "goodbye_care_for",
        "goodbye",
        "arranging care of pets/people after they are gone",
        r"\b(?:look after|take care of|take|have|feed|mind|care for|rehome|re-home|find a home for) my "
        r"(?:dog|cat|cats|dogs|kids|children|son|daughter|plants|rabbit|hamster|fish|bird|pets?|baby|boy|girl)"
        r"\b[^.!?\n]{0,40}?(?:when im gone|after im gone|if anything happens|for me (?:after|when|please)|"
        r"once im gone|when i go|after (?:tonight|today|this weekend|friday|saturday|sunday))",
    ),
    Rule(
        "goodbye_wont_need",
        "goodbye",
        "won't need my things",
        r"\b(?:i )?(?:wont|will not|dont|do not) (?:need|be needing) (?:\w+ ){0,3}?(?:anymore|any more|after|"
        r"where im going|much longer)\b",
    ),
    Rule(
        "goodbye_no_point_keeping",
        "goodbye",
        "giving possessions away",
        r"\b(?:no point (?:in )?keeping|giving (?:my|away my) (?:account|stuff|things|games|clothes|guitar|"
        r"books) (?:away |to (?:whoever|anyone|someone))|giving (?:all )?(?:my|away my) (?:things|stuff|belongings) (?:away|to)|"
        r"who (?:wants|gets) my (?:stuff|things)|(?:left|leaving) (?:you|everyone) my)",
    ),
    # ------------------------------------------------------------ harm to others (crisis + hostility)
    Rule(
        "harm_other",
        "harm_other",
        "intent to seriously hurt someone",
        rf"\b(?:im going to|i am going to|going to|im gonna|ill|i will|i swear ill|i swear i will|about to|"
        rf"planning to|gonna)\s+(?:fucking\s+|actually\s+|really\s+|finally\s+)?{VIOLENT}\s+{VICTIM}\b",
        joke_prone=True,
    ),
    Rule(
        "harm_other_veiled",
        "harm_other",
        "veiled threat to hurt someone",
        r"\b(?:ill|i will|im going to) be waiting (?:outside|for (?:you|him|her|them))\b[^.!?\n]{0,60}"
        r"|\b(?:you|he|she|they) (?:wont|will not) (?:be )?walk(?:ing)? away\b|\b(?:ill|i will|im going to) make "
        r"(?:sure )?(?:you|him|her|them) (?:pay|suffer|regret|bleed)\b",
        joke_prone=True,
    ),
    # ------------------------------------------------------------ ideation (concern; crisis with means/time)
    Rule(
        "ideation_want",
        "ideation",
        "wants to die / kill self",
        rf"\b(?:want|wants|wanted|wanting|need|needs|desperate|going) to (?:just )?(?:kill {SELF}|end (?:it all|it|my life|"
        rf"everything)(?! with)|die|be dead|unalive {SELF}|kms|ctb|not exist|take my (?:own )?life|"
        rf"overdose|od)\b",
        joke_prone=True,
    ),
    Rule(
        "ideation_thinking",
        "ideation",
        "thinking about suicide",
        rf"\b(?:thinking|thought|think|thoughts|dreaming|fantasi[sz]ing|obsessing) (?:about|of) "
        rf"(?:ending (?:it|my life|things|everything)|killing {SELF}|suicide|unaliving|dying|taking my (?:own )?life|"
        rf"death|overdosing|jumping|not being here|ctb|sewer slide|how to (?:do it|end it|die)|crashing|clipping|"
        rf"driving (?:off|into)|swerving|stepping (?:out )?in front of|walking into (?:the sea|traffic|the river))",
    ),
    Rule(
        "ideation_suicidal",
        "ideation",
        "suicidal",
        r"\b(?:suicidal|suicide (?:thoughts|ideation|attempt)|thoughts of suicide|considering suicide|sewer slide|"
        r"unalive|unaliving|ctb|kms|killing myself|kill myself|ending it all|ending my life)\b"
        r"(?!\s+(?:prevention|awareness|squad|bereavement|rates?|statistics|hotline|line|helpline|training|"
        r"and self harm|survivors?|loss))(?![^.!?\n]{0,25}\b(?:mean|means|on here|tiktok|word|thing\?))",
        joke_prone=True,
    ),
    Rule(
        "ideation_wish_dead",
        "ideation",
        "wishes to be dead",
        r"\b(?:wish|wished|wishing) (?:i|id) (?:was|were|could be) dead\b|\bready to die\b|\bwant it all to end\b|"
        r"\bwant (?:it|everything|the pain) to (?:end|stop) (?:for good|forever|permanently)",
    ),
    Rule(
        "ideation_how_to",
        "ideation",
        "researching method",
        rf"\b(?:how (?:many|much) {PILLS}|how to (?:tie a|hang|overdose|kill {SELF}|end it)|lethal dose|"
        rf"painless (?:way|ways|method)|quickest way to die|best way to (?:die|kill))",
    ),
    # ------------------------------------------------------------ means / plan (combination)
    Rule(
        "means_ready",
        "means",
        "means at hand",
        rf"\b(?:{PILLS}|rope|noose|ligature|blade|blades|razor|razors|knife|gun|belt|charcoal|bleach)\s+"
        rf"(?:are |is )?(?:lined up|ready|saved|saved up|stockpiled|stashed|counted|hidden|laid out|in front of me|"
        rf"in my (?:hand|pocket|bag|drawer)|in the (?:garage|shed|drawer|loft|car|bathroom)|(?:out )?on the (?:desk|table|"
        rf"side|bed)|out|next to me|beside me|here)",
    ),
    Rule(
        "means_with",
        "means",
        "with means at hand",
        r"\b(?:with|got|have) (?:the|a|my|some) (?:razors?|blades?|knife|rope|noose|belt)\b|"
        r"\b(?:locked|sat|sitting|hiding) in (?:the|my) (?:bathroom|room|car|garage)\b(?=[^.!?\n]{0,40}\b(?:razor|blade|"
        r"knife|pills|tablets|rope))|\b(?:going|heading|walking|driving|gone|went) (?:up |down |out )?to the (?:cliffs?|bridge|"
        r"tracks|railway|edge|roof|multi ?storey|top of)(?! (?:museum|club|station|cafe|walk|path|bar|terrace|garden|party|quiz|"
        r"game|run|tour|trip|shop|market|swing))",
    ),
    Rule(
        "means_edge",
        "means",
        "at a high place",
        r"\b(?:standing|stood|sat|sitting|am|im) (?:on|at) (?:the )?(?:edge|ledge|bridge|roof|rooftop|tracks|railway|"
        r"cliff|cliffs|platform)\b",
    ),
    Rule(
        "means_have",
        "means",
        "means at hand",
        rf"\b(?:got|have|ive got|bought|ordered|collected|kept back|kept|put aside|set aside|hidden|hid|saved up|saving up|been saving|stockpiling|stockpiled|"
        rf"hoarding|hoarded|counted out|found|looking at|staring at|holding)\s+(?:\w+\s+){{0,2}}?(?:the\s+|a\s+|some\s+|"
        rf"my\s+|enough\s+|all\s+(?:the\s+|my\s+|of\s+my\s+)?|a (?:month|week|load|stash|box|pile)\s+of\s+(?:my\s+)?)?"
        rf"(?:rope|noose|ligature|blades?|razors?|{PILLS}|gun|charcoal)\b",
    ),
    Rule(
        "means_enough",
        "means",
        "enough to die",
        rf"\benough\s+(?:\w+\s+)?{PILLS}\s+to\b|\benough\s+to\s+(?:do it|end it|kill me|not wake up|die)\b",
    ),
    Rule(
        "means_place",
        "means",
        "a method/place",
        r"\b(?:the|that|a) (?:rope|noose)\b(?! (?:swing|bridge|course|ladder|climb|walk|access))|\b(?:next|the next|a|the) train\b(?= [^.!?\n]{0,20}(?:and|then|over|bye|"
        r"goodbye|end))|\bjump(?:ing)? (?:off|from|in front of)\b",
    ),
    Rule(
        "plan_have",
        "means",
        "a plan",
        r"\b(?:i have|ive got|i\s?ve got|got|made|i know|worked out|figured out|sorted)\s+(?:a|the|my)\s+plan\b|"
        r"\bi know (?:how|when|where) (?:im going to|ill|i will|to) (?:do it|end it)\b|"
        r"\bplan(?:ned|ning)? (?:how|when) (?:to|ill|im going to) (?:do it|end it|die)\b|"
        r"\bwritten my will\b",
    ),
    # ------------------------------------------------------------ time (combination)
    Rule(
        "time_tonight",
        "time",
        "a time",
        r"\b(?:tonight|this evening|later tonight|before (?:morning|the morning|tomorrow|the weekend)|"
        r"this weekend|tomorrow|at midnight|by (?:tomorrow|morning|the weekend))\b",
    ),
    Rule(
        "time_when_alone",
        "time",
        "when alone",
        r"\b(?:after|when|once|as soon as)\s+(?:everyone|every one|everybody|they|the kids|my (?:wife|husband|"
        r"partner|parents|mum|dad|family|flatmates?)|the (?:house|flat) )\s*(?:is |are |s |have |has )?(?:\w+ )?"
        r"(?:asleep|in bed|gone|out|left|at work|away|empty|goes? to bed|go out|sleeps|sleeping)",
    ),
    Rule(
        "time_day",
        "time",
        "a day",
        r"\b(?:on |this |next |by |come )(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
        r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) (?:im|ill|i will|its|night)\b|"
        r"\b(?:when|after|while|once) [^.!?\n]{0,30}(?:is|are|s) (?:at|out|away|asleep)\b",
    ),
    Rule("time_now", "time", "right now", r"\b(?:right now|as we speak|as i type|now or never)\b"),
    Rule(
        "time_v2",
        "time",
        "a time",
        r"\bafter (?:tonight|today|this weekend|the weekend|christmas|friday|sunday)\b|\bat \d{1,2}(?::\d\d)? ?(?:am|pm)\b|"
        r"\bwhen i get (?:home|in|back)\b|\bwhen (?:the house|the flat|it|everything) (?:is|goes|gets) (?:quiet|dark|empty)\b|"
        r"\buntil the house is quiet\b|\btill the house is quiet\b|\bthe \d{1,2}(?:st|nd|rd|th)\b(?! (?:time|go|try|attempt|round|lap|level)\b)|\bbefore they change the locks\b|"
        r"\b(?:tomorrows|tonights) the day\b|\bsoon\b(?= *(?:[.!,\n]|$|once|when|after))",
    ),
    # ------------------------------------------------------------ farewell / finality (combination)
    Rule(
        "farewell_thanks",
        "farewell",
        "farewell",
        r"\b(?:thank(?:s| you)(?: all| everyone| guys| you all)? for (?:everything|trying|all you did|being there|"
        r"all your help)|sorry (?:for everything|to everyone|everyone|for being (?:a|such)|to (?:my|all)|for all (?:the|my) (?:trouble|hurt|pain|mess|grief))|"
        r"(?:look after|take care of) (?:yourselves|each other)|i love you all|love you all|love you (?:bye|x)|"
        r"(?:bye|goodbye)(?: (?:everyone|all|guys|yall|you all|forever|x+))?\s*(?:x+\s*)?$|"
        r"goodbye (?:everyone|all|guys|world|yall|you all|friends|everybody)|youve all been (?:so )?(?:lovely|kind|"
        r"amazing|great|good|wonderful)|(?:its|it is) (?:better|easier) this way|for the best this way|"
        r"(?:this is me|im just) saying (?:thanks|thank you|goodbye|bye)|just wanted (?:someone|somebody|you all|you) to know|(?:just )?so (?:someone|somebody|anyone|you all) knows\b|"
        r"(?:dont|do not) tell (?:my|anyone|them)|the last thing i (?:needed|had|wanted) to (?:do|finish|sort)|"
        r"so long|farewell|that is it from me|thats (?:it|all) from me|its been (?:nice|good|real) knowing|"
        r"tell (?:my \w+|them|everyone|her|him|ma|mum|mam|mom|dad|da) (?:that )?(?:i|im) (?:love|loved|am sorry|was sorry|sorry)\b|\btell (?:\w+ ){1,2}im sorry\b|"
        r"please (?:dont|do not) blame (?:yourselves|yourself|anyone)|"
        r"you were the only (?:good|one|thing)|goodbye to (?:you all|everyone|the group|this group|all))",
    ),
    Rule(
        "farewell_finality",
        "farewell",
        "finality",
        r"\b(?:(?:and )?(?:its|it is|itll be) (?:all )?over\b|(?:im|i am) not coming back\b|(?:i|ive|i have) had enough\b|"
        r"(?:ive|i have) sorted (?:everything|it all|my affairs)|(?:im|i am) done\s*(?:[.!\n]|$|with (?:it all|"
        r"everything|life|living|this world|existing|this life))|its all sorted|everything is sorted|"
        r"i cant do this anymore|no one talk me out of it|dont (?:try to )?(?:talk me out|stop me)|"
        r"its (?:time|my time)\s*(?:[.!\n]|$)|ready to go|giv(?:e|en|ing) away (?:all )?(?:my|his|her|their)|gave away (?:all )?(?:my|his|her|their)|"
        r"if anything happens(?: to me)?)",
    ),
    # Issue 20, fourth round: goodbyes written in emoji and a few words ("💊💊 nighty night forever", "⚰️ last shift
    # done. sorry team"). Each is a soft cue: an alarm needs two of them, or one with means or a place.
    Rule(
        "farewell_short",
        "farewell",
        "a goodbye in a few words",
        r"\b(?:(?:nighty night|good ?night|night|bye|goodbye) forever\b|forgive me\s*(?:[.!]+|$)|"
        r"sorry (?:to )?(?:aw you|you all|team|lads|baby girl|baby boy)\s*(?:[.!x]|$))",
    ),
    Rule(
        "farewell_symbol",
        "farewell",
        "a goodbye in a few words",
        r"\A\W{0,12}(?:the end|coffin|grave)\b",  # a message that opens with 🔚, ⚰️ or 🪦
    ),
    Rule(
        "ambiguous_do_it",
        "ambiguous_act",
        "doing it now",
        r"\b(?:doing it|do it|going to do it|gonna do it|about to do it|going through with it)\s+"
        r"(?:now|right now|tonight|today|soon|this time|for real)\b|\bdoing it\s*(?:[.!\n]|$)",
    ),
    Rule(
        "welfare_quiet",
        "welfare",
        "has gone quiet",
        r"\b(?:(?:phone|phones) (?:is |s |went |has gone |just went )?(?:off|dead|going (?:straight )?to voicemail)|"
        r"(?<!\bi )(?<!\bive )(?<!\bi have )(?:gone|went) (?:quiet|silent|offline|dark)|(?:not|isnt|stopped) (?:answering|replying|responding|reading)|"
        r"cant (?:reach|get hold of|get through to|contact) (?:him|her|them)|cant get (?:him|her|them) on the phone|havent heard (?:from|back)|"
        r"hasnt (?:replied|answered|been online|responded)|no (?:reply|answer|response) from|"
        r"what (?:do|should) (?:we|i) do|who do i (?:call|ring)|(?:has )?any(?:one|body) heard from|showing (?:as )?offline|"
        r"(?:know|got) (?:his|her|their) (?:real name|address)|where (?:he|she|they) lives?)",
    ),
    # ------------------------------------------------------------ denial (caps combinations)
    Rule(
        "denial_no_plan",
        "denial",
        "denies plan",
        r"\b(?:no (?:plans?|intention|intent)|not (?:planning|going to|gonna) (?:to )?(?:do|act on) (?:anything|it|them)|"
        r"(?:wont|will not|not going to|never) (?:do|act on) (?:anything|it|them)|not acting on|i would never|id never|"
        r"(?:im|i am) safe|(?:im|i am) not (?:in danger|at risk|going to act)|"
        r"promised (?:\w+ ){0,3}(?:i wouldnt|i wont|not to|i would not|i will not))",
    ),
    # ------------------------------------------------------------ passive ideation (concern)
    Rule(
        "passive_not_wake",
        "passive",
        "wishes not to wake up",
        r"\b(?:not|never|dont|didnt|wouldnt|wont) (?:to )?wake up\b|\bsleep (?:forever|and never wake)\b",
    ),
    Rule(
        "passive_not_here",
        "passive",
        "doesn't want to be here",
        r"\b(?:dont|do not|didnt|dont really|dont even|no longer|not) (?:want|wanna|wish|wanting) (?:to )?(?:be here|be alive|exist|live|"
        r"be around|carry on|go on|keep going|wake up|do this anymore|be on this earth|be in this world)|"
        r"\b(?:want|wish|wanted) (?:to|i could) (?:just )?(?:disappear|vanish|stop existing|not exist|fade away|"
        r"cease to exist|not be here|not be alive|go to sleep (?:and|forever))|"
        r"\bwish i (?:wasnt|was not|hadnt been|had never been|didnt) (?:here|alive|born|exist)",
    ),
    Rule(
        "passive_better_off",
        "passive",
        "others better off without them",
        r"\b(?:better off|happier|easier) (?:without me|if i (?:was|were|wasnt|werent|was not|were not|died|"
        r"disappeared|was gone|were gone)|with me gone|when im gone)|\bbetter off dead\b|"
        r"\b(?:would|wouldnt|would not|might) (?:be happier|even notice|notice|care|matter|miss me)\b[^.!?\n]{0,20}"
        r"\bif i (?:was|were|wasnt|werent|died|disappeared|vanished|wasnt here|was gone|got hit)|"
        r"\b(?:nobody|no one|noone|none of them) would (?:notice|care|miss me|even notice)|"
        r"\b(?:better|fine|happier|easier|okay|ok)\b(?: \w+){0,2} without me\b|"
        r"\b(?:easier|better|simpler|happier)\b[^.!?\n]{0,25}\bif i (?:just )?(?:disappeared|was gone|were gone|wasnt here|"
        r"werent here|wasnt around|died|didnt exist|wasnt alive|never woke up)|"
        r"\b(?:family|familys|kids|everyone|everyones|they|theyd|people|everybody|you lot|wife|husband|partner)"
        r"(?: \w+){0,3} (?:would be|be|is|are|d be)? ?better off\b|\bbetter off (?:with|if)\b[^.!?\n]{0,20}\b(?:but me|not me|"
        r"someone else|without)",
    ),
    Rule(
        "passive_comfort",
        "passive",
        "finds the idea of death comforting",
        r"\b(?:thought|idea|prospect) of (?:not existing|dying|being dead|not being here|not waking up|death|ending it|"
        r"it all ending) (?:is|feels|sounds|seems) (?:\w+ )?(?:comforting|appealing|nice|peaceful|tempting|like a relief|"
        r"good)|\bonly (?:thing|reason|one|person) (?:keeping me|im still|that keeps me|i stay) (?:here|alive|going)|"
        r"\b(?:only|just) (?:here|alive|staying) (?:for|because of) (?:my|the)\b|"
        r"\bpart of me (?:wouldnt mind|wants to die|hopes|still wishes|wishes|wants it to|agrees)|"
        r"\bwish(?:es|ed)? it (?:had )?worked\b|\bwish i (?:had )?(?:succeeded|died|gone through with it)|"
        r"\b(?:dont|do not|wouldnt) care if i (?:wake up|live|die|woke up|lived|died)|\bhope i (?:dont|never) wake|"
        r"\b(?:cant|cannot|struggle to) (?:think of|find|see) (?:a|any|one) reason to (?:stay|live|keep going|carry on|"
        r"be here|stay alive)|\b(?:understand|get) why (?:he|she|they|people|someone) (?:did it|do it|would do it|ended it|end it|kill themselves)|"
        r"\b(?:id|i would|i wouldnt|wouldnt|would not|id not) (?:not )?mind if (?:the lord|god|i) (?:took me|died|didnt wake)|"
        r"\b(?:die|go|pass) in my sleep\b|\bwaiting it out\b|\b(?:some days|sometimes) i (?:nearly|almost) "
        r"(?:listen|believe (?:them|it)|do it|give in)",
    ),
    Rule(
        "passive_wouldnt_mind",
        "passive",
        "wouldn't mind dying",
        r"\b(?:wouldnt|would not|would not really|wouldnt really) (?:mind|care) if i (?:died|didnt wake|got hit|"
        r"wasnt here|never woke)|\bif i (?:got hit by|was hit by|walked in front of) a (?:bus|car|train|lorry)\b|"
        r"\b(?:waiting|wait) (?:to die|for death|for it all to end)\b|\bno (?:reason|point) (?:to|in) (?:live|living|"
        r"being alive|being here|going on|carry on|carrying on|staying)|\bwhats the point (?:of|in) (?:me|living|"
        r"life|being here|carrying on|going on|anything|any of it|it all)|\bwhat is the point of me\b|"
        r"\blife (?:isnt|is not|aint) worth (?:living|it)|\bnot worth living\b|\bdeserve to (?:die|be dead|suffer)\b|"
        r"\bwant to die\b|\bwanna die\b|\bi want out\b|\bpointless (?:living|existing|being alive)",
    ),
    # ------------------------------------------------------------ concern
    Rule(
        "burden",
        "concern",
        "feels like a burden",
        r"\b(?:a|such a|just a|being a|like a|the) (?:burden|weight|drain) (?:on|to|for)\b|\b(?:im|i am|feel like|"
        r"feel|being) (?:such |just |nothing but |only )?(?:a )?burden\b|\bburden(?:ing)? (?:everyone|them|my)\b",
    ),
    Rule(
        "hopeless",
        "concern",
        "hopelessness",
        r"\bhopeless(?:ness)?\b(?! (?:at|with|romantic|case))|\bno hope\b|\bnothing (?:will|is (?:ever )?going to|ever|is ever going to) "
        r"(?:get|gets|change) (?:better)?|\bnever (?:going to|gonna|will) get better\b|\bcant see (?:a|any) "
        r"(?:way out|way through|future|point|end to|light|way forward)|"
        r"\b(?:dont|cant|do not|cannot) see the (?:point|sense) (?:of|in) (?:getting up|anything|living|going on|carrying on|"
        r"it all|trying|any of it|life)|\b(?:dont|do not) think (?:im|i am|ill|i will|i can) (?:ever )?(?:get(?:ting)?|make it|"
        r"come|coming|survive|last) (?:out of|through|much longer)|\b(?:dont|do not) know how (?:im meant to|im supposed to|to|"
        r"i can|ill|im going to) (?:keep going|go on|carry on|survive|get through (?:this|another))|\b(?:not|never) (?:getting|get|going to get|coming) (?:out of|through) this\b|\bno way out\b|\bno future\b|"
        r"\b(?:feel like|thinking of|just want to|ready to|about to) giv(?:e|ing) up(?: on (?:everything|life|it all))?|"
        r"\bgiv(?:e|ing) up on (?:everything|life|myself|it all)\b|\bi give up\b|\bcant see it getting better\b|"
        r"\b(?:everything|life|it all|living|existing|everything i do) (?:feels|is|seems) (?:so )?(?:pointless|"
        r"meaningless|hopeless)|\bwhats the point\s*(?:anymore|[?.!\n',]|$)|\bno point (?:anymore|in anything)|"
        r"\bnothing to live for\b|\bnothing left\b|\brunning out of (?:reasons|hope)\b",
    ),
    Rule(
        "self_harm",
        "concern",
        "self-harm",
        r"\bself ?harm(?:ed|ing)?\b|\bsh(?= (?:again|last night|yesterday|today|urges?|this (?:week|morning)|"
        r"relapse|scars?|wounds?))|\b(?:relapsed?|urges?|urge to) (?:on |with |and )?(?:sh|self harm|cut|cutting)\b|"
        r"\bcut (?:myself|my (?:arms?|wrists?|legs?|thighs?|stomach|skin))\b|\bcutting (?:myself|again|my)\b|"
        r"\bcut again\b|\bcut (?:last night|yesterday|today|this morning|this week|on \w+day)\b|\b(?:burn(?:ed|t|ing)?|scratch(?:ed|ing)?|hurt(?:ing)?|hit(?:ting)?|punch(?:ed|ing)?|"
        r"starv(?:e|ed|ing)|bit(?:ing)?|carv(?:e|ed|ing)) (?:myself|my (?:arms?|wrists?|legs?|skin|thighs?))\b|"
        r"\bhurt myself\b|\bharm(?:ed|ing)? myself\b|\bfresh (?:cuts|wounds|scars)\b|\bcuts on my\b",
    ),
    Rule(
        "urges",
        "concern",
        "urges",
        r"\burges?\b(?= [^.!?\n]{0,30}(?:strong|bad|back|cut|hurt|sh|harm|die|resist|fighting|holding))|"
        r"\b(?:fighting|resisting|holding off|holding on|riding out) (?:the )?urges?\b|"
        r"\b(?:really |so )?want(?:ed)? to (?:cut|hurt myself|sh|self harm|harm myself)\b|\bstrong urges?\b",
    ),
    Rule(
        "unsafe_home",
        "concern",
        "unsafe at home",
        r"\b(?:dont|do not|never) feel safe\b|\bnot safe (?:at home|here|with (?:him|her|them)|in my (?:own )?(?:home|house|flat))|"
        r"\b(?:scared|afraid|terrified|frightened) (?:to (?:go|be) (?:home|back)|of (?:him|her|my (?:dad|stepdad|mum|"
        r"partner|husband|boyfriend|ex)))|\b(?:he|she|they|my \w+) (?:\w+ )?(?:hit|hits|hitting|beat|beats|"
        r"threatened|threatening|threatens|strangled|choked|chokes|grabbed|pushed|shoved) me\b(?! at\b| in a\b| to it\b)|"
        r"\block(?:ed)? (?:my|the) (?:bedroom )?door (?:at night|because|so)|\bthrowing things\b|"
        r"\b(?:threw|throws|throwing) (?:\w+ ){0,2}at me\b|\bdoor (?:wedged|barricaded)|\bwedged the door\b|"
        r"\bdomestic (?:abuse|violence)\b|\babusive (?:partner|relationship|husband|boyfriend|dad|home)",
    ),
    Rule(
        "meds_stopped",
        "concern",
        "stopped medication",
        rf"\b(?:stopped|stop|quit|coming off|came off|come off|ditched|binned|not taking|stopped taking|havent taken|"
        rf"flushed|ran out of|run out of|running out of)\s+(?:taking\s+)?(?:all\s+)?(?:my\s+)?{PILLS}\b(?![^.!?\n]{{0,40}}(?:slowly|taper|with my (?:gp|doctor)|"
        rf"doctor (?:said|agreed)|gp (?:said|agreed)))|\bcold turkey\b",
    ),
    Rule(
        "voices",
        "concern",
        "command voices / distress",
        r"\bvoices? (?:are |is |keep |keeps )?(?:telling|tell|saying) me\b|\bdark (?:thoughts|place)\b|"
        r"\bthe thoughts are back\b|\bslipping back\b|\bback (?:to|in) (?:that|a) (?:dark )?place\b|"
        r"\b(?:feel|feeling) like (?:that|i did) again\b|\bspiral(?:ling)?\b|\bback in the same (?:hole|place|dark place)\b|"
        r"\b(?:feels?|feeling) (?:exactly |just )?like (?:it did )?(?:back then|last time|before)\b|\bits happening again\b|"
        r"\b(?:scared|frightened|terrified|afraid) of (?:my own (?:head|mind|thoughts)|my thoughts|myself|what i might do)\b",
    ),
    Rule(
        "crisis_words",
        "concern",
        "distress signal",
        r"\b(?:at|reached) (?:my )?breaking point\b|\bcant (?:cope|go on|take (?:it|this|any ?more|much more)|"
        r"do this anymore|keep going|carry on)\b|\bfalling apart\b|\bno one to talk to\b|\bgot no one\b|"
        r"\bhave no one\b|\b(?:nobody|no one) (?:cares about me|has messaged|to talk to|i can talk to|to call)\b|\bworthless\b|\bempty inside\b",
    ),
    # ------------------------------------------------------------ weak distress
    Rule(
        "weak_struggling",
        "weak",
        "struggling badly",
        r"\bstruggling\b|\b(?:really|so|very|completely|totally|not) (?:not )?(?:ok|okay|alright)\b|\bim not (?:ok|okay)\b|"
        r"\bbreaking down\b|\bcant stop (?:crying|shaking)\b|\bcrying (?:constantly|all the time|every day|all day|"
        r"every night)\b|\b(?:a|such a) mess\b|\blosing my mind\b|\bbarely (?:hanging on|holding on|coping|eating|sleeping)\b|"
        r"\bnot been right\b|\b(?:it|that|this|my head|my thoughts) (?:frightens|scares|terrifies) me\b|\bim scared\s*[.!]|\bhate myself\b|\bhate my life\b|\bcant face\b|\bnumb\b|"
        r"\bexhausted (?:by|of) (?:everything|life)\b|\btired of (?:everything|life|living|existing|being alive|it all)\b|"
        r"\bso tired of\b|\bfailure\b|\bdrowning\b|\bsinking\b|\bmessage me\b|\bplease help\b",
    ),
    Rule(
        "weak_alone",
        "weak",
        "isolated",
        r"\b(?:so|really|completely|totally|very) (?:alone|lonely|isolated)\b|\blonely\b|\bisolated\b|"
        r"\bhavent (?:spoken|talked) to (?:anyone|a soul|anybody|another person|a single person|a person)|"
        r"\bhavent (?:left|been out of) the (?:flat|house|room)|\bphone (?:doesnt|never) rings?\b|\bno friends\b|\bnobody (?:has )?(?:messaged|called|"
        r"texted|noticed)|\b(?:in|left) my room for\b",
    ),
    Rule(
        "past_attempt",
        "weak",
        "past attempt",
        r"\b(?:tried|attempted) (?:to )?(?:kill myself|end (?:it|my life)|suicide|take my (?:own )?life|od|overdose)|"
        r"\bmy (?:last|first|previous) attempt\b",
    ),
    # ------------------------------------------------------------ hostility
    Rule(
        "host_you_insult",
        "hostility",
        "insult aimed at someone",
        rf"\b(?:you|youre|you are|your|you lot|you all|yall|all of you|ur|you absolute|you fucking)\b(?:\s+(?!not\b|never\b|arent\b|feel\b|"
        rf"feeling\b|think\b|felt\b|worry\b|were\b|might\b)\w+){{0,3}}?\s+{INSULT}\b|\b{INSULT}\s+(?:like you|of you)\b",
    ),
    Rule(
        "host_group_insult",
        "hostility",
        "insult aimed at a group",
        rf"\b(?:mods?|moderators?|admins?|people like (?:you|them|that)|the lot of you|you people|everyone (?:here|in this)|"
        rf"this group|these people|(?:all )?(?:\w+ )?(?:immigrants|foreigners|gays|women|men|muslims|jews|christians))\s+"
        rf"(?:are|r|is)\s+(?:\w+\s+){{0,2}}?{INSULT}",
    ),
    Rule(
        "host_exclaim",
        "hostility",
        "insult",
        r"(?:^|[.!?\n]\s*)(?:(?:bunch of|fucking|absolute|total|you|you fucking|pathetic|stupid)\s+)*(?:wankers|idiots|"
        r"losers|morons|pricks|twats|scumbags|muppets|clowns|cowards|cunts|tossers|knobheads)\s*(?:[.!?\n]|$)",
    ),
    Rule(
        "host_imperative",
        "hostility",
        "abuse/harassment",
        r"\b(?:shut (?:up|your (?:mouth|face|gob))|fuck off|piss off|sod off|get lost|go (?:away and )?die|drop dead|kys|"
        r"(?:go )?(?:kill|hang|neck|rope|off) yourself|die in a (?:fire|ditch|hole)|(?:nobody|no one|noone) (?:likes|wants|"
        r"cares about|asked) (?:you|your)|everyone (?:here )?hates you|hope (?:you|you all|yall|you lot) (?:die|rot|suffer|"
        r"burn|get (?:cancer|hit|run over))|you should (?:just )?(?:die|kys|kill yourself|disappear|be ashamed)|"
        r"i know where you live|watch your back|ill (?:find|get) you|youll (?:regret|pay for) (?:this|it)|"
        r"(?:go|get) back to (?:your|where you) \w+|do us all a favou?r|unalive (?:yourself|yourselves)|grow up\b|every (?:\w+ )?(?:bastard|prick|twat|idiot|wanker|cunt)s?\b|"
        r"nobody wants to hear (?:about )?(?:your|you)|go cry about it|cry me a river|man up\b|watch yourself\b|"
        r"i know where you (?:work|are|sleep)|(?:you|watching you) (?:embarrass|humiliate|make a fool of) yourself|"
        r"thanks for nothing|you pack of \w+|(?:the )?lot of you\b(?=[^.!?\n]{0,3}$)|typical (?:woman|women|man|men|"
        r"bloke|female|lefty|snowflake|millennial|boomer)|playing the victim|drama queen)",
    ),
    Rule(
        "host_exclusion",
        "hostility",
        "hostility to a group",
        r"\b(?:gay|gays|trans|black|muslim|muslims|jewish|fat|disabled|autistic|foreign|immigrant|asian|polish|"
        r"lesbian|bi|queer|old) (?:people|lads|men|women|folk|members|ones|blokes)? ?(?:shouldnt|should not|dont belong|"
        r"need to (?:leave|go|get out)|should be (?:banned|kicked|removed)|arent welcome|ruin)\b",
    ),
    Rule(
        "host_threat",
        "hostility",
        "threat of violence",
        r"\b(?:ill|i will|im going to|going to|gonna|im gonna|i swear ill|about to)\s+(?:\w+\s+)?(?:smack|punch|hit|batter|deck|slap|kick|stab|kill|murder|hurt|beat|knock out|"
        r"glass|strangle|shoot|headbutt|lamp|chin|floor|leather|throttle|bottle)\s+(?:him|her|them|you|you all|that \w+|"
        r"some(?:one|body)|every(?:one|body)|any(?:one|body)|people|whoever|the (?:next|bastard|prick|bloke|guy|lad|man|woman|"
        r"girl|boy|kid|fella|feller|screw|grass|nonce|dealer|landlord)|"
        r"(?:my|his|her) (?!back|head|hands?|legs?|arms?|knees?|foot|feet|neck|face|wrists?|shoulder|body|self|brain|"
        r"chances|ankle|toe)\w+)\b",
        joke_prone=True,
    ),
    Rule(
        "host_slur",
        "hostility",
        "slur",
        r"\b(?:faggots?|fags|trannys?|trannies|retards|pakis?|n[i1]gg(?:er|a)s?|spastics?|spazz?|chinks?|kikes?|"
        r"gypos?|pikeys?|dykes?|wogs?)\b",
    ),
    # ------------------------------------------------------------ substance
    Rule(
        "sub_to_cope",
        "substance",
        "using to cope",
        r"\b(?:drinking|drink|drank|drunk|boozing|using|smoking|smoked|vaping|taking|popping|sniffing|getting (?:drunk|high|"
        r"wasted|smashed)|got (?:drunk|high|wasted|smashed)|had (?:a few|loads|like \d+|\d+) \w+|used)\s+"
        r"(?:\w+\s+){0,4}?to (?:cope|forget|numb|sleep|get through|switch (?:my head )?off|switch off|feel (?:normal|"
        r"nothing|something|ok|okay|better)|block (?:it|everything) out|take the edge off|escape|blot|wind down|unwind|"
        r"relax|calm down|quiet|stop thinking)",
    ),
    Rule(
        "sub_noun_problem",
        "substance",
        "drink/drug use is a problem",
        r"\b(?:drink|drinking|booze|alcohol|coke|cocaine|weed|ket|gambling|spice|gear|pills|vodka|wine|gin)s? "
        r"(?:is |s |are )?(?:creeping back|getting (?:worse|out of hand|bad)|out of (?:hand|control)|a problem|taking over)|"
        r"\b(?:back|been|am|im) on the (?:vodka|drink|booze|gin|wine|gear|spice|coke|pills|bottle|cans|sauce)\b|"
        r"\b(?:on|using|smoking|taking|doing) (?:the )?(?:spice|gear|coke|weed|crack|heroin|ket|booze|vodka) again\b|"
        r"\b(?:cutting down|cut down|trying to cut down|quit|quitting|stopping|giving up) (?:on )?(?:the )?(?:drink|drinking|"
        r"booze|alcohol|weed|smoking weed|coke)\b|\bdry january\b|\bhangxiety\b|\bmorning after drinking\b|"
        r"\b(?:thinking about|trying) (?:going|getting|to get|to stay) sober\b|\bcravings?\b"
        r"|\b(?:taking|took|using) (?:extra|more|double) (?:codeine|tramadol|painkillers|pills|diazepam|valium)\b|"
        r"\b(?:codeine|tramadol|painkillers|pills|diazepam)\b[^.!?\n]{0,40}\btakes? the edge off\b|"
        r"\b(?:ive |i )?had a few\s*[.!,]|\b(?:im|i am|so|still) (?:drunk|wasted|hammered|smashed|high|stoned)\b|"
        r"^(?:drunk|wasted|hammered|smashed|high|stoned)\s*[.!]|\b(?:coming|came|come|getting) off (?:the )?(?:gear|booze|"
        r"drink|heroin|methadone|subutex|benzos|coke|spice)\b",
    ),
    Rule(
        "sub_habit",
        "substance",
        "drinking/using habit",
        r"\b(?:been|started|keep|kept|cant stop|can not stop|back on the|back to)\s+(?:drinking|using|boozing|getting "
        r"(?:drunk|high|wasted|smashed|stoned)|smoking (?:weed|crack)|sniffing|the (?:drink|booze|bottle|gear|coke))|"
        r"\b(?:drinking|using|drunk|high|stoned|wasted) (?:every (?:night|day|morning)|all (?:day|night|the time)|again|"
        r"heavily|too much|alone|in the morning|before work|since|most (?:days|nights|evenings))\b|"
        r"\b(?:smoking|smoke|smoked) (?:weed|skunk|spliffs?|joints?) (?:all|every|constantly|non stop|24/7|morning)",
    ),
    Rule(
        "sub_binge",
        "substance",
        "heavy drinking",
        r"\b(?:drank|drink|downed|necked|finished|had) (?:a whole|the whole|a full|an entire|two|three|nearly a|"
        r"most of a) (?:bottle|litre|crate|box) of\b|\bdr[ai]nk (?:until|till|til|myself|so much|way too much)\b|"
        r"\bblack(?:ed)? out\b|\bblackout (?:drunk)?\b|\bbottle of (?:vodka|wine|gin|whisky|whiskey|rum|cider) "
        r"(?:a|every|each) (?:night|day)|\b(?:\d+|six|eight|ten|twelve) (?:cans|pints|beers)\b[^.!?\n]{0,30}"
        r"(?:to forget|alone|every|again|on my own)|\bhung ?over (?:again|every)|\bneed a (?:drink|joint|fix|line)\b",
    ),
    Rule(
        "sub_relapse",
        "substance",
        "relapse",
        r"\b(?:fell|fallen|falling) off the wagon\b|\brelapsed? (?:on|with|into|back (?:on|into)) (?:drink|drinking|"
        r"alcohol|booze|drugs|weed|coke|heroin|gear|crack|spice|ket)|\b(?:used|using|drinking|drank) again\b|"
        r"\brelapsed?\b(?=[^.!?\n]{0,50}\b(?:clean|sober|drink|drank|booze|used|using|weed|coke|heroin|vodka|wine|"
        r"cans|pints|gear|sobriety))|\brelapsed?\b(?![^.!?\n]{0,30}\b(?:cut|cutting|sh|self harm|harm|burn))|\b(?:clean|sober)\b[^.!?\n]{0,40}\brelapsed?\b|\bbroke my sobriety\b",
    ),
    Rule(
        "sub_withdrawal",
        "substance",
        "withdrawal / early sobriety",
        r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|couple of) days? (?:clean|sober|dry|off "
        r"(?:the )?(?:booze|drink|drinking|weed|coke|drugs|alcohol|gear|heroin|crack))\b|\b(?:day|night) \d+ (?:off|of|"
        r"without) (?:the )?(?:booze|drink|drinking|weed|coke|drugs|alcohol|gear)|\b(?:the )?shakes\b(?=[^.!?\n]{0,40}"
        r"(?:booze|drink|alcohol|withdrawal))|\b(?:alcohol|drug|opiate|heroin|booze) withdrawal|\bclucking\b|\brattling\b|"
        r"\bcomedown\b|\bdetox(?:ing)?\b",
    ),
    Rule(
        "sub_drugs",
        "substance",
        "drug use",
        r"\b(?:did|doing|done|took|taking|take|had|snorted|snorting|bought|buying|scored|smoked|smoking|injecting|"
        r"injected|on)\s+(?:some\s+|a (?:line|bag|gram|few lines|bump) of\s+|lines of\s+|loads of\s+)?(?:coke|cocaine|ket|"
        r"ketamine|mdma|molly|speed|heroin|crack|spice|meth|benzos|street valium|gear)\b|\bcant (?:cope|sleep|function|"
        r"get through \w+|face \w+) without (?:a drink|drink|booze|weed|a joint|a spliff|drugs|my (?:weed|gear))",
    ),
    # ------------------------------------------------------------ practical
    Rule(
        "prac_housing",
        "practical",
        "housing",
        r"\bevict(?:ed|ion|ing)?\b|\bsection (?:21|8)\b|\bbailiffs?\b|\brepossess\w*|\bhomeless(?:ness)?\b|"
        r"\bsofa ?surf\w*|\b(?:rent )?arrears\b|\blandlords?\b|\brent money\b|\brents? (?:is |are )?(?:\w+ ){0,2}"
        r"(?:behind|overdue|late|going up)|\bbehind (?:on|with) (?:the |my )?(?:rent|bills|payments|mortgage)|"
        r"\bsleeping (?:in the car|rough|on the streets)|\bdamp\b|\bmould\b|\bhousing (?:officer|benefit|association|list|team|"
        r"application|support)|\bcouncil (?:house|housing|flat)\b|\bkick(?:ed|ing)? me out\b|\bnowhere to (?:live|stay|go)\b",
    ),
    Rule(
        "prac_money",
        "practical",
        "money/debt/bills",
        r"\b(?:cant|cannot|couldnt|unable to|struggling to|can not|how (?:do|will|can) i) (?:afford|pay)\b|\bdebts?\b|"
        r"\boverdraft\b|\bloan sharks?\b|\bpayday loans?\b|\bccj\b|\b(?:gas|electric|electricity|energy|water|phone|"
        r"council tax) bills?\b|\bcouncil tax\b|\bbills? (?:piling|i cant|are|to pay)\b|\b(?:im|i am|flat|totally) "
        r"(?:broke|skint)\b|\bno money\b|\bmoney (?:worries|problems|troubles|is tight)\b|\b£\s?\d+ (?:until|till|to last)\b|"
        r"\b(?:grants?|hardship fund)\b|\b(?:pay|paying|afford) (?:my|the) (?:bills?|rent)\b|\bstudent loans?\b|"
        r"\bcredit cards?\b|\b(?:care home )?fees\b|\bbank (?:has|closed|shut)|\bmortgage\b|\bprepayment meter\b|\bemergency (?:loan|payment|fund)",
    ),
    Rule(
        "prac_benefits",
        "practical",
        "benefits",
        r"\bmy benefits\b|\bbenefits? (?:got|were|have been|has been|stopped|cut|sanctioned|claim|office|letter|appeal|"
        r"advisor|adviser|form)\b|\bon benefits\b|\bclaim(?:ing)? benefits\b|\buniversal credit\b|\b(?:my|the) uc\b|"
        r"\buc (?:payment|claim|journal|advance|work coach)\b|\bpip\b|\besa\b|\bdla\b|\bjsa\b|\bdwp\b|\bjob ?centre\b|"
        r"\bsanction(?:ed|s)?\b|\b(?:carers|attendance|housing|child|pension) (?:allowance|benefit|credit)\b|"
        r"\btax credits?\b|\bwork capability\b|\bassessment letter\b|\bmandatory reconsideration\b",
    ),
    Rule(
        "prac_food",
        "practical",
        "food",
        r"\bfood ?banks?\b|\bfood (?:parcels?|vouchers?)\b|\b(?:ran|run|running) out of (?:food|money|gas|electric|credit)\b|"
        r"\bno food\b|\bcant afford (?:food|to eat)\b|\bnothing (?:in the|to) (?:fridge|eat)\b",
    ),
    Rule(
        "prac_work_legal",
        "practical",
        "employment/legal/forms",
        r"\b(?:lost|losing|lose) my job\b|\b(?:got|been|was|being|getting) (?:sacked|fired|made redundant|laid off)\b|"
        r"\bredundan\w+|\bunemployed\b|\bout of work\b|\bneed (?:a|to find a|to get a) job\b|\bjob ?hunting\b|"
        r"\btribunal\b|\blost (?:the|my) job\b|\bcapability (?:meeting|hearing|review)|\bsick (?:days|leave|note|pay)\b|"
        r"\bfit note\b|\boccupational health\b|\bgrievance\b|\b(?:pip|benefits?|council|councils|assessment|application|"
        r"housing|tax|claim|financial|medical|esa|uc|dwp|passport|court|insurance|blue badge|carers) (?:\w+ )?forms?\b|\bappeal (?:letter|form)\b|\b(?:fill|filling|fill in|filling in|fill out|filling out|do|doing) "
        r"(?:in |out )?(?:the|my|this|a|these|those) (?:\w+ )?forms?\b|\bsolicitor\b|\blegal (?:letter|aid|advice)\b|"
        r"\bcourt (?:letter|summons|date|case|order)\b|\bsummons\b|\bdisciplinary\b|\bzero hours\b|\bimmigration\b|"
        r"\bvisa\b|\bhome office\b",
    ),
)

# ----------------------------------------------------------------- context cues
# Negators that, shortly before a match in the same clause, cancel it.
NEGATION = (
    r"\b(?:not|never|no|dont|do not|didnt|wont|wouldnt|isnt|arent|aint|cant|cannot|no longer|nor|without|"
    r"nothing like|far from|stopped)\b(?!\s+(?:one|body|sure|certain|know|idea|stop|help|cope|wait|matter|"
    r"longer|more|point|hope|doubt|reason|think|see|even|mean))"
)
# Sentence-level markers that put a statement in the past.
PAST = (
    r"\b(?:\d+|a few|few|couple of|two|three|four|five|six|seven|eight|nine|ten|many|several|some) "
    r"(?:years?|yrs|months?|decades?) ago\b|\b(?:years|months|decades|a long time|ages) ago\b|\bused to\b|"
    r"\bback (?:then|in (?:the day|\d{4}|school|uni|college|my (?:day|days|youth|teens|twenties|school|uni|army|drinking|"
    r"using|old))|when)\b|\bin (?:my )?(?:teens|twenties|thirties|"
    r"20s|30s|teenage years|younger days|school days)\b|\bwhen i was (?:a |younger|at|little|\d+|in|sixteen|"
    r"seventeen|fifteen|fourteen|thirteen|a teenager)|\bat the time\b|\bin (?:19|20)\d\d\b|\blast (?:year|month|summer|winter|spring|autumn)\b|"
    r"\bin the past\b|\bat my (?:lowest|worst)\b|\bonce upon\b|\b(?:haven|havent|have not) (?:done|felt|been|cut|"
    r"harmed) (?:it |that |like that )?(?:in|for) (?:years|months|ages|a long time|over)|\bthat was (?:years|"
    r"months|a long time)|\bwhen i was|\bi was (?:in|at) (?:a|my) (?:dark|bad|low)"
)
# Words that anchor a clause in the present despite a past marker nearby.
PRESENT = (
    r"\b(?:now|today|tonight|lately|recently|again|at the moment|right now|this (?:week|morning|evening)|"
    r"these days|currently|still|anymore|tomorrow)\b"
)
# Signs the writer is recovered / speaking from a safe distance.
RECOVERY = (
    r"\b(?:(?:im|i am) (?:in a )?(?:much |so much |far |way )?(?:better|good|great|happier|safe) "
    r"(?:place|now|these days)|doing (?:really |so )?(?:well|great|brilliantly|amazing|ok|okay) now|"
    r"(?:\d+|two|three|four|five|six|ten) (?:years?|months?) (?:clean|sober|free|on)|so glad i (?:was wrong|didnt|"
    r"stayed|reached out)|recovered|recovery|happy to (?:talk|chat|help)|it gets better|proof (?:it|that)|"
    r"now i (?:run|volunteer|help|work|have|am|m)|today im|(?:i|im) volunteer|i survived)\b"
)
JOKE = r"(?:\blol+\b|\blmf?ao+\b|\bhaha\w*|\bhehe\w*|\bjoking\b|\bjoke\b|\bmuahaha\w*|\brofl\b|:p|\bxd\b|\bkidding\b)"
SERIOUS = (
    r"\b(?:for real|no joke|not (?:a )?joke|not joking|not kidding|i mean it|deadly serious|im serious|"
    r"seriously|this isnt a joke|this is not a joke)\b"
)
# Contexts where "die"/"dying"/"dead"/"kill" is figurative.
IDIOM = (
    r"\b(?:battery|batteries|phone|charger|charging|wifi|laptop|%|percent|embarrass\w*|cringe\w*|bored\w*|"
    r"boredom|laugh\w*|hungry|starving for|heat|hot|exam|exams|essay|assignment|homework|deadline|traffic|queue|"
    r"meeting|spreadsheet|excel|work tomorrow|monday morning|hangover|hanging|cringing|mortified|dying to (?:see|"
    r"know|try|meet|hear|go)|to die for|kill(?:ing|ed)? it|kill for|kill time|killing time|"
    r"(?:is|are|was|were) killing me|dead tired|dead on my feet|legs are dead|im dead|i died|deceased)\b"
)
GAMING = (
    r"\b(?:game|games|gaming|lobby|server|raid|fortnite|minecraft|among us|cod|"
    r"call of duty|xbox|playstation|ps5|steam|discord game|respawn|noob|gg|pvp|teammates|squad|zombies|gta|ragdoll)\b"
)
FICTION = (
    r"\b(?:film|movie|series|episode|season finale|show|book|novel|character|plot|documentary|news|article|"
    r"reporter|headline|podcast|play|musical|soap|drama|anime|manga|netflix|bbc|storyline|story about)\b"
)
# A reported insult or threat aimed at the writer, or a rebuke of one.
REPORTED = (
    r"\b(?:called|calls|calling|call|told|tells|telling|said|says|saying|messaged|dm(?:ed|d)?|sent|wrote|"
    r"commented|screamed|shouted|yelled|keeps|kept|threatened|threatening)\s+(?:me|us|people|him|her|them|"
    r"others|everyone|someone|members?)\b|\b(?:stop|quit|please dont|dont)\s+(?:telling|calling|saying)\b|"
    r"\bbeing called\b|\bgot called\b|\bget called\b|\bwas called\b|\bim being\b"
)
# Subject pronouns, used to work out whose act a bare phrase describes.
SUBJECT = (
    r"\b(?:(?P<first>any(?:one|body) else|i|im|ive|id|ill|me|my|myself|we|were)|(?P<second>you|youre|youve|youd|youll|your|"
    r"yourself|anyone|anybody|people who|those who|someone who|the person who|whoever)|(?P<third>he|she|they|hes|shes|theyre|theyve|"
    r"hed|shed|theyd|him|her|them|his|their|friend|mate|son|daughter|brother|sister|mum|mom|dad|partner|wife|"
    r"husband|boyfriend|girlfriend|bf|gf|nan|grandad|cousin|flatmate|housemate|kid|child|member|someone|"
    r"somebody|character|man|woman|guy|bloke|girl|lad|teen|student)s?)\b"
)
THIRD_PERSON = THIRD


# ============================================================================
# Concept layer (v2). The rules above were grown from one set's misses; these
# describe *concepts* - means, places, finality/arrangements, imminence - that
# ``rules.decide`` combines. A concept alone is weak (a bridge, a will, giving
# things away are ordinary); two concepts together, not negated, not past and
# not a joke, are what make a message urgent.
# ============================================================================
MEANS_NOUN = (
    rf"(?:{PILLS}|ropes?|noose|ligature|blades?|razors?|knife|knives|gun|shotgun|rifle|pistol|belt|charcoal|"
    r"bleach|poison|weedkiller|antifreeze|hose(?:pipe)?|exhaust pipe|petrol|lighter fluid)"
)
# Where people go to end their life. A place alone is ordinary (a walk over a
# bridge); it only counts next to finality, ideation or an act.
PLACE = (
    r"(?:bridge|cliffs?|cliff edge|railway(?: line)?|train tracks|(?:the |railway |train )tracks|level crossing|"
    r"multi ?storey|car ?park roof|top floor of the car ?park|car park|rooftop|roof of|the roof|ledge|motorway|flyover|"
    r"viaduct|quarry|the loch|the river|the canal|the pier|lay ?by|the edge)"
)
# A place word used as a modifier ("bridge club", "railway museum") is not a place.
_NOT_PLACE = (
    r"(?! (?:museum|club|station|cafe|walk|walks|path|bar|terrace|garden|party|quiz|game|run|tour|trip|shop|market|"
    r"swing|views?|picnic|services|traffic|jam|closure|works|painting|photos?)\b)"
)

CONCEPT_RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- means
    Rule(
        "means_state",
        "means",
        "means ready",
        rf"\b{MEANS_NOUN}(?: is| are| s)? (?:\w+ ){{0,2}}?(?:loaded|tied|tied up|up in the \w+|in the (?:boot|car|shed|loft|"
        rf"garage|glovebox|bag|drawer)|out of the (?:cabinet|safe|drawer)|sorted|lined up|counted out|ready)\b",
    ),
    Rule(
        "means_rest_of",
        "means",
        "means at hand",
        rf"\b(?:the rest of|everything in|all of|the whole) (?:(?:my|the|his|her|\w+s) ){{0,2}}(?:{PILLS}|medicine cabinet|"
        rf"medicine cupboard|meds box)\b|\b{PILLS} (?:i|ive|id) (?:bought|got|saved|collected|kept)\b|"
        r"\b(?:\d+|two|three|four|five|six) (?:packets|boxes|packs|strips) (?:of|from)\b",
    ),
    Rule(
        "means_car",
        "means",
        "car exhaust",
        r"\b(?:cars?|engines?)(?: is| s)? running\b[^.!?\n]{0,40}\bgarage\b|\bhose(?:pipe)?\b[^.!?\n]{0,30}\b(?:exhaust|car|boot)\b|"
        r"\bgarage doors?(?: is| s)? (?:shut|closed)\b|\b(?:full (?:tank|of petrol)|tank of petrol)\b[^.!?\n]{0,60}\b(?:quiet|road|drive)\b",
    ),
    Rule(
        "means_enough_to",
        "means",
        "enough to die",
        r"\benough (?:\w+ )?(?:left |saved |here |there )?to (?:make sure|not come back|do it|finish it|end it)\b|"
        r"\b(?:theres|there is) enough (?:there|here|now|saved)\b|\bthats the plan\b",
    ),
    Rule(
        "means_kept_back",
        "means",
        "means kept back",
        rf"\b{MEANS_NOUN}\b[^.!?\n]{{0,40}}\b(?:kept|keeping|saved|saving|hid|hidden|hiding|held) (?:one|some|a few|a couple|"
        rf"two|three|back|aside|enough)\b",
    ),
    # ---------------------------------------------------------------- place
    Rule(
        "place",
        "place",
        "a place associated with suicide",
        rf"(?<!through )\b{PLACE}\b{_NOT_PLACE}",
    ),
    # ---------------------------------------------------------------- finality / arrangements
    Rule(
        "finality_not_around",
        "finality",
        "won't be around",
        r"\b(?:i|ill|i will|im|i am)(?: not going to| wont| will not| not) be (?:a problem|a burden|a bother|a nuisance|"
        r"in (?:anyones|your|the|their) way|here for|around for|here to see|here when|around when|here by|"
        r"coming back|needing (?:it|them|this|that|these))\b|\b(?:he|she|they)(?: is|s)? (?:not|wont|will not) "
        r"(?:be )?coming back\b|\bnot coming back from (?:it|this|that)\b",
    ),
    Rule(
        "finality_arrangements",
        "finality",
        "putting things in order",
        r"\b(?:gave|given|giving|left|leaving) (?:my|his|her) (?!time|word|number|notice|seat|details|name|all\b)\w+ to "
        r"(?:my |his |her |the )?\w+|\b(?:rehomed|rehoming|found a home for|found homes for|sorted) (?:the|my) "
        r"(?:dogs?|cats?|pets?|rabbits?|fish)\b(?! because)|\b(?:sorted|done|finished|made) (?:the|my) will\b|"
        r"\bcancell?ed (?:the|my|all my) (?:direct debits|subscriptions|accounts|phone contract)|"
        r"\bpaid off (?:the|my) \w+(?: bill)?\b[^.!?\n]{0,40}\bkey|\bleft the (?:spare )?keys? (?:with|for|on)\b|"
        r"\bi(?:ve| have)? (?:picked|chosen|set) (?:the|a) (?:date|day)\b|\bsorted (?:the|my) (?:paperwork|finances|affairs)\b|\b(?:knows?|know) to (?:take|feed|have|collect|look after|pick up) (?:the |my )?\w+|\bleft (?:instructions|a list|my passwords|the passwords)\b|\b(?:picked|chosen|planned) (?:my )?funeral (?:songs?|music|plans?)\b|\bdeleted (?:all )?(?:my|all my) (?:accounts|photos|socials|social media)\b|\bcleared out my (?:room|flat|desk|locker)\b|\b(?:one|a) last (?:walk|drive|look|time)\b(?= [^.!?\n]{0,20}\b(?:tonight|today|then|before))|\bthis is the last (?:night|day)\b|\bsorted the (?:cat|dog|kids|pets?) with\b",
    ),
    Rule(
        "finality_notes",
        "finality",
        "letters or a note written",
        r"\b(?:wrote|written|writing|left|finished|scheduled) (?:\w+ ){0,2}?(?:notes?|letters|the email|a letter "
        r"explaining)\b(?! (?:of|on|about|for (?:uni|school|work|class|the exam)|to my younger))|\bwrote (?:him|her|them) a letter\b",
    ),
    Rule(
        "finality_leaving",
        "finality",
        "signing off for good",
        r"\b(?:logging|logged|signing|signed) off (?:for good|permanently|forever|for the last time)|"
        r"^\s*(?:[\w ]{0,30}\.\s*)?signing off\s*[.!]?\s*$|\bsigning off\.\s*$|"
        r"\bdont (?:come )?(?:look|looking|search) for me\b|\bdont (?:try (?:to )?)?(?:find|save|stop) me\b|"
        r"\b(?:nobody|no one|noone) (?:needs|has) to (?:save|find|stop) me\b|\b(?:nobody|no one|noone) will miss me\b|"
        r"\bdont want an ambulance\b|\bthis is how it ends\b|\bjust the last (?:bit|thing|step) left\b|"
        r"\bworking (?:myself )?up to it\b|\bat peace with (?:it|my decision|this|that)\b|"
        r"\b(?:say|said|saying|thought id say|wanted to say) (?:bye|goodbye)\b(?! to (?:my (?:old )?(?:car|house|flat|job)|2\d\d\d))|"
        r"\btold (?:his|her|their|my) \w+ goodbye\b|\b(?:ill|i will|im going to|going to) join (?:her|him|them)\b",
    ),
    # ---------------------------------------------------------------- acts and intent
    Rule(
        "intent_take_them",
        "ambiguous_act",
        "about to take them",
        r"\b(?:going to|about to|will|ill|im going to) (?:take|swallow|neck|use) (?:them|it|those|the lot|everything|"
        r"all of it)\b(?=[^.!?\n]{0,40}\b(?:tonight|today|now|when|after|once|in one go))|"
        r"\b(?:going to|about to) (?:try|do it) again\b(?=[^.!?\n]{0,20}\b(?:tonight|today|now|soon))|"
        r"\b(?:about to|going to) do (?:more|it again)\b",
    ),
    Rule(
        "intent_v2",
        "intent",
        "intent to act",
        r"\b(?:going to|gonna|will|ready to) go through with it\b|\b(?:nobody|no one|noone) (?:can|will|is going to) "
        r"(?:stop|talk) me\b|\bnot going to be talked out of it\b|\b(?:its|it is) happening (?:tonight|today|tomorrow)\b|"
        r"\b(?:going to|gonna|will|ill) (?:drive|crash|steer|swerve) (?:the car |my car )?(?:into|off) (?:a|the) "
        r"(?:wall|tree|river|lorry|bridge|cliff|barrier|sea)\b",
    ),
    Rule(
        "intent_self_harm",
        "intent",
        "about to self-harm",
        r"\b(?:going to|about to|will|ill|gonna) (?:\w+ )?(?:hurt|cut|burn|harm) (?:myself|me)\b(?=[^.!?\n]{0,50}"
        r"\b(?:tonight|today|now|right now|when i get (?:home|in|back)|later|soon|as soon as))",
    ),
    Rule(
        "act_self_harm_tonight",
        "act",
        "self-harm happening tonight",
        r"\b(?:ive|i have|been|i) (?:\w+ )?(?:burned|burnt|cut|hurt|scratched|hit) (?:myself|my \w+)\b[^.!?\n]{0,40}"
        r"\b(?:tonight|right now|just now)\b",
    ),
    Rule(
        "act_taken_something",
        "act",
        "has taken something",
        r"\b(?:ive|i have|i|just) (?:just )?(?:taken|took|swallowed|necked) (?:something|a load|loads|them all|the lot|"
        r"everything)\b|\b(?:taken|took) about \d+ of\b",
    ),
    Rule(
        "harm_other_find",
        "harm_other",
        "intent to seriously hurt someone",
        r"\b(?:going to|gonna|ill|i will|im going to) (?:find|get|hunt down|go round to|wait for) (?:him|her|them|that \w+)\b"
        r"[^.!?\n]{0,40}\b(?:and|then) (?:kill|stab|batter|break|hurt|beat|smash|glass|do) |"
        r"\bbreak (?:every bone in|his|her|their) (?:his |her |their )?(?:body|legs|neck|jaw|face|arms)\b"
        r"|\bwaiting for (?:him|her|them) to come (?:home|back|round)\b[^.!?\n]{0,30}\b(?:bat|knife|hammer|gun)\b",
    ),
    Rule(
        "harm_thoughts",
        "concern",
        "thoughts of harming someone",
        r"\b(?:thinking|thoughts|thought) (?:about|of) (?:hurting|harming|killing) (?:the baby|my baby|him|her|them|my \w+)\b",
    ),
    # ---------------------------------------------------------------- ideation / passive (fresh wordings)
    Rule(
        "ideation_way_out",
        "ideation",
        "sees death as the way out",
        r"\b(?:the )?only (?:way out|option left|way to stop (?:it|this))\b|\b(?:make|making) sure (?:i|he|she|they) "
        r"(?:dont|never|doesnt|do not) (?:come back|wake up)\b|\bi want it (?:all )?(?:to stop|over)\b(?= *(?:[.!\n]|$))|"
        r"\bjust want (?:it )?(?:all )?to stop\b",
    ),
    Rule(
        "passive_v2",
        "passive",
        "passive wish to be gone",
        r"\b(?:better|easier|simpler)(?: for (?:everyone|them|all))? if (?:i|we|neither of us|none of us) (?:just )?"
        r"(?:wasnt|werent|was not|were not|am not|didnt|didnt make it|made it|never|wasnt in it|was gone)\b|"
        r"\b(?:takes?|take|took) me in my sleep\b|\b(?:god|the lord) (?:takes|would take|will take|to take) me\b|"
        r"\b(?:lie|lay) down (?:\w+ ){0,4}and (?:not|never) get (?:back )?up\b|\bso i (?:could|can|would) (?:just )?die\b|"
        r"\btired of (?:being alive|living|existing)\b|\bdont want to (?:be alive|live) (?:either|anymore)\b|"
        r"\b(?:dont|do not|wouldnt) (?:really )?care (?:what happens to me|if i live or die|whether i live)\b|"
        r"\bwho would (?:even )?(?:care|notice|miss me)\b|\b(?:so |just |completely )?done with (?:life|living|existing)\b|"
        r"\bmy life is (?:already )?over\b|\blife is (?:already )?over\b|\bwouldnt mind if\b[^.!?\n]{0,30}\b(?:crashed|went down|"
        r"hit me|didnt wake)|\bwouldnt care if the \w+ (?:went down|crashed)\b|\bif (?:a|the) (?:bus|car|lorry|train) "
        r"(?:hit|hits) me\b|\b(?:im|i am|feel like im|feel like i am) (?:a |just a |such a )?waste of (?:space|oxygen|air)\b|"
        r"\b(?:whats|what is) the point of me\b|\b(?:hoping|hope|praying|pray|wish) (?:that )?my heart (?:just )?(?:stops|gives out|would stop)\b|"
        r"\bhope (?:it|this|the cancer|the illness|the disease|something) (?:just )?(?:takes|kills|gets) me\b|\btired of fighting\b|"
        r"\bdont want to do (?:life|this life|living) (?:anymore|any more)\b|\bready to be done\b|\bwish i (?:hadnt|had not|had never|never) been born\b|"
        r"\b(?:thought|thoughts) of (?:just )?(?:stepping|jumping|walking|driving) (?:in front|off|into)\b",
    ),
    Rule("urges_v2", "concern", "urges", r"\burges? to (?:jump|step|drive|crash|die|end it)\b"),
    Rule(
        "hopeless_v2",
        "concern",
        "hopelessness",
        r"\b(?:dont|cant|do not|cannot) see (?:a|any) (?:future|way forward|way out)\b|"
        r"\bcant (?:keep )?(?:living|go on|going on) like this\b|\bhow much (?:more|longer) i can (?:take|keep going|go on|cope)\b|"
        r"\b(?:not|never) going to get better\b|\bwaiting to die\b|\bnothing to look forward to\b|\bno way forward\b",
    ),
    Rule(
        "self_harm_v2",
        "concern",
        "self-harm",
        r"\b(?:punch(?:ed|ing)?|hit(?:ting)?|bang(?:ed|ing)?) (?:the|a) wall\b[^.!?\n]{0,40}\b(?:until|till|til) (?:my|i)\b|"
        r"\b(?:till|until|til) (?:it|they|i) (?:bleeds?|bled|bleed)\b|"
        r"\b(?:has been|been|is|keeps?|started|was) cutting\b(?! (?:back|down|out|off|up|costs?|corners|the|my hair|hair|"
        r"grass|it|into|in|and|onions|paper|food))|\bgot the blades? out\b|\bmarks on (?:her|his|their|my) (?:arms?|legs?|wrists?)\b|"
        r"\bbloody tissues\b|\bhad a slip\b[^.!?\n]{0,40}\b(?:burnt|burned|cut|arm|leg)",
    ),
    Rule(
        "meds_stopped_v2",
        "concern",
        "stopped medication",
        rf"\b(?:days?|weeks?) without (?:my |any )?{PILLS}\b|\bstopped (?:everything|it all)\b[^.!?\n]{{0,15}}\b(?:meds|medication|pills)\b|"
        rf"\bstopped my {PILLS}\b",
    ),
    Rule(
        "distress_v2",
        "weak",
        "struggling badly",
        r"\bnot coping\b|\bgoing under\b|\bhit (?:a new|rock) (?:low|bottom)\b|\bjust existing\b|\bnowhere to go\b|"
        r"\b(?:mood|head) is (?:on|in) the floor\b|\bburnt out\b|\bdisappearing\b|\bcant stop shaking\b",
    ),
    Rule(
        "isolated_v2",
        "weak",
        "isolated",
        r"\b(?:havent got|dont have|have not got|not got|got nobody|have nobody) (?:anyone|anybody|nobody|no one|a soul) "
        r"to (?:talk to|turn to|tell)\b|\bno one to tell\b|\bhavent (?:spoken|talked) to (?:another|a single) (?:human|soul)\b|"
        r"\bnobody checks on me\b|\bno (?:friend|friends) here\b",
    ),
    # ---------------------------------------------------------------- flags
    Rule(
        "host_third_insult",
        "hostility",
        "insult aimed at someone",
        rf"\b(?:hes|shes|theyre|he is|she is|they are|is|are)\s+(?:a|an|such a|just a|one|the biggest|a bunch of|bunch of)\s+"
        rf"(?:\w+\s+){{0,2}}?(?:{INSULT}|cow|witch(?:es)?|hags?|weirdos?|scroungers?|disgrace|junkies|slags?)\b|"
        rf"\b(?:bitter|old|stupid|fat|ugly|silly) (?:hag|cow|witch|slag|bitch)\b|\b(?:you|youre|you are) (?:a )?"
        r"(?:disgrace|scrounger|weirdo)\b|\bimagine being (?:this|that|so|such a)\b[^.!?\n]{0,25}\b(?:loser|pathetic|sad|thick)|"
        r"\b(?:should|ought to) (?:just )?(?:be left to )?rot\b|\bsomeone should (?:slap|punch|hit|batter|smack|deck|knock)\b|"
        r"\bget off (?:this|the) (?:forum|group|site|chat),? (?:you )?\w+|\bnobody likes \w+ people\b|"
        r"\byou\b[^.!?\n]{0,25}\bsuch an? (?:drunk|junkie|alky|alkie|loser|joke|waste)\b",
    ),
    Rule(
        "sub_problem_v2",
        "substance",
        "drink/drug use is a problem",
        r"\b(?:hiding|hid|hidden) (?:the )?(?:bottles|cans|my drink|vodka|wine)\b|\bwithout a drink\b[^.!?\n]{0,40}\b(?:sweats|shakes|"
        r"shaking|rough|cant)|\bcant (?:sleep|cope|function|relax) without (?:a few |a couple of |my )?(?:beers|cans|wine|drink|"
        r"a drink|vodka|weed|a joint|pills)\b|\b(?:a bender|on the sesh|on a sesh|a few too many|a bottle of (?:red|white|wine|"
        r"vodka)(?=[^.!?\n]{0,60}\b(?:every|each|night|again)))|\b(?:\w+s|ket|coke|weed|drink|booze)(?: has| s)? got a grip on me\b|"
        r"\bused every day\b|\bstill drinking\b|\bday \d+ (?:off|without) (?:heroin|gear|the gear|booze|drink|coke|methadone)\b|"
        r"\b(?:diazepam|valium|xanax|gabapentin|pregabalin|codeine|tramadol)\b[^.!?\n]{0,30}\b(?:off a mate|off the street|"
        r"from a mate|of a mate)\b|\boff the street is everywhere\b|\bgot the (?:vodka|whisky|whiskey|gin|rum|booze)\b|\b(?:im|i am) back on it\b|\b(?:calm|cut) it with the drink\b",
    ),
    Rule(
        "prac_v2",
        "practical",
        "work/housing/bills",
        r"\b(?:applying for|apply for|looking for|find) (?:a )?jobs?\b|\bgaps? (?:on|in) (?:my|your) cv\b|\bcv\b|"
        r"\brents? (?:is |s )?due\b|\bhousing appeals?\b|\bon the streets\b|\bnight shelter\b|\bsleeping in (?:my|the) car\b|"
        r"\bparking (?:fine|ticket|charge)\b|\bpenalty charge\b|\bpay (?:the|my) (?:gas|electric|heating|water)\b",
    ),
)
# ---------------------------------------------------------------- v3 concepts
# Single strong signals, written from categories (not items) seen on a new author's set: an overdose or a use
# already taken, finality arrangements worded as instructions, means ready "in my bag", "going to jump" with no
# object, and threats of serious violence with a weapon or a method. The vetting in rules.py (negation, past,
# person, joke, idiom) still applies to every one.
V3_RULES: tuple[Rule, ...] = (
    Rule(
        "act_taken_v3",
        "act",
        "overdose or harm already taken",
        r"\b(?:ive|i have|i) (?:already|just) (?:taken|took|swallowed|necked|downed) (?:them|it|the lot|everything|"
        r"them all|all of them)\b(?! (?:back|off|out|to|away|apart|down))|\b(?:ive|i have|i) (?:taken|took|swallowed|"
        r"necked|downed) (?:them all|the lot|all of them|everything i had)\b|"
        rf"\b(?:took|taken|swallowed|necked|downed) (?:the|a) (?:whole|entire|full) (?:box|packet|pack|bottle|strip|tub)\b|"
        rf"\b(?:{PILLS}|they|it|tablets) (?:are|is|r|s) (?:kicking in|starting to (?:work|kick in)|working now)\b|"
        rf"\bi (?:take|took|taking) (?:many|much|lots of|so many) {PILLS}\b|"
        r"\b(?:shot up|took|used|injected|snorted) (?:way |much |a lot |loads )?more than (?:i ever|ever|usual)\b"
        r"[^.!?\n]{0,30}\bon purpose\b|\bon purpose\b[^.!?\n]{0,30}\b(?:overdos\w*|too much|way more)\b",
    ),
    Rule(
        "finality_v3",
        "finality",
        "final instructions",
        r"\bthe (?:cat|dog|fish|rabbit|budgie|kids|hamster|guinea pigs?|birds?) (?:goes|go|can go|should go|is going) to\b|"
        r"\b(?:can|could|will) (?:someone|somebody|anyone|you) (?:take|have|look after|adopt|rehome) (?:my |our )?"
        r"(?!the bins|the kids to)\w+\b[^.!?\n]{0,80}\b(?:after|wont|will not|cant|not be able)\b|"
        r"\bpasswords? (?:for|to) (?:everything|all my|my (?:bank|email|accounts))\b|\bfuneral plan\b[^.!?\n]{0,60}"
        r"\b(?:paid|sorted|finished|done)|\b(?:paid|finished|sorted)\b[^.!?\n]{0,40}\bfuneral plan\b|"
        r"\bset the (?:date|day)\b|\b(?:thats|that is) when (?:he|she|they|someone)(?:ll| will) find me\b|"
        r"\benjoy reading about me\b|\bwant (?:it|this|today|tonight) to be the last (?:one|time|day)\b|"
        r"\bgo to sleep for good\b|\bthought it (?:all )?through\b|\bits all (?:done|sorted|in order)\b(?= *[.!]?\s*"
        r"(?:going|gonna|im|i|$))|\b(?:wont|will not) (?:hear|see) (?:from )?me again\b|\bit was nice knowing\b|"
        r"\b(?:look|looking) after (?:mam|mum|mom|dad|the kids|my \w+) for me\b|\bdont blame yourselves?\b|"
        r"\bwhoever (?:reads|finds) this\b",
    ),
    Rule(
        "means_ready_v3",
        "means",
        "means ready",
        r"\b(?:theyre|they are|its|it is|the \w+ (?:is|are)) (?:in|on) my (?:bag|pocket|drawer|bedside|desk|car)\b|"
        r"\b(?:i|ive) (?:know|worked out|looked up|researched) (?:which ones|how many|what dose|the dose|how much to)\b|"
        r"\bdone (?:the|my) research\b|\bthe pills are in\b|\bbought (?:a |some )?(?:hose(?:pipe)?|charcoal) and "
        r"(?:duct )?tape\b|\b(?:sat|sitting|is|hes|shes) (?:\w+ ){0,4}with (?:a |his |her |my |the )?(?:service )?"
        r"(?:pistol|gun|shotgun|rifle)\b",
    ),
    Rule(
        "working_up_v3",
        "ambiguous_act",
        "working up to it",
        r"\b(?:find|finding|get|getting|build|building) (?:up )?the (?:guts|courage|nerve)\b|\bwaiting (?:on|for) the "
        r"(?:courage|guts|nerve)\b|\b(?:going to|gonna|will|about to) do it (?:after (?:this|that|the)|when|once|tonight|"
        r"now|soon|later)\b|\b(?:dont|do not) (?:try (?:and |to |n )?)?(?:stop|find) me\b|\bnobody(?:s| is)? (?:going to|will)"
        r" (?:miss|notice) me\b",
    ),
    Rule(
        "intent_water_v3",
        "intent",
        "intent to walk into water",
        joke_prone=True,
        pattern=r"\b(?:im|i am|going to|ill|i will|gonna) (?:just )?(?:walk|walking|wade|wading) (?:into|in to|out into) the "
        r"(?:sea|river|loch|ocean|water|canal|lake)\b",
    ),
    Rule(
        "finality_v3b",
        "finality",
        "leaving for good",
        r"\b(?:wont|will not|dont|do not) have to (?:deal with|worry about|put up with|see|look at) me (?:anymore|any more|"
        r"again)\b|\b(?:wont|will not|not) be able to (?:look after|care for|feed|walk) (?:him|her|them|my \w+) "
        r"(?:after|from|past|any)\b|\b(?:walking|driving|heading|going|on my way) (?:up )?to the (?:\w+ )?(?:bridge|"
        r"viaduct|cliffs?|tracks|railway|multistorey|motorway bridge)\b[^.!?\n]{0,20}\bnow\b|\b(?:im|i am|i m) done\b"
        r"(?=[^.!?\n]{0,60}\b(?:bye|goodbye|ending|end it|for good|forever|with (?:it all|life|everything|living)))",
    ),
    Rule(
        "intent_jump_v3",
        "intent",
        "intent to jump",
        r"\b(?:going to|gonna|about to|will|ill|im going to) jump\b(?= *(?:$|[.!,\n]|and|off|from|tonight|now|in front))",
    ),
    Rule(
        "harm_other_v3",
        "harm_other",
        "threat of serious violence",
        r"\b(?:coming for|come for|going to get) (?:you|him|her|them)\b[^.!?\n]{0,30}\bwith (?:a|my|the) (?:hammer|knife|"
        r"bat|blade|machete|gun|crowbar)\b|\bburn (?:it|the house|his house|her house|their house) down with (?:him|her|them)"
        r"\b|\b(?:run|knock) (?:him|her|them) (?:over|down)\b(?! (?:in|at) (?:the )?(?:game|match|fifa))|"
        r"\b(?:im|i am) (?:going to )?(?:coming|come) (?:round|over)\b[^.!?\n]{0,40}\bwith (?:a|my|the) (?:hammer|knife|bat|"
        r"blade|machete|gun|crowbar)\b",
    ),
    # Issue 20, fourth round: going armed to someone (a weapon carried to a person, a place or a time), and a
    # present tense that is a plan ("I'm glassing him", "I will cave her skull in").
    Rule(
        "harm_other_armed",
        "harm_other",
        "going armed to hurt someone",
        r"\b(?:going|coming|heading|driving|bringing|taking|waiting|be waiting)\b[^.!?\n]{0,40}\bwith (?:a|my|the|his|me) "
        r"(?:old |dads |own )?(?:shotgun|gun|twelve bore|rifle|hammer|knife|bat|blade|machete|crowbar|bayonet|poker|axe)\b"
        r"[^.!?\n]{0,60}\b(?:him|her|them|he|she|hell|shell|theyll|his|their)\b"
        r"|\b(?:im|i am|ill|i will) (?:bringing|taking) (?:a|my|the) (?:shotgun|gun|hammer|knife|blade|machete|bayonet|axe)\b"
        r"[^.!?\n]{0,40}\b(?:him|her|them|skull|head)\b"
        r"|\b(?:im|i am) (?:glassing|stabbing|shooting|knifing|battering) (?:him|her|them)\b"
        r"|\bcave (?:his|her|their) (?:skull|head) in\b|\breverse over (?:him|her|them)\b",
    ),
    # Harm already done or under way, in words the older rules did not have: an injury described by how bad it is,
    # something taken "on purpose", the gas or the exhaust in use, objects swallowed, "took them all" on its own.
    Rule(
        "act_medical",
        "act",
        "medical danger now",
        rf"\b{MEDICAL_SIGN}\b[^\n]{{0,140}}?\b{MEDICAL_SIGN}\b",
    ),
    Rule(
        "act_injury_severe",
        "act",
        "serious injury now",
        r"\b(?:(?:cut|burnt|burned|sliced|scalded)\s+(?:myself|my (?:arms?|wrists?|legs?|chest|stomach|thighs?|hands?))|"
        r"(?:ive|i have|just) cut)\b[^\n]{0,120}?\b(?:(?:a lot of|so much|loads of) blood|blood everywhere|"
        r"skin(?:s| has| is)? (?:peeled|came|come|coming) (?:right )?off|weeping|gone black|black in the middle|blistered|"
        r"to the bone|wont stop bleeding)",
    ),
    Rule(
        "act_on_purpose",
        "act",
        "taken on purpose",
        r"\b(?:(?:took|taken|smoked|used|drank|swallowed|injected|necked|did)\b[^.!?\n]{0,40}\bon purpose\b|"
        r"swallowed (?:a load of|loads of|all the|a handful of|some) (?:batteries|bleach|glass|screws|nails|magnets)\b)",
    ),
    Rule(
        "act_took_them_all",
        "act",
        "overdose taken",
        r"\A\W*(?:i |ive |just |i have )?(?:took|taken|swallowed|necked) (?:them|the lot|it) all(?=\s*(?:[.!]|$))",
    ),
    Rule(
        "act_gas",
        "act",
        "means in use now",
        r"\bgas is on (?:and|with) (?:all )?the (?:windows?|doors?) (?:are |is )?(?:shut|closed|sealed)\b"
        r"|\b(?:pipe|hose|tube) (?:from|on|in|attached to|off) the exhaust\b",
    ),
    # Threatened with serious harm now: a threat to kill the writer with the danger present ("he's got his belt
    # off and he's coming up the stairs", "we're in the car at the end of the lane").
    Rule(
        "act_threatened",
        "act",
        "threatened with serious harm now",
        r"\b(?:hell|shell|theyll|he will|she will|they will|hes going to|shes going to|hed|shed)\s+(?:\w+\s+){0,2}?"
        r"(?:kill|shoot|stab|strangle)\s+(?:me|us|the kids|me and the kids)\b[^\n]{0,200}?\b(?:(?:hes|shes|theyre) "
        r"(?:got (?:a|the|his|her) (?:belt|knife|gun|bat|hammer|shotgun)|coming up the stairs|coming (?:for|after) me|"
        r"standing in the doorway|banging on the door|kicking the door|just (?:thrown|hit|"
        r"punched|strangled|choked) me)|(?:were|im) (?:in the car|hiding|locked in))",
    ),
)

# Issue 20, fifth round: kinds the cross-validation still missed, written as kinds. A place named with a when or a
# sign that nobody will be about ("the railway line at the back of the scheme, last train's about half eleven",
# "after Fajr when the road is empty"); goodbyes in a few dialect words ("ye'll no see me again", "that's me",
# "sorry Maw"); an emergency already under way with help on its way; an injury described by what can be seen;
# stones in the pockets; burning a home with the writer inside. Each is a soft cue unless it says harm outright.
PLACE_V6 = (
    r"(?:footbridge|overpass|underpass|the weir|the reservoir|the dam|railway bridge|the brig|train line|the (?:railway )?"
    r"crossing|the harbour wall|the sea wall|beachy head|the stairwell|top of (?:the|my) (?:block|flats|tower|"
    r"stairwell|multi ?storey|car ?park))"
)
V6_RULES: tuple[Rule, ...] = (
    Rule("place_v6", "place", "a place associated with suicide", rf"\b{PLACE_V6}\b{_NOT_PLACE}"),
    Rule(
        "time_clock",
        "time",
        "a time",
        r"\b(?:at|for|till|until|after|before|by|the) (?:the )?\d{1,2}[.:]\d{2}\b|\b(?:in|within) (?:\d{1,2}|"
        r"five|ten|fifteen|twenty) (?:mins?|minutes)\b|\b(?:last|next|first) (?:fast )?trains?\b[^.!?\n]{0,30}\b(?:at|is|s|comes?|"
        r"due)\b|\b(?:quarter|half|ten|twenty|five) (?:to|past) (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
        r"twelve|midnight|\d{1,2})\b|\bafter the (?:last|night) (?:bus|train)\b|\bat first light\b|\b(?:after|once|when) (?:its|it is|it gets) dark\b|\bafter dark\b",
    ),
    Rule(
        "time_unseen",
        "time",
        "when nobody is about",
        r"\b(?:nobody|no one|noone|naebody)(?:ll|s| will| s| is| ever)? (?:see|sees|find me|notice|be (?:around|about|up|"
        r"there|up there)|walks?|goes|comes?|uses|on it)\b(?! (?:me )?(?:anyway|either|about it|to|at work))|"
        r"\bwhen (?:the (?:road|roads|traffic|street|streets|town|station|park|place|bridge|lane|site|line) (?:is |s |are |"
        r"goes |gets )?|its |it is |it gets |everythings |everything is )(?:quiet|empty|dead|dark)\b|"
        r"\bwhen the traffic (?:dies|quietens|quiets) down\b|\bbefore the dog walkers\b|"
        r"\bno (?:barrier|barriers|railings?|fence)\b|\b(?:railings?|barriers?|fence) (?:are|is|s) (?:low|broken|down|gone)\b",
    ),
    Rule(
        "farewell_dialect",
        "farewell",
        "a goodbye in a few words",
        r"\b(?:(?:yell|youll|you will|ye will) (?:no|not|never|nae) (?:see|hear from) me (?:again|at|on|here)|"
        r"(?:thats|this is|that is) me\s*(?:done\s*)?(?:[.!\n]|$)|thats it\s*(?:[.!]|$)|"
        r"sorry (?:to )?(?:mum|mam|maw|ma|mammy|mummy|mom|mommy|dad|da|daddy|nan|nana|granny)\s*(?:[.!x]|$)|"
        r"god (?:forgive me|bless (?:you all|you))\s*(?:[.!x]|$))",
    ),
    Rule(
        "finality_letter",
        "finality",
        "final instructions",
        r"\bby the time (?:you|anyone|someone|somebody|they)(?: all)? (?:reads?|sees?|finds?|gets?) (?:this|it)\b|"
        r"\bmoney (?:is )?(?:in the (?:tin|drawer|jar|envelope)|put by|left) for (?:the|my) (?:funeral|burying|burial|"
        r"cremation|headstone)\b|\b(?:key|keys)(?: is| are| s)? (?:under the mat|on the table|in the door|with \w+) for "
        r"(?:whoever|when|the)\b|\b(?:my|the) \w+(?: \w+)?(?: is| s| are| goes| go) (?:for|to) (?:young |auntie |uncle |"
        r"our |my )?[a-z]+\b[^.!?\n]{0,20}[,.;] ?(?:and )?(?:the|my) \w+(?: \w+)?(?: is| s| are| goes| go) (?:for|to)\b",
    ),
    # Hostility in the voices it missed most (Scots and Irish English, South Asian British, prison slang, faith
    # communities): insults said to a person ("ye're a lyin wee toerag", "you're a hypocrite, Zain") in words the
    # older list did not have, and contempt for a group ("some of you coconuts", "typical smackhead"). Only after
    # "you're a" / "you": "your snake" and "your mug" are a pet and a cup.
    Rule(
        "host_you_are_v6",
        "hostility",
        "insult aimed at someone",
        rf"\b(?:youre|you are|yere|you|ur)\s+(?:a |an |such a |one |the biggest |an absolute |a total |a right |a proper )?"
        rf"(?:(?!not\b|never\b)\w+ ){{0,2}}?{INSULT_V6}\b",
    ),
    Rule(
        "host_group_v6",
        "hostility",
        "insult aimed at a group",
        rf"\b(?:you lot|some of you|some o you|all of you|half of you|the rest of you|people like you)"
        rf"(?: (?:on here|in (?:this|the) group))? (?:are|r|is)? ?(?:all |just |pure |aw )?(?:a bunch of |bunch o |a load of )?"
        rf"(?:\w+ ){{0,2}}?(?:{INSULT}|{INSULT_V6})\b|\bsome (?:of|o) (?:you|them) (?:\w+ )?(?:{INSULT_V6}|{INSULT})\b|"
        rf"\b(?:typical|dirty|bloody|fucking) (?:hun|huns|taigs?|fenians?|smackheads?|junkies|junkie|crackheads?|nonces?|"
        rf"grasses|grass|pikeys?|gyppos?|immigrants|foreigners|muslims|jews|catholics|protestants|pakis?|coconuts?)\b|"
        rf"\blike (?:you|him|her|them) (?:shouldnt|should not|dont|do not) (?:be (?:in|allowed in|allowed on|let in|welcome "
        rf"in) (?:this|the|our) (?:group|country|church|club|community|chat|forum|town)|belong)\b|"
        rf"\bare (?:all )?(?:scum|vermin|snakes|liars and thieves|thieves)\b",
    ),
    Rule(
        "harm_other_outcome",
        "harm_other",
        "intent to seriously hurt someone",
        r"\b(?:im|i am|ill|i will|going|goin|gonna|im going|tonight)\b[^.!?\n]{0,100}\b(?:and|an) (?:he|she|they|hes|shes)"
        r"(?:ll| will|s)? (?:wont|will not|not|never) (?:be walking (?:again|out)|walk again|be talking again|speak again|"
        r"see (?:morning|tomorrow|the morning))\b|\b(?:hell|shell|theyll|he will|she will) not see (?:the )?(?:morning|"
        r"tomorrow)\b|\b(?:put|putting) (?:him|her|them) in (?:hospital|the ground|a box|intensive care|a wheelchair)\b|"
        r"\b(?:break|breaking|smash|smashing) (?:his|her|their) (?:legs|knees|kneecaps|neck|jaw|skull|arms)\b|"
        r"\b(?:split|splitting|cave|caving|crack|cracking|open) (?:his|her|their) (?:skull|head)\b|"
        r"\b(?:getting|gets|get) the (?:blade|knife|hammer|bat)\b|\bstop (?:him|her|them) for good\b|"
        r"\bburn (?:his|her|their) (?:door|house|flat|car|trailer|van|shop) (?:down )?with (?:him|her|them) in(?:side)?\b|"
        r"\bend (?:him|her|them) tonight\b|\bwith (?:me|my|his|her|the) (?:\w+s )?(?:old )?(?:hammer|knife|blade|machete|"
        r"hurley|bat|crowbar|shotgun|gun|axe)\b[^.!?\n]{0,60}\b(?:skull|kneecaps|knees|legs|head) (?:in|open)?",
    ),
    Rule(
        "means_saved_v6",
        "means",
        "means saved up",
        rf"\b(?:saved|saving|kept|keeping|stockpiled|stockpiling|hoarded|hoarding|collected|collecting|squirrelled|put by)"
        rf"(?: up)? (?:(?:all|some|enough) (?:of )?)?(?:my|the|his|her|their|mums|dads|nans) (?:\w+ )?{PILLS}\b|"
        rf"\b(?:ive|i have|i)(?: been)? (?:stockpiling|hoarding)\b|"
        rf"\b{PILLS}\b[^.!?\n]{{0,60}}\b(?:going to|gonna|will|ill|im) take (?:them|it|the lot|them all)\b(?! (?:back|to|in|out|off|"
        rf"with|as|like|every|each|twice|once|in the))|"
        r"\b(?:cartridges|shells|ammo|rounds) (?:are |is )?in (?:my|me|the) (?:coat|pocket|coat pocket|bag|van|car|truck|boot)\b",
    ),
    Rule(
        "time_chosen",
        "time",
        "a day chosen",
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow) (?:is|will be) the (?:day|night)\b|"
        r"\b(?:ive|i have) (?:chosen|picked) (?:a |the )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|day|date)\b",
    ),
    # Second pass (issue 20, fifth round), kinds from the cross-validation's remaining misses: a bare day or date as
    # a sentence of its own ("Sunday. That's it."), a date set, a place where the writer is now, a fast train,
    # drink and pills together, going over a railing, walking into traffic, a threat with a weapon and a time,
    # belongings given to named people and pets placed, debts paid off to leave nothing owing.
    Rule(
        "time_bare",
        "time",
        "a day on its own",
        r"(?:^|[.!?\n]\s*)(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|the \d{1,2}(?:st|nd|"
        r"rd|th)|\d{1,2}(?:st|nd|rd|th)(?: of \w+)?)\s*(?:[.!\n]|$)|\b\d{1,2}(?:st|nd|rd|th) of (?:january|february|march|"
        r"april|may|june|july|august|september|october|november|december)\b|\b(?:saturday|sunday|monday|tuesday|"
        r"wednesday|thursday|friday|tonight|tomorrow) is when i (?:go|do it|leave)\b",
    ),
    Rule(
        "time_now_here",
        "time",
        "where the writer is now",
        r"\b(?:im |i am )?(?:on|at|in|by|up) (?:the|a) [a-z ]{2,30}? now\s*(?:[.!\n]|$)|\b(?:so |its |its so |it is )?"
        r"(?:peaceful|quiet|calm) (?:here|up here|down here)\b|\bbefore midnight\b|\b(?:feels like|its|it is) the right "
        r"time\b|\b(?:wife|husband|partner|the kids|family|parents|mum|dad|everyone)(?:s| is| are)? (?:at|away|out)\b"
        r"[^.!?\n]{0,30}\b(?:until|till)\b",
    ),
    Rule(
        "means_v6b",
        "means",
        "means ready",
        rf"\b(?:the |next |a )?fast train\b|\b(?:train|freight)s? (?:that )?(?:doesnt|dont|does not|wont) (?:stop|slow)\b|"
        rf"\b{PILLS} on top\b|\b(?:drank|downed|necked|had) (?:\d+|two|three|a whole|a full) (?:bottles?|litres?) (?:of )?\w+ "
        rf"(?:and|then|with|plus) (?:took|taken|swallowed|necked|popped)\b|\b(?:bought|brought|got|ive got|have) (?:the |some |"
        rf"a bottle of )?(?:poison|weedkiller|antifreeze|rat poison)\b|\b(needle|knife|gun) +\1\b|\bpills +pills +pills\b|"
        rf"\bbought (?:what|everything) i need(?:ed)?\b",
    ),
    Rule(
        "act_v6b",
        "act",
        "harm under way",
        r"\b(?:climbed|climbing|ive climbed) (?:over|onto|on to|outside) the (?:railings?|barrier|parapet|ledge)\b|"
        r"\b(?:pressing|pushing|digging|dragging) the (?:blade|razor|knife|glass) (?:in|into|across|deeper)\b|"
        r"(?<!about )(?<!of )(?<!to )\b(?:walking|stepping|walk|step) (?:out )?(?:into|in front of) the (?:traffic|lorries|cars|"
        r"oncoming)\b",
    ),
    Rule(
        "act_like_v6b",
        "ambiguous_act",
        "doing it now",
        rf"\b(?:going to|gonna|will|ill|im going to) (?:drive|walk|jump|step|go) (?:in|off|over|under)\s*(?:[.!\n]|$)|"
        rf"\bnot (?:stopping|braking|slowing down) (?:at|for) the (?:bend|corner|edge|cliff|wall)\b|"
        rf"\b(?:ive|i have|just) (?:taken|swallowed|necked) (?:the|my) {PILLS}\b(?! (?:the doctor|the gp|as|like|with|this morning|"
        rf"for|every))|\b(?:go|going|do it|end it) the same way (?:he|she|they|my \w+) did\b",
    ),
    Rule(
        "finality_v6b",
        "finality",
        "putting things in order",
        r"\bset (?:a|the) (?:date|day)\b|\b(?:given|gave|left) (?:my|his|her) (?:\w+ ){1,3}to (?:the|my|our|his|her|a) "
        r"(?:\w+ )?(?:lady|man|lad|girl|grandson|granddaughter|neighbour|sister|brother|cousin|son|daughter|nephew|niece|"
        r"student|mate|friend|chapel|church)\b|\b(?:the|my) (?:cat|dog|cats|dogs|budgie|rabbit|fish)(?:s| is| has| are)? "
        r"(?:gone |going )?(?:to|with) (?:my|the|mrs|mr|our|her|his) ?\w+|\brehomed (?:\w+ ){1,3}(?:with|to)\b|"
        r"\b(?:nothing|no one|nobody|nothing left) (?:left )?owing\b|\bpaid (?:off )?the last of\b|\bpaid off (?:my|the) "
        r"(?:overdraft|debts?|bills?|catalogue|loan)\b|\beverything(?:s| is) (?:arranged|in order)\b|\bknows to (?:take|"
        r"have|feed|look after)\b|\b(?:wont|will not) be needing (?:it|them|any of it)\b|\bwont need (?:it|them|any of it)"
        r"\s*(?:[.!\n]|$)|\blet it happen\s*(?:[.!]|$)|\bits sorted\s*(?:[.!]|$)|\bnot going to drag (?:it|this) out\b|"
        r"\bwhoever finds (?:it|me|this|the car)\b|\bbe good for (?:daddy|mummy|your (?:dad|mum|nan|gran))\b|"
        r"\b(?:keys?|key is|keys are) in the ignition\b",
    ),
    Rule(
        "farewell_v6b",
        "farewell",
        "a goodbye in a few words",
        r"\b(?:thank(?:s| you| u)?|thnk(?: you| u)?) (?:4|for) (?:evrything|everything)\b|\bready now\s*(?:[.!]|$)|"
        r"\bsigning off (?:the group|for good|from here)\b",
    ),
    Rule(
        "means_stones",
        "means",
        "means ready",
        r"\b(?:stones|rocks|weights) in (?:my|his|her|their) (?:coat )?pockets?\b",
    ),
    Rule(
        "intent_burn_home",
        "intent",
        "intent to die by fire",
        r"\bburn (?:the|my|our|this) (?:house|trailer|caravan|flat|van|car|place|wagon|boat)(?: down)? with me (?:in|inside)"
        r"(?: it| there)?\b|\bset (?:fire to|light to) (?:myself|me)\b",
    ),
    Rule(
        "act_under_way",
        "act",
        "an emergency under way",
        r"\b(?:after|is after|s after) (?:hanging|hangin) (?:himself|herself|themselves|myself)\b|"
        r"\b(?:hanged|hung|hanging|hangin|taken something|overdosed|took an overdose|cut (?:himself|herself|his wrists|her "
        r"wrists)|barely breathing|not breathing|isnt breathing)\b[^\n]{0,120}?\b(?:ambulance|paramedics)\b(?! (?:came|was|were|"
        r"arrived))|\b(?:ambulance|paramedics)\b[^\n]{0,60}?\b(?:barely|not|isnt|only just) breathing\b|"
        r"\b(?:cut|cuts|slash\w*|sliced|gash|wound|arm|wrist|leg|thigh)\b[^.!?\n]{0,60}\b(?:can|could) see (?:the )?(?:bone|fat|"
        r"white (?:under|inside)|inside)\b",
    ),
)


# Issue 20, sixth round: kinds the three sets written for it (refugees and people seeking asylum, people in recovery
# from addiction, neurodivergent adults) showed missing, written as kinds after reading their misses, so their
# share of those sets' figures is in-sample (docs/triage.md, v7). Hostility and substance are written as shapes of a
# sentence (contempt said of a whole group, a person called names to their face, use told as a habit, a purchase or
# a cost) rather than as more words.
ARMED = (
    r"(?:knife|knives|blade|bat|baseball bat|hammer|gun|shotgun|machete|axe|hatchet|crowbar|iron bar|metal bar|"
    r"screwdriver|knuckle ?duster|brick|acid|stanley|cosh|poker|chain|petrol|broken bottle)"
)
# A drink or a drug by name (not "using", "high" or "clean", which say something else on their own).
DRUG_NOUN = (
    r"(?:drink|drinking|booze|alcohol|vodka|wine|beers?|cans(?! of (?!beer|lager|cider|stella|strongbow|special))|cider|gin|whisk(?:e)?y|rum|lager|pints|weed|cannabis|"
    r"skunk|hash|spliffs?|joints?|coke|cocaine|crack|ket|ketamine|mdma|heroin|gear|spice|benzos|khat|qat|pregabalin|"
    r"pregabs|lyrica|codeine|street valium|mouthwash|study drugs|the pipe|the bottle)"
)
# Contempt said of a whole group: "X are all criminals", "the boys in room 12 are animals".
GROUP_CONTEMPT = (
    r"(?:animals|(?:dirty|filthy) (?:people|lot|animals|pigs|rats|scum|thieves|liars)|criminals|thieves|liars|scum|vermin|snakes|parasites|rats|psychopaths|savages|"
    r"terrorists|cockroaches|dogs|pigs|trash|inbred|subhuman|a disease|a plague|a cancer|cult|junkies)"
)
CONTEMPT_ADJ = (
    r"(?:absolute|utter|pathetic|stupid|dirty|lying|filthy|smug|sanctimonious|self.righteous|condescending|"
    r"spineless|useless|ignorant|nasty|vile|thick|miserable|arrogant|two.faced|patronising|pompous|gormless|"
    r"brainless|worthless|disgusting|sad little|pathetic little|stupid little|dirty little)"
)
V7_RULES: tuple[Rule, ...] = (
    Rule(
        "host_group_contempt_v7",
        "hostility",
        "contempt for a group",
        rf"\b(?<!my )(?<!our )(?<!your )(?<!his )(?<!her )(?<!their )"
        rf"(?!(?:hands|clothes|kids|feet|boots|shoes|windows|dishes|plates|things|days|nights|streets|roads|toilets|"
        rf"rooms|houses|flats|cars|bins|results|times|prices|figures|numbers|cats|dogs)\b)"
        rf"(?:[a-z]+s|[a-z]+ (?:boys|men|women|lads|girls|lot|people|families))"
        rf"(?: (?:in|from|on|at) [a-z0-9 ]{{1,20}}?)? (?:are|r) (?:all |just |basically |nothing but |like |the )?"
        rf"(?:a bunch of |a load of |a pack of )?(?:[a-z]+ )?{GROUP_CONTEMPT}\b|"
        rf"\b(?:should (?:all )?be|need to be|ought to be|deserve to be|want (?:them|him|her) all) (?:sent back|deported|"
        rf"kicked out|locked up|put down|gassed|shot)\b|\bbelongs? in (?:prison|jail|a cage|a zoo|the bin|hell)\b|"
        rf"\b(?:ban|kick|send|chuck) (?:them|the lot|all of them)(?: all)?(?: out| back| off)? (?:from|of|out of) "
        rf"(?:this|the|our) (?:group|country|club|chat|forum|hotel)\b|\bsend them (?:all )?back\b",
    ),
    Rule(
        "host_vocative_v7",
        "hostility",
        "insult aimed at someone",
        rf"\byou (?:are (?:a |an |such a |such an )?|re (?:a |an )?)?{CONTEMPT_ADJ} (?:little |old |fat )?"
        rf"(?!(?:thing|things|soul|love|darling|dear|lamb|star|legend|angel|hero|sweetheart|one|ones|gem|babe|"
        rf"champion|beauty|saint|diamond|treasure|trooper)\b)[a-z][a-z-]+|"
        rf"\b(?:youre|you are|ur) (?:a |an |such a |such an |the most )?{CONTEMPT_ADJ} [a-z][a-z-]+|"
        rf"\byou (?:stink|smell|reek)\b(?! of (?:roses|heaven|lovely))",
        joke_prone=True,  # "Gaz you absolute donkey, that was a penalty 😂" is banter
    ),
    Rule(
        "host_told_to_harm_v7",
        "hostility",
        "told to hurt themselves",
        r"\bgo (?:and |an )?(?:od|overdose|top yourself|jump (?:off|in|out)|drown|hang|neck yourself|walk into (?:the )?"
        r"(?:sea|traffic)|get run over)\b(?! (?:on|at) (?:the )?(?:game|level))",
    ),
    Rule(
        "host_threat_v7",
        "hostility",
        "threat of violence",
        r"\byou(?:ll| will| are going to| re going to) (?:see what happens|regret (?:it|this|that)|be sorry|get what is "
        r"coming|get whats coming|get hurt|find out)\b|\bor (?:else|you(?:ll| will) regret it)\s*(?:[.!?\n]|$)|"
        r"\bkeep (?:talking|it up|running your mouth|mouthing off)\b[^.!?\n]{0,40}\b(?:and|or) (?:you|ill|youll)\b|"
        r"\bknock (?:his|her|your|their) (?:teeth|block|head) (?:out|in|off)\b|"
        r"\b(?:he|she|they)(?:ll| will) (?:find out|see|learn) what it feels like\b|"
        r"\b(?:hell|shell|theyll|he will|she will|they will) (?:be|end up) in (?:hospital|a box|the ground|intensive "
        r"care|a wheelchair) (?:by|before|when i|after i|once i)\b|\b(?:hes|shes|theyre|he is|she is) getting it\b|"
        r"\b(?:i will|ill|im going to|going to|gonna|i am going to|i)\s+(?:stab|knife|shoot|glass|murder|slash|"
        r"bottle) (?:the|that|this) (?:[a-z]+ )?[a-z]+",
    ),
    Rule(
        "harm_other_armed_v7",
        "harm_other",
        "going to someone armed",
        rf"\b(?:waiting|waitin|wait|be waiting|lie in wait|lying in wait)\b (?:for (?:him|her|them|[a-z]+)|outside|"
        rf"round|by|at)\b[^.!?\n]{{0,60}}\bwith (?:a|the|my|his|me) (?:[a-z]+ )?{ARMED}\b|"
        rf"\boutside (?:his|her|their) (?:[a-z]+ )?(?:house|flat|door|work|gaff|school)\b[^.!?\n]{{0,25}}\bwith "
        rf"(?:a|the|my|me) (?:[a-z]+ )?{ARMED}\b|"
        rf"\b(?:going|goin|gonna|heading|im off|i go|ill go|i will go)(?: round| over| up| down| there)?(?: to (?:his|"
        rf"her|their|the) [a-z]+)?(?: tonight| tomorrow| later| on [a-z]+day| [a-z]+day)? with (?:a|the|my|me) (?:[a-z]+ )?"
        rf"{ARMED}\b[^\n]{{0,80}}\b(?:he|she|they|him|her|them|his|hes|shes)\b|"
        rf"\b(?:i|ill|i will|going to|gonna|im going to)\s+(?:break|smash|crack|cave in|split) (?:his|her|their) "
        rf"(?:head|face|skull|nose|jaw|legs|knees)\b",
    ),
    Rule(
        "intent_high_place_v7",
        "intent",
        "intent to jump",
        r"\b(?:going|goin|gonna|about to|ready to|will|ill|im going to|going to go|go)\s+(?:off|from) (?:the|her|his|my|"
        r"their|that) (?:balcony|bridge|roof|ledge|cliffs?|top floor|viaduct|flyover|car ?park roof|multi ?storey)\b|"
        r"\b(?:going|goin|gonna|about to|ready to|will|ill|im going to)\s+over (?:the|her|his|my|their) (?:edge|railings?|"
        r"balcony|side|ledge|barrier)\b",
    ),
    Rule(
        "act_poison_v7",
        "act",
        "poison swallowed",
        r"\b(?:swallowed|drank|drunk|downed|necked|taken|took|ate|had)\s+(?:some |the |a (?:bottle|cup|glass|mouthful) "
        r"of |half (?:a |the )?(?:bottle (?:of )?)?|all (?:of )?the |a load of )?(?:[a-z]+ )?(?:bleach|antifreeze|weedkiller|"
        r"rat poison|drain cleaner|screenwash|paraquat|disinfectant)\b",
    ),
    Rule(
        "means_saved_v7",
        "means",
        "means saved",
        rf"\b(?:stacking|stacked|hoarding|hoarded|stockpiling|saving|saved|squirrelling|squirreled|hiding|hidden|"
        rf"holding back|kept back) (?:up |away )?(?:all )?(?:of )?(?:the |my |his |her |mums |dads )?(?:[a-z]+ )?{PILLS}\b",
    ),
    Rule(
        "time_someone_leaves_v7",
        "time",
        "when the others are out",
        r"\b(?:after|when|once) (?:my|the|our|his|her|their) (?:[a-z]+ ){0,2}?(?:leaves|goes out|goes off|goes to|has gone|"
        r"is gone|is out|leave|go out|go to (?:work|bed|sleep))\b|\b(?:after|when|once) (?:he|she|they) (?:leaves?|goes out|"
        r"has gone|go out)(?: for| to)? (?:work|his|her|their|the)\b|\b(?:itll|it will|thatll|that will|its going to) be "
        r"(?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    ),
    Rule(
        "farewell_no_reply_v7",
        "farewell",
        "asks not to be answered",
        r"\b(?:please )?(?:dont|do not) (?:reply|answer|respond|message me|text me|call me|ring me|come looking|try to "
        r"(?:find|call|reach|stop) me)\s*(?:[.!\n]|$)",
    ),
    Rule(
        "welfare_wont_come_down_v7",
        "welfare",
        "will not come down",
        r"\b(?:will not|wont|refuses to|refusing to|not going to|isnt going to) come down\b",
    ),
    Rule(
        "welfare_anyone_near_v7",
        "welfare",
        "asks for someone to go",
        r"\bany(?:one|body) (?:near|nearby|close to|around|in) (?:the )?[a-z]+(?: [a-z]+)?\s*\?",
    ),
    Rule(
        "finality_letters_v7",
        "finality",
        "letters left for people",
        r"\b(?:letters?|notes?|cards?|envelopes?) (?:[a-z]+ ){0,3}?(?:on|in|under|inside) (?:the|my) (?:[a-z]+ )?(?:table|bed|"
        r"drawer|side|pillow|mantelpiece|quran|bible|desk|shelf)\b[^.!?\n]{0,25}\bfor (?:my|the|our|each|every)\b|"
        r"\b(?:letters?|notes?) (?:[a-z]+ ){0,2}?for (?:my|each of my|the) (?:daughters?|sons?|kids|children|wife|husband|"
        r"partner|mum|dad|mother|father|family|girls|boys|grandkids)\b[^.!?\n]{0,30}\b(?:on|in|under|inside) (?:the|my)\b",
    ),
    Rule(
        "sub_pattern_v7",
        "substance",
        "drink/drug use as a habit",
        rf"\b{DRUG_NOUN}\b[^.!?\n]{{0,25}}?\b(?:every (?:single )?(?:night|day|evening|morning|weekend)|each (?:night|day|"
        rf"evening)|all (?:day|night)|most (?:nights|days|evenings)|at weekends|daily|non stop|again)\b|"
        rf"\b(?:every (?:night|evening|day|weekend)|each night|all day|most nights)\b[^.!?\n]{{0,25}}?\b(?:on (?:the )?)?"
        rf"{DRUG_NOUN}\b(?! (?:free|shop|aisle))",
    ),
    Rule(
        "sub_cost_v7",
        "substance",
        "drink/drugs before needs",
        rf"\bspen[dt] (?:all |the |my |half (?:of )?my |the whole |most of my )?(?:[a-z0-9£]+ ){{0,2}}?on (?:the )?"
        rf"{DRUG_NOUN}\b|\bmore on {DRUG_NOUN} than (?:food|rent|bills|the kids)\b|\b(?:the whole|all (?:my|the)) "
        rf"(?:£?\d+|money|[a-z]+ money) (?:goes|went) on {DRUG_NOUN}\b|\b(?:rent|food|gas|electric|bill|kids) money "
        rf"(?:on|for) {DRUG_NOUN}\b",
    ),
    Rule(
        "sub_supply_v7",
        "substance",
        "buying drink or drugs",
        rf"\b(?:back to |started |been )?buying (?:it )?off the street\b|\b(?:bought|buying|buy|got|getting|scored|"
        rf"scoring)\b[^.!?\n]{{0,30}}\b(?:{DRUG_NOUN}|{PILLS})\b[^.!?\n]{{0,25}}\b(?:off|from) (?:a |the |some )?(?:guy|"
        rf"bloke|lad|mate|dealer|internet|street|boys|three different|different chemists)\b|\b(?:{DRUG_NOUN}|{PILLS})\b"
        rf"[^.!?\n]{{0,20}}\b(?:off|from) (?:the street|a dealer|the internet)\b",
    ),
    Rule(
        "sub_state_v7",
        "substance",
        "using now",
        rf"\b(?:doing|did|done|still doing) (?:bumps|lines|a line|a bump|key ?bumps)\b|\bon the pipe\b|\boff my (?:face|"
        rf"head|tits|nut|box)\b|\bself.?medicat\w*\b[^.!?\n]{{0,40}}\b(?:{DRUG_NOUN}|{PILLS}|drugs)\b|\bday (?:1|one) "
        rf"again\b|\bjust me and the (?:cans|bottle|booze|vodka|wine|weed)\b|\b(?:the )?{DRUG_NOUN}(?:s| has| have)? got "
        rf"(?:me|a hold of me|hold of me) again\b|\b(?:take|taking|took|taken|using|used)\s+(?:extra|more|double|twice)"
        rf"(?: of)? (?:the |my |mums |dads )?(?:{PILLS}|{DRUG_NOUN})\b|\b(?:im|i am|been|was) (?:stoned|smashed|wasted|"
        rf"off it|mashed|monged)\b(?! (?:after|by) (?:work|the|that))",
    ),
)


# Issue 20, round 8: kinds the three sets written for it (people experiencing homelessness, survivors of domestic abuse,
# people harmed by gambling) showed missing, written as kinds after reading their misses (docs/triage.md, v8) and
# checked on the 33 other sets for gains without false alarms. Their share of those three sets' figures is in-sample.
INSULT_NOUN = (
    r"(?:snake|rat|grass|liar|cow|slag|scrounger|parasite|leech|waste of space|weasel|creep|bully|fraud|fake|"
    r"attention seeker|drama queen|nutter|psycho|troll|thief|junkie|smackhead|crackhead|loser|joke)"
)
V8_RULES: tuple[Rule, ...] = (
    Rule(
        "harm_other_passive_v8",
        "harm_other",
        "harm to someone told as what will happen to them, with a when",
        r"\b(?:is|are|hes|shes|theyre|he is|she is|they are) (?:getting|going to get|gunna get|gonna get|about to get) "
        r"(?:stabbed|shanked|knifed|shot(?! of)|done in|battered|glassed|bottled|leathered|jumped|his head kicked in|her head "
        r"kicked in|kneecapped|torched)\b[^.!?\n]{0,60}\b(?:tonight|tomorrow|later|today|after (?:work|school|the match)|"
        r"when (?:he|she|they) (?:leaves?|gets? (?:out|home|back|off)|comes? out|finishes))\b",
    ),
    Rule(
        "harm_other_concealed_v8",
        "harm_other",
        "a weapon carried to someone, with a threat",
        rf"\b{ARMED}s? (?:in|up|down|under|inside) (?:my|me|the|his|her) (?:[a-z]+ )?(?:coat|pocket|jacket|sleeve|bag|"
        rf"waistband|belt|hoodie|boot|trackies)s?\b[^\n]{{0,100}}?\b(?:he|she|they|hes|shes|theyre)(?: is| are)? "
        rf"(?:going to|will|is going to|are going to) (?:get (?:whats|what is) coming|get what (?:he|she|they) deserves?|"
        rf"pay|regret it|be sorry|get it|learn)\b",
    ),
    Rule(
        "host_told_to_jump_v8",
        "hostility",
        "told to hurt themselves",
        r"\bgo on(?: then)?,? (?:jump|do it then|do us a favour|end it|top yourself)\b|\bsave us all the (?:bother|"
        r"trouble|hassle)\b",
    ),
    Rule(
        "host_threat_v8",
        "hostility",
        "threat of violence",
        r"\b(?:ill|i will|im going to|i am going to|id|i would) (?:bury|batter|leather|deck|floor|knock (?:him|her|them|you) "
        r"out|do (?:him|her|them|you) in)\b(?:\s+(?:him|her|them|you)\b)?",
    ),
    Rule(
        "host_named_insult_v8",
        "hostility",
        "insult about someone named",
        rf"\b[a-z]+ (?:from (?:the )?[a-z]+(?: [a-z]+)? )?(?:is|s) (?:a|an|such a|such an|a right) (?:[a-z-]+ )?"
        rf"{INSULT_NOUN}\b(?! (?:catcher|in a|on a|of a|killer|trap))",
    ),
    Rule(
        "host_group_blame_v8",
        "hostility",
        "contempt for a group",
        r"\b(?:[a-z]+s|[a-z]+ (?:women|men|lads|boys|girls|people|families|lot)) (?:on|at|in) (?:the )?[a-z]+(?: [a-z]+)? "
        r"(?:are|r) ruining (?:the|this|our) [a-z]+(?: [a-z]+)?\b|\b(?:[a-z]+s|[a-z]+ (?:women|men|people)) (?:make|making) "
        r"it (?:all )?up to (?:get|claim|jump)\b|\bget them (?:all )?out\s*(?:[.!\n]|$)",
    ),
    Rule(
        "sub_before_v8",
        "substance",
        "drink or drugs to get through something",
        rf"\b(?:smoked|smoke|had|have|took|take|necked|downed|did|do) (?:a |some |two |three |a few |a couple of )?"
        rf"(?:[a-z]+ )?(?:{DRUG_NOUN}|{PILLS}|grams?|nitrous)\b[^.!?\n]{{0,30}}?\b(?:before (?:contact|court|"
        rf"handover|the hearing|work|school run|group|seeing)|just so i (?:could|can)|to get through (?:it|the|work|contact)|"
        rf"to (?:face|sleep after|cope with)\b)|\b(?:my|me) (?:mums|mams|dads|nans|wifes|partners|mates|sisters|brothers) "
        rf"{PILLS}\b[^.!?\n]{{0,20}}\bto (?:sleep|cope|calm|get through|take the edge)\b|\b(?:gin|wine|vodka|beer|prosecco|cider|rum|lager|pint) "
        rf"oclock\b[^.!?\n]{{0,30}}\b(?:noon|midday|11|10|morning|lunchtime)\b|\b(?:nitrous(?: balloons)?|nos balloons|laughing gas)\b[^.!?\n]{{0,20}}"
        rf"\b(?:most|every) (?:nights|days|night|day|weekend)\b",
    ),
)

RULES = RULES + CONCEPT_RULES + V3_RULES + V6_RULES + V7_RULES + V8_RULES
