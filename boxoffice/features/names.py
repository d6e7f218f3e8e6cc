"""How a typed name is read: exactly, as a known spelling of a name the data has, or as unknown.

People type "Warner Bros", "warner bros." or "Twentieth Century Fox" for the data's
"Warner Bros." and "Twentieth Century Fox Film Corporation". Read as typed, such a name
finds no track record and the film is forecast as if by nobody, silently. Here every
name of a pre-release request (director, cast member, company, keyword, genre) is read
one of four ways, and the answer says which:

- ``exact``: the name is one the models know, character for character;
- ``known_spelling``: it folds to a known name's fold (case, accents, punctuation and
  spaces, a leading "The"; for companies also a trailing "(MGM)"-style part and corporate
  suffixes such as "Pictures", "Film Corporation", "Inc."; for genres also a common spelling,
  GENRE_SPELLINGS: "Sci-Fi" is Science Fiction) and is read as that name, so it gets that
  name's track record;
- ``unknown``: no known name folds to it; it is kept as typed (the models then see a
  name with no earlier film) and up to three close known names are suggested (RapidFuzz);
- ``not_read``: a name the models do not use at all (a cast member billed after the
  first ``cast_top``, a keyword or genre that is not one of the models' flags: that one
  with suggestions, and the answer warns about it).

Aliases: when several known names fold to the same spelling ("Columbia Pictures" and
"Columbia Pictures Corporation" both fold to "columbia"), a folded name is read as the
one with the most films in the data, ties going to the alphabetically first; the reading
lists the others under ``alternatives`` so the answer can say it was ambiguous. An exact
name is always read as itself.

Number words: in a company's name "Twentieth" and "20th", "Four" and "4", "Twenty-First" and
"21st" fold alike (people write them either way), so "20th Century Fox" reads as the data's
"Twentieth Century Fox Film Corporation"; so do "Brothers" and "Bros." ("Warner Brothers" is
"Warner Bros.").

Larger namesakes: a known name with few films can stand where a person meant a much larger
one: "Paramount" (2 films) folds like "Paramount Pictures" (245), and "Fox" reads as the data's
"Fox Films Ltd." (1 film) while "Twentieth Century Fox Film Corporation" (201) carries the word.
Reading the larger name instead would change the answer silently, so the name is read as it
is (exactly, or as its known spelling), and when it has FEW_FILMS or fewer, the known names with
MUCH_MORE times as many that fold like it or (companies typed as people shorten one, and
namesakes with more than FEW_FILMS films) have its every word are listed under ``suggestions``
(those folding alike also under ``alternatives``): the answer warns, the page offers them one
click away.

The service, the file scorer and the forecast page's suggestions all read names through
``NameReader``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from boxoffice.data.raw import LIST_SEPARATOR

MATCHES = ("exact", "known_spelling", "unknown", "not_read")
REMEMBERED_LISTS = 100_000  # films' name lists NameReader keeps read
# Trailing words a company's name may carry or drop, longest first ("Film Corporation" before "Film").
CORPORATE_SUFFIXES = tuple(
    tuple(suffix.split())
    for suffix in (
        "film corporation",
        "motion picture company",
        "corporation",
        "corp",
        "pictures",
        "picture",
        "films",
        "film",
        "productions",
        "production",
        "entertainment",
        "cinema",
        "studios",
        "studio",
        "company",
        "co",
        "incorporated",
        "inc",
        "limited",
        "ltd",
        "llc",
        "gmbh",
        "plc",
    )
)
# The fields the models read as flags, a closed list (keywords, genres): a name outside it is not read at all.
FLAGGED = frozenset({"keywords", "genres"})
# Common spellings of the data's genres, each read as that genre (a known spelling): the abbreviation, the
# adjective or the plural people type. Folded like any name, so "Sci-Fi", "sci fi" and "SciFi" are one
# spelling; a trailing GENRE_TAILS word is set aside too ("Horror film"). A word for another genre ("Suspense"
# for Thriller, "Rom-com" for two) is a guess, not a spelling: it stays unread, with suggestions.
GENRE_SPELLINGS = {
    "Science Fiction": ("Sci-Fi",),
    "Animation": ("Animated",),
    "Adventure": ("Adventures",),
    "Comedy": ("Comedies", "Comedic"),
    "Documentary": ("Documentaries",),
    "Drama": ("Dramas", "Dramatic"),
    "Fantasy": ("Fantasies",),
    "History": ("Historical",),
    "Music": ("Musical", "Musicals"),
    "Mystery": ("Mysteries",),
    "Romance": ("Romantic", "Romances"),
    "Thriller": ("Thrillers",),
}
GENRE_TAILS = ("film", "films", "movie", "movies")
SUGGESTIONS = 3
REMEMBERED = 65_536  # readings each book keeps (a dict; cleared when full)
# A known name is suggested for an unknown one when its folded spelling is this similar (RapidFuzz's ratio,
# 0-100: the whole name, letter by letter, so "Cristopher Nolan" finds "Christopher Nolan" at 97 while
# "Zazie Beetz" finds no "RZA") and within SUGGESTION_SPREAD of the closest; or when it has every word
# typed ("Warner" -> "Warner Bros.", "Spielberg" -> "Steven Spielberg"). Better no suggestion than a silly one.
SUGGESTION_SCORE = 82.0
SUGGESTION_SPREAD = 10.0
# A shorter name (letters and digits, folded) gets no suggestion spelt like it, only those carrying its words: one
# letter is a quarter of a 4-letter name, so "Neon" scores 86 against "Eon" (Eon Productions), another company.
SHORTEST_ALIKE = 5
# An exact name has a larger namesake (module doc) when it has at most FEW_FILMS films and a name
# folding the same has at least MUCH_MORE times as many: "Paramount" (2) beside "Paramount Pictures"
# (245), "Universal" (3) or "Universal Studios" (5) beside "Universal Pictures" (273), but not
# "Columbia Pictures Corporation" (86) beside "Columbia Pictures" (167), two real studios' names.
FEW_FILMS = 10
MUCH_MORE = 5
# Number words a company's name may spell either way ("Twentieth Century Fox", "20th Century Fox"): read
# as digits, ordinals keeping their suffix; a tens word before a unit word is one number ("twenty-first").
_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
_UNITS += "seventeen eighteen nineteen"
_ORDINAL_UNITS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
_ORDINAL_UNITS += "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_ORDINAL_TENS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"


def _ordinal(number: int) -> str:
    suffix = "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


_CARDINAL = {word: number for number, word in enumerate(_UNITS.split(), 1)}
_CARDINAL |= {word: 10 * tens for tens, word in enumerate(_TENS.split(), 2)}
_ORDINAL = {word: number for number, word in enumerate(_ORDINAL_UNITS.split(), 1)}
_ORDINAL |= {word: 10 * tens for tens, word in enumerate(_ORDINAL_TENS.split(), 2)}
NUMBER_WORDS = {word: str(number) for word, number in _CARDINAL.items()} | {
    word: _ordinal(number) for word, number in _ORDINAL.items()
}
# Other words a company's name is written either way ("Warner Brothers", "Warner Bros."): the plural only, as
# "Little Brother Inc." is not a "Bros." company.
WORD_SPELLINGS = {"brothers": "bros"}
_TENS_WORDS = frozenset(_TENS.split())
_SUFFIX_WORDS = frozenset(word for suffix in CORPORATE_SUFFIXES for word in suffix)
# Words that say what kind of company a name is, not which: a name of these alone is no shortened company name.
_KIND_WORDS = _SUFFIX_WORDS | {"filmworks", "works", "media", "group", "international", "partners", "networks"}
_KIND_WORDS |= {"releasing", "distribution", "features", "animation", "television", "tv", "fund"}
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
_ROMAN = re.compile(r"[ivxlc]+")


def fold_words(name: str, corporate: bool = False) -> list[str]:
    """The words a name is compared by: no accents, case folded, punctuation gone, no leading "The".

    ``corporate``: also drop a trailing parenthesised part ("(MGM)") and corporate suffixes,
    as long as one word remains.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(character for character in text if not unicodedata.combining(character)).casefold()
    if corporate:
        text = _TRAILING_PARENTHESIS.sub("", text) or text
    words = _NOT_WORD.sub(" ", text.replace("&", " and ")).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    if corporate and not NUMBER_WORDS.keys().isdisjoint(words):
        words = _digits(words)
    if corporate and not WORD_SPELLINGS.keys().isdisjoint(words):
        words = [WORD_SPELLINGS.get(word, word) for word in words]
    while corporate and len(words) > 1:
        suffix = next((s for s in CORPORATE_SUFFIXES if len(s) < len(words) and tuple(words[-len(s) :]) == s), None)
        if suffix is None:
            break
        words = words[: -len(suffix)]
    return words


