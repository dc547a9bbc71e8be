"""Product search in French: what people type, accents, plurals and typos included.

PostgreSQL: full-text search with the ``french_unaccent`` configuration (French stemming after
``unaccent``) over the name (weight A), the shop and category names (B) and the description
(C), stored in a generated ``tsvector`` column (migration ``shop.0007``); a word that no
product contains is taken for a typo and matched by trigram word similarity (``pg_trgm``) on
the folded name, shop and category. Ranked by text rank, words found whole as typed, and for
typos strict word similarity. Both are served by GIN indexes (``shop.0003``, ``shop.0007``).

SQLite (the embedded default): an FTS5 table (``unicode61 remove_diacritics 2``) kept by
triggers, each word matched as a prefix once a French plural ending is cut, ranked by bm25; a
word found nowhere is replaced by the closest indexed word (typos). It knows no stemming beyond
plurals (« chevaux » does not find « cheval »), corrects a typo only in a word that matches
nothing as typed, and ranks by bm25 weights only.
"""

from __future__ import annotations

import difflib
import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramStrictWordSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import Expression, RawSQL
from django.db.models.lookups import GreaterThanOrEqual

from hub.services import fold

CONFIG = "french_unaccent"
MAX_WORDS = 8
SHORT_WORD = 4
# Below the rank of one word found in a description (about 0.12): a typo never outranks a word.
SIMILARITY_WEIGHT = 0.1
# Short words that carry no meaning of their own: never required to match by similarity.
STOP_WORDS = {
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "un", "une",
    "pour", "avec", "sans", "sur",
}  # fmt: skip
FTS_TABLE = "shop_product_fts"


def words_of(query: str) -> list[str]:
    """Folded words of ``query`` (letters and digits only, so safe in any query syntax)."""
    return re.findall(r"[a-z0-9]+", fold(query))[:MAX_WORDS]


def search_products(queryset: QuerySet, query: str, prefix: bool = False) -> QuerySet:
    """``queryset`` narrowed to products matching ``query``, annotated with ``relevance`` and
    ordered by it; ``prefix`` lets the last word be unfinished (suggestions as you type)."""
    words = words_of(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, words, prefix)
    return _sqlite_search(queryset, words)


# --- PostgreSQL ------------------------------------------------------------------------------


class SearchDocument(Expression):
    """The product's stored text vector: name (A), shop and categories (B), description (C).

    A column PostgreSQL generates and a partial GIN index serves (migration ``shop.0007``);
    Django's model does not declare it, since SQLite has no such type (it searches by FTS5).
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def _known_terms(terms: list[str]) -> set[str]:
    """The ``terms`` (``to_tsquery`` syntax) that some product on sale contains: one query,
    one GIN index probe per term."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term FROM unnest(%s::text[]) AS term WHERE EXISTS (SELECT 1 FROM shop_product"
            " WHERE is_active AND search_document @@ to_tsquery(%s::regconfig, term))",
            [terms, CONFIG],
        )
        return {row[0] for row in cursor.fetchall()}


def _literal_bonus(words: list[str], prefix: bool):
    """The share of ``words`` found whole, as typed, in ``search_text``: among equal text
    ranks, « pates » puts « Pâtes » before « Pâté » (both stem to « pat ») and « pâté » the
    other way round. With ``prefix``, the last word may be unfinished."""
    found = [
        Case(
            When(
                search_text__regex=rf"\m{word}" + ("" if prefix and n == len(words) - 1 else r"\M"),
                then=1.0,
            ),
            default=0.0,
            output_field=FloatField(),
        )
        for n, word in enumerate(words)
    ]
    total: Expression = found[0]
    for term in found[1:]:
        total = total + term
    return total / Value(float(len(words)))


