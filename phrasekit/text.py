"""How phrasekit reads text: tokens, rep shorthand, a light stemmer and stop words.

The same steps run over phrases when they are indexed and over the query, so that
"delivered", "delivery" and "deliveries" meet, and "pkg" means "package".

Text in any script is read (``fold``, ``words``): NFKC, case folding and no invisible format
characters make a word typed on any keyboard, in any width or composition, one key; words are
runs of letters and digits (with the marks inside them) in every script, and a script written
without spaces (Chinese, Japanese, Korean, Thai...) is read as overlapping pairs of characters.
ASCII text, all of the built-in bank, takes the old fast path and reads exactly as before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_APOSTROPHES = str.maketrans({"'": "", "\u2019": "", "\u2018": "", "`": "", "\u02bc": ""})
"""Apostrophes join the word they are in ("hasn't" -> "hasnt"; U+02BC, the modifier letter
apostrophe, is the one Ukrainian and some keyboards type inside words)."""

SHORTHAND: dict[str, str] = {
    "cx": "customer",
    "cust": "customer",
    "custmr": "customer",
    "clnt": "client",
    "pkg": "package",
    "pkge": "package",
    "pckg": "package",
    "pkgs": "packages",
    "pck": "package",
    "acct": "account",
    "acc": "account",
    "accnt": "account",
    "pw": "password",
    "pwd": "password",
    "passwd": "password",
    "pword": "password",
    "appt": "appointment",
    "appts": "appointments",
    "apt": "appointment",
    "tech": "technician",
    "techs": "technicians",
    "mgr": "manager",
    "sup": "supervisor",
    "supv": "supervisor",
    "msg": "message",
    "msgs": "messages",
    "dm": "direct message",
    "dms": "direct messages",
    "pm": "private message",
    "sub": "subscription",
    "subs": "subscription",
    "subscr": "subscription",
    "amt": "amount",
    "chg": "charge",
    "chrg": "charge",
    "chgd": "charged",
    "chrgd": "charged",
    "txn": "transaction",
    "trx": "transaction",
    "trans": "transaction",
    "inv": "invoice",
    "pmt": "payment",
    "pymt": "payment",
    "addr": "address",
    "ord": "order",
    "ordr": "order",
    "dlvry": "delivery",
    "deliv": "delivery",
    "shpt": "shipment",
    "shipmt": "shipment",
    "eta": "arrival",
    "wk": "week",
    "wks": "weeks",
    "hr": "hour",
    "hrs": "hours",
    "min": "minute",
    "mins": "minutes",
    "yr": "year",
    "yrs": "years",
    "mo": "month",
    "mos": "months",
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "4th": "fourth",
    "5th": "fifth",
    "2x": "twice",
    "x2": "twice",
    "3x": "three times",
    "x3": "three times",
    "dd": "direct deposit",
    "cc": "credit card",
    "cb": "callback",
    "vm": "voicemail",
    "u": "you",
    "ur": "your",
    "r": "are",
    "y": "why",
    "b4": "before",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thank you",
    "tks": "thanks",
    "thnx": "thanks",
    "bc": "because",
    "cuz": "because",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "yday": "yesterday",
    "dept": "department",
    "svc": "service",
    "prob": "problem",
    "probs": "problems",
    "qty": "quantity",
    "cxl": "cancel",
    "canx": "cancel",
    "cncl": "cancel",
    "cxld": "cancelled",
    "xfer": "transfer",
    "xferred": "transferred",
    "xfered": "transferred",
    "xfers": "transfers",
    "rcvd": "received",
    "recd": "received",
    "info": "information",
    "govt": "government",
    "approx": "approximately",
    "pic": "photo",
    "pics": "photos",
    "ph": "phone",
    "tel": "phone",
    "num": "number",
    "nr": "number",
    "asap": "urgent",
    "w": "with",
    "wo": "without",
    "l8": "late",
    "l8r": "later",
    "blkd": "blocked",
    "dmgd": "damaged",
    "oos": "out of stock",
    "trk": "tracking",
    "trkg": "tracking",
    "exch": "exchange",
    "sz": "size",
    "del": "delivery",
    "pd": "paid",
    "rtn": "return",
    "rfnd": "refund",
    "od": "overdraft",
    "bb": "broadband",
    "idv": "identity verification",
    "etf": "early termination fee",
    "pts": "points",
    "ntwk": "network",
    "cnx": "connection",
    "conn": "connection",
    "3p": "third party",
}

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are arent as at be because been before being
    below between both but by can cannot could couldnt did didnt do does doesnt doing dont down
    during each few for from further had hadnt has hasnt have havent having he hed hes her here
    heres hers herself him himself his how hows i id ill im ive if in into is isnt it its itself
    lets me more most mustnt my myself nor of off on once only or other ought our ours ourselves out
    over own same shant she shed shell shes should shouldnt so some such than that thats the their
    theirs them themselves then there theres these they theyd theyll theyre theyve this those
    through to too under until up very was wasnt we wed well were weve werent what whats when whens
    where wheres which while who whos whom why whys with wont would wouldnt you youd youll youre
    youve your yours yourself yourselves also just really still yet already even now today ok okay
    oh um uh hi hello hey dear yes yeah no not please pls lol omg etc get got gets getting go goes
    going gone went come comes coming one two customer customers client caller cx person guy lady
    sir maam madam man woman someone somebody anyone say says said saying tell tells told telling
    ask asks asked asking want wants wanted like need needs needed know knew think thought feel
    feels felt try tried trying make made let see seen look looking thing things something stuff
    issue issues problem problems question situation help regarding re will shall may might must
    much many lot lots bit kind sort way every since shopper shoppers buyer buyers callers user
    users member members gentleman fella chap bloke folks people basically literally honestly anyway
    right actually apparently seriously quick heads hiya hmm time times day days week weeks month
    months year years hour hours minute minutes ago morning evening evenings night nights tonight
    tomorrow yesterday
    """.split()
)