def _digits(words: list[str]) -> list[str]:
    """Number words as digits: "twentieth" -> "20th", "twenty first" -> "21st", "four" -> "4"."""
    out: list[str] = []
    after_tens = False
    for word in words:
        if after_tens and _CARDINAL.get(word, _ORDINAL.get(word, 10)) < 10:
            tens = int(out.pop())
            out.append(str(tens + _CARDINAL[word]) if word in _CARDINAL else _ordinal(tens + _ORDINAL[word]))
            after_tens = False
            continue
        after_tens = word in _TENS_WORDS
        out.append(NUMBER_WORDS.get(word, word))
    return out


def _shortened(typed: str, known: str) -> bool:
    """``typed`` (read as the company ``known``) is a company's name as people shorten one: it has a word that
    names no kind of company ("Fox", not "Films" or "Filmworks"), and it is not ``known`` written in full, with
    the part the fold sets aside ("Scott Pictures" means Scott Pictures; "Disney Pictures", read as the data's
    "Disney", and "Fox", read as "Fox Films Ltd.", are shortened)."""
    if _KIND_WORDS.issuperset(fold_words(typed, corporate=True)):
        return False
    in_full = fold(typed) == fold(known) and len(fold_words(known, corporate=True)) < len(fold_words(known))
    return not in_full