def _postgres_search(queryset: QuerySet, words: list[str], prefix: bool) -> QuerySet:
    terms = list(words)
    if prefix:
        terms[-1] += ":*"
    term_of = dict(zip(words, terms, strict=True))
    meaningful = [word for word in words if word not in STOP_WORDS and len(word) > 2] or words
    # A word no product contains (once stemmed) is a typo: only those go through trigram
    # similarity, whose index answers loosely and whose checks cost (« pates » would read
    # every « pâtisserie » of the catalogue to reject it).
    known = _known_terms([term_of[word] for word in meaningful])
    typos = [word for word in meaningful if term_of[word] not in known]
    found_as_typed = [term_of[word] for word in words if word not in typos]
    condition = Q()
    unfinished = prefix and meaningful[-1] == words[-1]
    relevance = SIMILARITY_WEIGHT * _literal_bonus(meaningful, unfinished)
    if any(word not in typos for word in meaningful):
        text_query = SearchQuery(" & ".join(found_as_typed), config=CONFIG, search_type="raw")
        condition &= Q(document=text_query)
        relevance = SearchRank(F("document"), text_query) + relevance
    for word in typos:
        # ``%>`` (word similarity >= 0.6, served by the trigram index); a short word must be
        # closer, or « pate » would find every « patisserie ».
        condition &= Q(search_text__trigram_word_similar=word)
        if len(word) <= SHORT_WORD:
            condition &= Q(
                GreaterThanOrEqual(TrigramWordSimilarity(Value(word), "search_text"), 0.8)
            )
    if typos:
        # Similarity orders typos; a word found (stemmed) always outranks one guessed.
        relevance = relevance + SIMILARITY_WEIGHT * TrigramStrictWordSimilarity(
            Value(" ".join(typos)), "search_text"
        )
    return (
        queryset.alias(document=SearchDocument())
        .filter(condition)
        .annotate(relevance=relevance)
        .order_by("-relevance", "name", "pk")
    )


# --- SQLite fallback -------------------------------------------------------------------------


def _stem(word: str) -> str:
    """French plural endings off (« pates » → « pate », « poireaux » → « poireau »)."""
    if len(word) > 3 and word.endswith("aux"):
        return word[:-1]
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def _vocabulary() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {FTS_TABLE}_vocab")
        return [row[0] for row in cursor.fetchall()]


def _known(term: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 1",
            [f'"{term}"*'],
        )
        return cursor.fetchone() is not None


def _corrected(terms: list[str]) -> list[str]:
    """Each term found nowhere replaced by the closest indexed word, when one is close."""
    unknown = [term for term in terms if not _known(term)]
    if not unknown:
        return terms
    vocabulary = _vocabulary()
    fixed = {}
    for term in unknown:
        close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.75)
        fixed[term] = _stem(close[0]) if close else term
    return [fixed.get(term, term) for term in terms]


def _ligatures(stem: str) -> str:
    """FTS5 keeps « œ » and « æ » as letters: « oeufs » must also look for « œufs »."""
    spelled = stem.replace("oe", "œ").replace("ae", "æ")
    return f' OR "{spelled}"*' if spelled != stem else ""


def _sqlite_search(queryset: QuerySet, words: list[str]) -> QuerySet:
    typed = [word for word in words if word not in STOP_WORDS] or words
    stems = _corrected([_stem(word) for word in typed])
    # The word as typed counts twice (exact and prefix): « pates » puts « Pâtes » first.
    match = " AND ".join(
        f'("{word}" OR "{stem}"*{_ligatures(stem)})'
        for word, stem in zip(typed, stems, strict=True)
    )
    rank = RawSQL(
        f"SELECT bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND rowid = shop_product.id",
        [match],
        output_field=FloatField(),
    )
    matching = RawSQL(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
        [match],
    )
    # bm25 is lower for better matches: relevance is its opposite.
    return (
        queryset.filter(pk__in=matching)
        .annotate(relevance=-rank)
        .order_by("-relevance", "name", "pk")
    )


SQLITE_FTS_SQL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        name, search_context, description, content='shop_product', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE}_vocab USING fts5vocab({FTS_TABLE}, 'row')",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON shop_product BEGIN
        INSERT INTO {FTS_TABLE}(rowid, name, search_context, description)
        VALUES (new.id, new.name, new.search_context, new.description);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON shop_product BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name, search_context, description)
        VALUES ('delete', old.id, old.name, old.search_context, old.description);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE ON shop_product BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name, search_context, description)
        VALUES ('delete', old.id, old.name, old.search_context, old.description);
        INSERT INTO {FTS_TABLE}(rowid, name, search_context, description)
        VALUES (new.id, new.name, new.search_context, new.description);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]


def ensure_sqlite_index(using: str = "default", **kwargs) -> None:
    """Create (or re-create) the SQLite full-text table and its triggers, and rebuild it.

    Run after every migrate: SQLite migrations re-create a table to alter it, which drops
    its triggers; the index is derived data, rebuilt from ``shop_product``.
    """
    from django.db import connections

    target = connections[using]
    if target.vendor != "sqlite":
        return
    with target.cursor() as cursor:
        for statement in SQLITE_FTS_SQL:
            cursor.execute(statement)


def drop_sqlite_index(using: str = "default") -> None:
    """Remove the SQLite full-text table and its triggers (migration ``shop.0003`` reversed)."""
    from django.db import connections

    target = connections[using]
    if target.vendor != "sqlite":
        return
    with target.cursor() as cursor:
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}_vocab")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