_SUFFIXES = (
    ("ations", ""),
    ("ation", ""),
    ("ments", ""),
    ("ment", ""),
    ("nesses", ""),
    ("ness", ""),
    ("ingly", ""),
    ("ings", ""),
    ("ing", ""),
    ("edly", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ed", ""),
    ("es", "e"),
    ("ly", ""),
    ("s", ""),
)
_SECOND = (("ize", ""), ("ise", ""), ("iz", ""), ("al", ""), ("y", ""), ("e", ""))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stripper: enough to join delivery/delivered/deliveries, not a Porter stemmer.
    English suffixes only mean something in English: a word with a letter beyond ASCII is kept."""
    if len(word) <= 3 or word.isdigit() or not word.isascii():
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] in "sui":
                break
            word = word[: -len(suffix)] + repl
            break
    for suffix, repl in _SECOND:
        if word.endswith(suffix) and len(word) - len(suffix) >= (4 if suffix == "al" else 3):
            word = word[: -len(suffix)] + repl
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls" or len(word) > 4 and word.endswith("ll"):
        word = word[:-1]
    return word


_SPACELESS = (
    0x0E00, 0x0F00,  # Thai, Lao
    0x1000, 0x10A0,  # Myanmar
    0x1100, 0x1200,  # Hangul jamo
    0x1780, 0x1800,  # Khmer
    0x19E0, 0x1A00,  # Khmer symbols
    0x2E80, 0x2FE0,  # CJK and Kangxi radicals
    0x3005, 0x3008,  # ideographic iteration and closing marks, ideographic zero
    0x3021, 0x302A,  # Hangzhou numerals
    0x3031, 0x3036,  # kana repeat marks
    0x303B, 0x303D,  # vertical ideographic iteration mark, masu mark
    0x3040, 0x3190,  # Hiragana, Katakana, Bopomofo, Hangul compatibility jamo
    0x31A0, 0x31C0,  # Bopomofo extended
    0x31F0, 0x3200,  # Katakana phonetic extensions
    0x3400, 0x4DC0,  # CJK extension A
    0x4E00, 0xA000,  # CJK unified ideographs
    0xA960, 0xA980,  # Hangul jamo extended A
    0xAC00, 0xD800,  # Hangul syllables, Hangul jamo extended B
    0xF900, 0xFB00,  # CJK compatibility ideographs
    0x1B000, 0x1B170,  # kana supplement and extensions
    0x20000, 0x40000,  # CJK extensions B to I
)  # fmt: skip
"""Where the scripts written without spaces between words lie (start, end, start, end...).
A run of them is read as overlapping character pairs ("注文が届かない" -> 注文 文が が届 届か かな
ない), as search engines do without a dictionary (Lucene's CJK bigrams): a query in the pack's
words shares its pairs with the phrase, a word of two characters is one pair, and a lone
character is read alone. Korean is spaced, but its particles stick to the word ("주문이",
"주문을"), so pairs let "주문" find both. Neither the English stemmer nor typo correction touches
these pairs: one character off would be another word."""


def is_spaceless(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words."""
    return bisect_right(_SPACELESS, ord(char)) % 2 == 1


FORMAT_CHARACTERS = (
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
"""Every format character (category Cf) of Unicode 15.1 (Python 3.12 and 3.13; 3.10 and 3.11 know
a few fewer), as one pattern so removing them costs no loop in Python: ``tests/test_text.py``
checks it against the running Python's ``unicodedata`` and says when a newer one adds some."""


class _Patterns:
    """The patterns that read text beyond ASCII, compiled for the first such text (``_patterns``):
    a search in ASCII, as every search of the built-in bank is, never pays for them."""

    def __init__(self) -> None:
        bounds = zip(_SPACELESS[::2], _SPACELESS[1::2], strict=True)
        ranges = "".join(f"{chr(start)}-{chr(end - 1)}" for start, end in bounds)
        self.format = re.compile(FORMAT_CHARACTERS)
        self.apostrophe = re.compile("['\u2018\u2019`\u02bc]")
        self.word = re.compile(r"([^\W_]+)")  # letters and digits of any script; marks are joined on after
        self.other_digit = re.compile(r"[^\D0-9]")
        self.spaceless = re.compile(f"([{ranges}]+)")


_patterns = lru_cache(maxsize=1)(_Patterns)


def fold(text: str) -> str:
    """The search key of a text: NFKC (full-width and compatibility forms to their plain
    letters, decomposed NFD text composed), case folded, Turkish I and dotless i as i, and no
    format characters (zero-width space, joiners, soft hyphen, direction marks, BOM).

    Turkish dotted capital I and dotless small i both read as plain i, in every language: case
    folding already reads a capital I as i (so "KARGO" and "kargo" meet), keyboards without
    Turkish letters type i for both, and a plain i query must find either spelling.

    Zero-width joiner and non-joiner are dropped too: in Persian and the Indic scripts they
    change how letters are drawn, not which letters they are, and the same word is typed with
    and without them depending on the keyboard. ASCII text is only lowercased (the fast path:
    every word of the built-in bank reads as it always did). ``fold(fold(t)) == fold(t)``."""
    if text.isascii():
        return text.lower()
    import unicodedata

    text = unicodedata.normalize("NFKC", _patterns().format.sub("", text)).replace("\u0130", "i").replace("\u0131", "i")
    text = text.casefold().replace("i\u0307", "i")
    # Case folding can decompose a letter (U+01F0 -> j and a caron): compose again.
    return unicodedata.normalize("NFKC", text)


def words(text: str) -> list[str]:
    """Word tokens of ``fold(text)`` with apostrophes dropped ("hasn't" -> "hasnt")."""
    if text.isascii():
        return _TOKEN_RE.findall(text.lower().translate(_APOSTROPHES))
    return _unicode_words(_patterns().apostrophe.sub("", fold(text)))


def _unicode_words(text: str) -> list[str]:
    """Runs of letters and digits in any script, a mark continuing the word it follows; digits
    of any script as ASCII digits; runs of a spaceless script as character pairs. The regular
    expressions do the reading; Python only looks at the gaps between words that are not ASCII."""
    pieces = _patterns().word.split(text)  # separator, word, separator, word, ..., separator
    found: list[str] = []
    word = ""
    last = len(pieces) - 2
    for at in range(1, len(pieces), 2):
        word += pieces[at]
        gap = pieces[at + 1]
        if gap and gap[0] >= "\x80":
            marks = _leading_marks(gap)
            word += gap[:marks]
            if marks == len(gap) and at < last:
                continue  # only marks between two runs of letters: one word ("हिंदी")
        _add_word(word, found)
        word = ""
    return found


@lru_cache(maxsize=4096)
def _leading_marks(gap: str) -> int:
    """How many combining marks ``gap`` starts with (the same few vowel signs and punctuation
    recur between the words of a text, hence the cache)."""
    import unicodedata

    category = unicodedata.category
    count = 0
    for char in gap:
        if category(char)[0] != "M":
            break
        count += 1
    return count


def _add_word(word: str, found: list[str]) -> None:
    if word.isascii():
        found.append(word)
        return
    patterns = _patterns()
    if patterns.other_digit.search(word):
        import unicodedata

        word = patterns.other_digit.sub(lambda digit: str(unicodedata.decimal(digit.group())), word)
    parts = patterns.spaceless.split(word)  # not spaceless, spaceless run, not spaceless, ...
    if len(parts) == 1:
        found.append(word)
        return
    segments: list[list] = []  # [spaceless, text], a mark staying with the character before it
    for at, part in enumerate(parts):
        marks = _leading_marks(part) if segments else 0
        if marks:
            segments[-1][1] += part[:marks]
            part = part[marks:]
        if not part:
            continue
        spaceless = at % 2 == 1
        if segments and segments[-1][0] == spaceless:
            segments[-1][1] += part  # two runs with only marks between them are one run
        else:
            segments.append([spaceless, part])
    for spaceless, text in segments:
        if not spaceless:
            found.append(text)
            continue
        units = list(text) if text.isalnum() else _units(text)
        if len(units) == 1:
            found.append(units[0])
        else:
            found.extend(first + second for first, second in zip(units, units[1:], strict=False))


def _units(run: str) -> list[str]:
    """The characters of a spaceless run, each with the marks that follow it (Thai vowels and
    tone marks are read with their letter)."""
    import unicodedata

    category = unicodedata.category
    units: list[str] = []
    for char in run:
        if units and category(char)[0] == "M":
            units[-1] += char
        else:
            units.append(char)
    return units


def expand(tokens: list[str]) -> list[str]:
    """Replace rep shorthand ("cx", "pkg", "2x") with the words it stands for."""
    out: list[str] = []
    for token in tokens:
        replacement = SHORTHAND.get(token)
        out.extend(replacement.split() if replacement else [token])
    return out


def tokens(text: str) -> list[str]:
    return expand(words(text))


@lru_cache(maxsize=1 << 17)
def content_stem(word: str) -> str | None:
    """The stem of a word that carries meaning; ``None`` for stop words and numbers."""
    if word in STOPWORDS or any(ch.isdigit() for ch in word):
        return None
    term = stem(word)
    return None if term in STOPWORDS else term


LEXICON_SKIP = frozenset(
    """a an the my me i im ive id you your youre we our us they their them he she his her him it its
    this that these those is are was were be been am to of for at by with and or so very really
    just still yet all any some please too has have had""".split()
)


def _lexicon_key(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(stem(word) for word in words if word not in LEXICON_SKIP)


class Lexicon:
    """Synonyms as sequences of stems, each mapped to the head terms it stands for.

    Articles and pronouns inside a multi-word synonym are skipped when matching ("close my
    account" = "close account"), unless skipping them would leave one word ("not me" stays
    "not me"): those keys match the words exactly as written, in ``exact``.
    """

    def __init__(
        self,
        entries: dict[tuple[str, ...], tuple[str, ...]] | None = None,
        exact: dict[tuple[str, ...], tuple[str, ...]] | None = None,
    ) -> None:
        self.entries = {} if entries is None else entries
        self.exact = {} if exact is None else exact
        self.refresh()

    def refresh(self) -> None:
        keys = (*self.entries, *self.exact)
        self.longest = max((len(key) for key in keys), default=1)
        self.firsts = frozenset(key[0] for key in keys)

    @classmethod
    def from_synonyms(cls, synonyms: dict[str, Sequence[str]]) -> Lexicon:
        lexicon = cls()
        for head, alternatives in synonyms.items():
            head_stems = [stem(word) for word in tokens(head)]
            if not head_stems:
                continue
            head_term = "_".join(head_stems)
            for phrase in (head, *alternatives):
                words = tokens(phrase)
                key = _lexicon_key(words)
                table = lexicon.entries
                if len(words) > 1 and len(key) < 2:
                    key, table = tuple(stem(word) for word in words), lexicon.exact
                if key and head_term not in table.get(key, ()):
                    table[key] = table.get(key, ()) + (head_term,)
        lexicon.refresh()
        return lexicon

    def matches(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """Every (start, end, head) where a synonym occurs in ``words``."""
        kept = [position for position, word in enumerate(words) if word not in LEXICON_SKIP]
        found = self._scan([stem(words[position]) for position in kept], self.entries, kept)
        if self.exact:
            found += self._scan([stem(word) for word in words], self.exact, list(range(len(words))))
        return found

    def _scan(self, stems: list[str], table: dict, positions: list[int]) -> list[tuple[int, int, str]]:
        found = []
        for start in range(len(stems)):
            if stems[start] not in self.firsts:
                continue
            for size in range(min(self.longest, len(stems) - start), 0, -1):
                for head in table.get(tuple(stems[start : start + size]), ()):
                    found.append((positions[start], positions[start + size - 1] + 1, head))
        return found


def text_terms(text: str, lexicon: Lexicon) -> tuple[list[str], list[frozenset[str]]]:
    """A text's tokens and its index terms grouped by word position (each word's stem plus the
    synonym heads covering it): one pass, for the index build, which needs both."""
    words = tokens(text)
    groups: list[set[str]] = [set() if (c := content_stem(w)) is None else {c} for w in words]
    if lexicon.firsts:
        for start, end, head in lexicon.matches(words):
            for position in range(start, end):
                groups[position].add(head)
    return words, [frozenset(group) for group in groups if group]


def field_terms(text: str, lexicon: Lexicon) -> list[frozenset[str]]:
    """Index terms of a text, grouped by word position: each word's stem plus synonym heads."""
    return text_terms(text, lexicon)[1]


COMPLAINT_WORDS = """
customer client caller complaint complain upset angry furious frustrated annoyed unhappy
disappointed livid irate rude unfair unacceptable ridiculous disgusted fuming outraged apology
apologize sorry compensation escalate supervisor refund scam swear threaten sue lawyer ombudsman
""".split()
"""Words that by themselves say a text is someone's complaint to a company."""

SERVICE_WORDS = """
account order purchase bought charge bill invoice payment paid subscription contract plan service
support manager agent rep representative advisor staff employee store shop website app delivery
shipping package parcel cancel cancellation ticket callback hold queue transfer wait technician
engineer appointment product item warranty return exchange fee price booking reservation card
bank balance outage broken faulty damaged missing late delayed lost stolen fraud hacked password
login locked review
""".split()
"""Words of the things customer service deals with: two of them, or one in a text the bank
understands, say it is a service situation (one alone does not: "history of the first bank")."""


@lru_cache(maxsize=1)
def service_stems() -> tuple[frozenset[str], frozenset[str]]:
    """The stems (and words) of ``COMPLAINT_WORDS`` and of ``SERVICE_WORDS``."""
    return tuple(frozenset(stem(w) for w in group) | frozenset(group) for group in (COMPLAINT_WORDS, SERVICE_WORDS))