def fold(name: str, corporate: bool = False) -> str:
    """The key two spellings of one name share: ``fold_words`` run together ("Warner Bros." -> "warnerbros")."""
    return "".join(fold_words(name, corporate))


def aliases(name: str, corporate: bool = False) -> list[str]:
    """The folded spellings a known name is found by: its fold, and for a company an abbreviation it
    carries in parentheses ("Metro-Goldwyn-Mayer (MGM)" -> "metrogoldwynmayer", "mgm"; not "(II)")."""
    keys = [fold(name, corporate)]
    inner = _TRAILING_PARENTHESIS.search(name) if corporate else None
    if inner:
        abbreviation = fold(inner.group(0).strip(" ()"))
        if len(abbreviation) >= 3 and not _ROMAN.fullmatch(abbreviation):
            keys.append(abbreviation)
    return keys


@dataclass(frozen=True, slots=True)
class Reading:
    """How one typed name was read (see the module doc); serialised as it is into answers."""

    field: str  # the request field: directors, cast, production_companies, keywords or genres
    asked: str  # as typed
    read_as: str  # the name the models were given: the known name, or the typed one when none
    match: str  # one of MATCHES
    alternatives: tuple[str, ...] = ()  # other known names with the same folded spelling (ambiguous, or larger)
    suggestions: tuple[str, ...] = ()  # close known names (unknown or unread), or a known name's larger namesakes

    @property
    def doubtful(self) -> bool:
        """Worth a warning: an unknown name, a doubtful reading, or a keyword or genre left unread (a cast
        member billed after the models' first few is unread by the documented rule, and its chip says so)."""
        if self.match == "unknown":
            return True
        if self.match == "not_read":
            return self.field in FLAGGED
        return bool(self.alternatives or self.suggestions)

    def as_json(self) -> dict[str, Any]:
        """Its fields as the answer's JSON object: orjson writes a dict much faster than a dataclass."""
        return {
            "field": self.field,
            "asked": self.asked,
            "read_as": self.read_as,
            "match": self.match,
            "alternatives": self.alternatives,
            "suggestions": self.suggestions,
        }


@dataclass(frozen=True)
class NameBook:
    """The names one request field can match, each with its number of films in the data (most first)."""

    column: str  # the request field
    films: Mapping[str, int]
    corporate: bool = False
    spellings: Mapping[str, str] = field(default_factory=dict)  # other spellings of known names -> the name
    _by_key: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _choices: dict[str, str] = field(init=False, repr=False, compare=False)  # name -> its folded words, ranked
    _rank: dict[str, int] = field(init=False, repr=False, compare=False)  # name -> its place in _choices
    _spelt: dict[str, str] = field(init=False, repr=False, compare=False)  # companies: name -> all its words
    _by_word: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)  # folded word -> names
    _read: dict[str, Reading] = field(init=False, repr=False, compare=False)  # names read before
    _spelling_choices: dict[str, str] = field(init=False, repr=False, compare=False)  # folded spelling -> name

    def __post_init__(self) -> None:
        ranked = sorted(self.films, key=lambda name: (-self.films[name], name))
        by_key: dict[str, list[str]] = {}
        for name in ranked:
            for key in aliases(name, self.corporate):
                if name not in by_key.setdefault(key, []):
                    by_key[key].append(name)
        for spelling, name in self.spellings.items():  # a known name's own spelling comes first
            if name in self.films:
                by_key.setdefault(fold(spelling, self.corporate), [name])
        object.__setattr__(self, "_by_key", {key: tuple(names) for key, names in by_key.items() if key})
        spelt = {
            " ".join(fold_words(spelling)): name for spelling, name in self.spellings.items() if name in self.films
        }
        object.__setattr__(self, "_spelling_choices", spelt)
        choices = {name: " ".join(fold_words(name, self.corporate)) for name in ranked}
        by_word: dict[str, list[str]] = {}
        for name, words in choices.items():
            for word in dict.fromkeys(words.split()):
                by_word.setdefault(word, []).append(name)
        object.__setattr__(self, "_choices", choices)
        object.__setattr__(
            self, "_spelt", {name: " ".join(fold_words(name)) for name in ranked} if self.corporate else {}
        )
        object.__setattr__(self, "_rank", {name: position for position, name in enumerate(ranked)})
        object.__setattr__(self, "_by_word", {word: tuple(names) for word, names in by_word.items()})
        object.__setattr__(self, "_read", {})

    def read(self, asked: str) -> Reading:
        """How ``asked`` is read; remembered (a request's names are mostly the same few thousand)."""
        reading = self._read.get(asked)
        if reading is None:
            if len(self._read) >= REMEMBERED:
                self._read.clear()
            reading = self._read[asked] = self._reading(asked)
        return reading

    def _reading(self, asked: str) -> Reading:
        if asked in self.films:
            larger = self.larger_namesakes(asked, asked)
            alike = self._by_key.get(fold(asked, self.corporate), ())
            spelt_alike = tuple(name for name in larger if name in alike)
            return Reading(self.column, asked, asked, "exact", alternatives=spelt_alike, suggestions=larger)
        same = self._by_key.get(fold(asked, self.corporate))
        if same:
            read_as = same[0]
            return Reading(
                self.column, asked, read_as, "known_spelling", same[1:], self.larger_namesakes(read_as, asked)
            )
        return Reading(self.column, asked, asked, "unknown", suggestions=self.suggest(asked))

    def larger_namesakes(self, known: str, typed: str) -> tuple[str, ...]:
        """Known names with MUCH_MORE times the films of ``known`` (read for ``typed``), when it has FEW_FILMS or
        fewer: those folding like it, then, for a company typed as people shorten one (``_shortened``: "Fox",
        "Disney"), those carrying its every word that have more than FEW_FILMS films themselves ("Twentieth
        Century Fox Film Corporation"; not the 6-film "Film i Väst" for "Film Väst"); most films first within each.
        """
        films = self.films[known]
        if films > FEW_FILMS:
            return ()
        much_more = MUCH_MORE * films
        same = [name for name in self._by_key.get(fold(known, self.corporate), ()) if self.films[name] >= much_more]
        words = self._choices[known].split()
        carrying = self._carrying(words) if self.corporate and _shortened(typed, known) else ()
        larger = [name for name in carrying if self.films[name] >= much_more and self.films[name] > FEW_FILMS]
        return tuple(dict.fromkeys((*same, *larger)))[:SUGGESTIONS]

    def _carrying(self, words: Sequence[str]) -> tuple[str, ...]:
        """The known names that have every one of the folded ``words`` among theirs, most films first."""
        if not words:
            return ()
        fewest = min((self._by_word.get(word, ()) for word in words), key=len)
        wanted = set(words)
        return tuple(name for name in fewest if wanted.issubset(self._choices[name].split()))

    def suggest(self, asked: str, limit: int = SUGGESTIONS) -> tuple[str, ...]:
        """Up to ``limit`` known names for ``asked`` (see SUGGESTION_SCORE), the most similar first.

        Ties in score go to the name with more films (the order of ``_choices``).
        """
        words = fold_words(asked, self.corporate)
        query = " ".join(words)
        if not query:
            return ()
        scores: dict[str, float] = {}
        if len(query.replace(" ", "")) >= SHORTEST_ALIKE:
            self._alike(asked, query, scores)
        for name in self._carrying(words)[: limit * 10]:
            scores.setdefault(name, fuzz.ratio(query, self._choices[name]))
        ranked = sorted(scores, key=lambda name: (-scores[name], self._rank[name]))
        return tuple(ranked[:limit])

    def _alike(self, asked: str, query: str, scores: dict[str, float]) -> None:
        """Into ``scores``: the known names spelt like ``asked`` (folded: ``query``) by RapidFuzz's ratio."""
        # A company is compared with its suffixes set aside and with every word, so that a typo in a suffix
        # ("Warner Bros. Picturs", which keeps its last word) still finds it.
        for typed, choices in ((query, self._choices), (" ".join(fold_words(asked)), self._spelt)):
            close = process.extract(
                typed, choices, scorer=fuzz.ratio, limit=None, score_cutoff=SUGGESTION_SCORE, processor=None
            )
            for _, score, name in close:
                scores[name] = max(score, scores.get(name, 0.0))
        # Near another spelling ("Sci-Fy" by "Sci-Fi"): its name, at that score.
        spelt = self._spelling_choices
        for spelling, score, _ in process.extract(
            query, spelt.keys(), scorer=fuzz.ratio, limit=None, score_cutoff=SUGGESTION_SCORE, processor=None
        ):
            scores[spelt[spelling]] = max(score, scores.get(spelt[spelling], 0.0))
        best = max(scores.values(), default=100.0)
        for name in [name for name, score in scores.items() if score < best - SUGGESTION_SPREAD]:
            del scores[name]

    def names(self) -> list[str]:
        """The known names, most films first (ties alphabetical)."""
        return list(self._choices)


@dataclass(frozen=True, slots=True)
class ReadList:
    """One film's names of one field, read; kept, so the next film with the same names costs a look-up."""

    readings: tuple[Reading, ...]
    read_as: str | None  # the names as read, '|'-joined; None when each is read as typed
    as_json: tuple[dict[str, Any], ...]  # the readings as the answer writes them (never changed once made)
    doubtful: tuple[Reading, ...]  # the readings a warning must mention (``Reading.doubtful``)


@dataclass(frozen=True, slots=True)
class ReadNames:
    """A batch's names, read: the columns the models get, and each film's readings in field order."""

    columns: dict[str, Any]  # the request's columns, each name replaced by the name it is read as
    readings: list[list[Reading]]
    as_json: list[list[dict[str, Any]]]  # the answer's "names"
    doubtful: list[list[Reading]]  # the readings each film's warnings mention


@dataclass(frozen=True)
class NameReader:
    """Reads every name of a batch of pre-release requests (see the module doc), one book per field.

    ``read_only``: per field, how many of a film's names the models read (cast: ``cast_top``);
    later names are ``not_read``. A field whose book is ``closed`` (keywords, genres: the
    models' flags) reads an unmatched name as ``not_read`` rather than ``unknown``.
    """

    books: Mapping[str, NameBook]
    read_only: Mapping[str, int] = field(default_factory=dict)
    closed: frozenset[str] = frozenset()
    # (field, '|'-joined names) -> the list read: a film's names are read once, not again for
    # each of its what-if scenarios or for the next film with the same cast.
    _lists: dict[tuple[str, str], ReadList] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(
        cls,
        history: Any,
        cast_top: int,
        keywords: Sequence[str],
        genres: Sequence[str],
        roles: Sequence[tuple[str, str]],
    ) -> NameReader:
        """From a track record's history (one row per role, name, film) and the models' keyword and genre flags.

        ``roles``: (role in the history, request field) pairs.
        """
        counts = history.groupby(["role", "name"]).size()
        books = {
            column: NameBook(column, counts[role].to_dict() if role in counts.index else {}, role == "company")
            for role, column in roles
        }
        books["keywords"] = NameBook("keywords", dict.fromkeys(keywords, 1))
        books["genres"] = NameBook("genres", dict.fromkeys(genres, 1), spellings=genre_spellings(genres))
        return cls(books, {"cast": cast_top}, FLAGGED)

    def films(self, column: str, known: str) -> int:
        """How many films of the data ``known`` (a name ``column``'s book has) is in."""
        return self.books[column].films[known]

    def read_one(self, column: str, asked: str, position: int = 0) -> Reading:
        """One name of ``column`` (its ``position`` in the film's list decides whether the models read it)."""
        book = self.books[column]
        if position >= self.read_only.get(column, position + 1):
            return Reading(column, asked, asked, "not_read")
        reading = book.read(asked)
        if reading.match == "unknown" and column in self.closed:
            return Reading(column, asked, asked, "not_read", suggestions=reading.suggestions)
        return reading

    def read(self, columns: Mapping[str, Any]) -> ReadNames:
        """``columns`` with each name replaced by the name it is read as, and each film's readings in field order.

        Name columns hold '|'-joined names (as the pipeline's tables do); absent ones are skipped.
        """
        fields = [column for column in self.books if column in columns]
        n = len(columns[fields[0]]) if fields else 0
        readings: list[list[Reading]] = [[] for _ in range(n)]
        as_json: list[list[dict[str, Any]]] = [[] for _ in range(n)]
        doubtful: list[list[Reading]] = [[] for _ in range(n)]
        replaced = dict(columns)
        for column in fields:
            out = []
            for film, value in enumerate(np.asarray(columns[column], dtype=object).tolist()):
                read = self._read_list(column, value if type(value) is str else str(value))
                readings[film] += read.readings
                as_json[film] += read.as_json
                doubtful[film] += read.doubtful
                out.append(value if read.read_as is None else read.read_as)
            replaced[column] = np.array(out, dtype=object)
        return ReadNames(replaced, readings, as_json, doubtful)

    def _read_list(self, column: str, text: str) -> ReadList:
        """A film's '|'-joined names of ``column``, read (each list once: see ``_lists``)."""
        key = (column, text)
        found = self._lists.get(key)
        if found is None:
            names = [name for name in text.split(LIST_SEPARATOR) if name]
            read = tuple(self.read_one(column, name, position) for position, name in enumerate(names))
            found = ReadList(
                read,
                None if all(r.read_as is r.asked for r in read) else _joined(read),
                tuple(reading.as_json() for reading in read),
                tuple(reading for reading in read if reading.doubtful),
            )
            if len(self._lists) >= REMEMBERED_LISTS:  # bounded: a stream of new films cannot grow it forever
                self._lists.clear()
            self._lists[key] = found
        return found


def genre_spellings(genres: Sequence[str]) -> dict[str, str]:
    """Every spelling a genre is read by (GENRE_SPELLINGS), also with a GENRE_TAILS word: spelling -> genre."""
    spellings: dict[str, str] = {}
    for genre in genres:
        for spelling in (genre, *GENRE_SPELLINGS.get(genre, ())):
            spellings |= {f"{spelling} {tail}".strip(): genre for tail in ("", *GENRE_TAILS)}
    return spellings


def _joined(read: Sequence[Reading]) -> str:
    return LIST_SEPARATOR.join(reading.read_as for reading in read)
