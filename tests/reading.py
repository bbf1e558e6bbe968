"""How a reader checks generated engagement: on the words, per language, never on the labels the
generator wrote them with. tests/unit/test_reading.py and bench/realism.py use these.

Each check reads text as a person would: a question about the price is a question that asks
the price in words; an answer gives a price or says where it is; a reply to spam agrees with
it when it says "so true"."""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from app.domain.demo import Content, Persona
from app.domain.inbox import Intent, Platform, WebhookInteraction


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(patterns), re.IGNORECASE)


# the batches people read: an account's platform, niche and language each
READING = (
    (Platform.INSTAGRAM, Persona.FITNESS, "en_US"),
    (Platform.TIKTOK, Persona.TECH_REVIEWS, "en_GB"),
    (Platform.YOUTUBE, Persona.COOKING, "es_ES"),
    (Platform.YOUTUBE, Persona.GAMING, "de_DE"),
    (Platform.INSTAGRAM, Persona.BEAUTY, "pt_BR"),
)
# a money amount as any of our currencies writes it
AMOUNT = re.compile(r"(?:R\$|\$|£)\s?\d(?:[\d.,]*\d)?|\d(?:[\d.,]*\d)?\s?€")
TIMESTAMP = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
# questions, by what they ask, per language
ASKS_PRICE = {
    "en": _words(r"\bhow much(?=\?| (is|was|are|were|did the|for|per|a day|each day)\b)",
                 r"\bprice\b", r"\bwhat did you (pay|spend)\b",
                 r"\bwhat does .{0,40} cost\b", r"\bcost per day\b", r"\bdaily budget\b",
                 r"\b(budget|spend) per day\b"),
    "es": _words(r"\bcu[aá]nto (cuesta|cuestan|vale|valen|cost|pagaste|gastaste|sale|salen)",
                 r"\bprecio\b", r"\bpresupuesto (diario|por d[ií]a)\b"),
    "pt": _words(r"\bquanto (custa|custam|custou|[eé]|foi|sai|saiu|gastou|pagou|fica|ficou)\b",
                 r"\bpre[cç]o\b", r"\bor[cç]amento (di[aá]rio|por dia)\b"),
    "de": _words(r"\bwie ?viel (kostet|kosten|hat|hast|zahlt)", r"\bpreis\b",
                 r"\btagesbudget\b", r"\bbudget pro tag\b"),
}  # fmt: skip
ASKS_LINK = {
    "en": _words(r"\blink\?", r"\blink (to|for)\b", r"\bwhere'?s the link\b", r"\bdrop the link",
                 r"\brecipe\?", r"\bproduct list\b", r"\bpdf\b", r"\bwritten down\b",
                 r"\blink everything\b"),
    "es": _words(r"\b(link|enlace)\?", r"\b(link|enlace) (a|al|de|del|para)\b",
                 r"\bd[oó]nde est[aá] el (link|enlace)\b", r"\breceta\?", r"\bpdf\b",
                 r"\blista de productos\b"),
    "pt": _words(r"\blink\?", r"\blink (d[oa]s?|pr[ao])\b", r"\bcad[eê] o link\b",
                 r"\bonde (t[aá]|est[aá]) o link\b", r"\breceita\?", r"\bpdf\b",
                 r"\blista de produtos\b"),
    "de": _words(r"\blink\?", r"\blink (zu|zum|zur|f[uü]r)\b", r"\bwo ist der link\b",
                 r"\brezept\?", r"\bpdf\b", r"\bproduktliste\b",
                 r"\b(link|rezept) (bitte|pls|plz)\b", r"\bwo finde ich das (\w+ )?rezept\b"),
}  # fmt: skip
# a link that does not work: a support request, not a question where the link is
LINK_BROKEN = {
    "en": _words(r"\bbroken\b", r"\bdead\b", r"doesn'?t work", r"not working", r"\btrouble\b",
                 r"\b404\b", r"\bexpired\b", r"\bdown\b"),
    "es": _words(r"no funciona", r"\broto\b", r"\bca[ií]do\b", r"\bproblema", r"\berror\b",
                 r"no va\b", r"\bcaducad"),
    "pt": _words(r"n[aã]o (t[aá] )?funciona", r"\bquebrado\b", r"\bproblema", r"\berro\b",
                 r"fora do ar", r"\bexpirou\b"),
    "de": _words(r"geht nicht", r"funktioniert nicht", r"\bkaputt\b", r"\bproblem",
                 r"\bfehler\b", r"\btot\b", r"abgelaufen"),
}  # fmt: skip
# where a platform puts links, as people name the place
LINK_PLACE = {
    "en": _words(r"\bbio\b", r"\bdescription\b", r"\bpinned\b", r"\blinked\b"),
    "es": _words(r"\bbio\b", r"\bdescripci[oó]n\b", r"\bfijado\b", r"\benlazad", r"\blink\b"),
    "pt": _words(r"\bbio\b", r"\bdescri[cç][aã]o\b", r"\bfixado\b", r"\blink\b"),
    "de": _words(r"\bbio\b", r"\bbeschreibung\b", r"\bangepinnt", r"\bverlinkt\b", r"\blink\b"),
}  # fmt: skip
# the YouTube-only places (Instagram and TikTok have a bio, not a description)
DESCRIPTION = {
    "en": _words(r"\bdescription\b", r"\bpinned comment\b"),
    "es": _words(r"\bdescripci[oó]n\b", r"\bcomentario fijado\b"),
    "pt": _words(r"\bdescri[cç][aã]o\b", r"\bcoment[aá]rio fixado\b"),
    "de": _words(r"\bbeschreibung\b", r"\bangepinnt"),
}
# a profile's bio: Instagram's and TikTok's place for links, which a YouTube channel lacks
BIO = {lang: re.compile(r"\bbio\b", re.IGNORECASE) for lang in ("en", "es", "pt", "de")}
SPAM = {
    "en": _words(r"gift cards?", r"\bgiveaways?\b", r"\bgiving away\b", r"\bfollowers in\b",
                 r"\bcrypto\b", r"\bforex\b", r"\bsignals\b", r"from home", r"\bmy method\b",
                 r"\bwin rate\b"),
    "es": _words(r"tarjetas regalo", r"\bseguidores en\b", r"\bse[ñn]ales diarias\b",
                 r"\bsorteo de\b", r"\bdesde casa\b", r"\bmi m[eé]todo\b", r"\baciertos\b"),
    "pt": _words(r"vale-presente", r"\bseguidores em\b", r"\bsinais di[aá]rios\b",
                 r"\bsorteando\b", r"trabalhando de casa", r"\bmeu m[eé]todo\b",
                 r"\bde acerto\b"),
    "de": _words(r"gutscheine", r"\bfollower in\b", r"-signale\b", r"\bverlose\b",
                 r"von zu hause", r"\bmeiner methode\b", r"\btrefferquote\b"),
}  # fmt: skip
AGREES = {
    "en": _words(r"\bagree", r"\bso true\b", r"\bfacts\b", r"\bexactly\b", r"\bsame here\b",
                 r"^this \^", r"\bright\?\?", r"\bliterally\b"),
    "es": _words(r"\bde acuerdo\b", r"\btotalmente\b", r"\btal cual\b", r"\bexacto\b",
                 r"\bverdad\b", r"\bpienso lo mismo\b"),
    "pt": _words(r"\bconcordo\b", r"\bverdade\b", r"\bexatamente\b", r"\bisso a[ií]\b",
                 r"\bpenso igual\b"),
    "de": _words(r"\bstimmt\b", r"\bgenau\b", r"\bsehe ich auch so\b", r"\bfinde ich auch\b",
                 r"\bso wahr\b"),
}  # fmt: skip
CITY_SIGNOFF = {
    "en": _words(r"\b(greetings|love|hello|hugs) from\b"),
    "es": _words(r"\b(saludos|un abrazo|besos) (desde|de)\b"),
    "pt": _words(r"\b(abra[cç]os?|beijos|sauda[cç][oõ]es|al[oô]) (de|do|da|direto de)\b"),
    "de": _words(r"\b(gr[uü](ß|ss)e|liebe gr[uü](ß|ss)e) aus\b"),
}
ASKS_ORDER_NUMBER = {
    "en": _words(r"order number"),
    "es": _words(r"n[uú]mero de pedido"),
    "pt": _words(r"n[uú]mero do pedido"),
    "de": _words(r"bestellnummer"),
}
ASKS_EMAIL = {
    "en": _words(r"\b(what|which) email\b"),
    "es": _words(r"\b(qu[eé]|cu[aá]l) (correo|email|e-mail|mail)\b"),
    "pt": _words(r"\bqual (e-?mail)\b"),
    "de": _words(r"\bwelche (e-?mail|mail)"),
}
EMAIL = re.compile(r"\b[\w.]+@[\w.]+\.\w+\b")
ORDER = re.compile(r"#\d{5}\b")
SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_HANDLE = re.compile(r"@[\w.]+")
_NOT_WORD = re.compile(r"[^\w\s]+")


def sentences(text: str) -> list[str]:
    """A text's sentences as a reader compares them: case, handles, digits, emoji, punctuation
    aside."""
    out = []
    for part in SENTENCE.split(text):
        plain = _NOT_WORD.sub("", _HANDLE.sub("", part.lower()))
        plain = re.sub(r"\d+", "#", " ".join(plain.split()))
        if plain:
            out.append(plain)
    return out


def most_repeated_sentence(items: Iterable[WebhookInteraction], at_least: int = 40) -> int:
    """How often the most repeated sentence of `at_least` characters is said by fans (not by
    spam bots, which post one pitch under post after post)."""
    said = Counter(
        s
        for item in items
        if not item.author.is_creator and item.intent is not Intent.SPAM
        for s in sentences(item.text)
        if len(s) >= at_least
    )
    return max(said.values(), default=0)


def language(item: WebhookInteraction) -> str:
    return item.language or "en"


def addressed(comments: Sequence[WebhookInteraction]) -> dict[str, WebhookInteraction]:
    """What each reply answers, as a reader finds it: on X the reply it is in_reply_to; where
    threads are one level (every reply under the top comment), the latest comment before it in
    the thread by the person it opens by naming ("@handle", a Page's "Full Name"), else the top
    comment."""
    by_id = {c.platform_id: c for c in comments}
    thread: dict[str, list[WebhookInteraction]] = defaultdict(list)
    for c in sorted(comments, key=lambda c: c.occurred_at):
        if c.in_reply_to:
            thread[c.in_reply_to].append(c)
    found = {}
    for c in comments:
        if not c.in_reply_to:
            continue
        top = by_id[c.in_reply_to]
        found[c.platform_id] = top
        if top.in_reply_to:  # X's: a reply to a reply
            continue
        for said in reversed([top, *thread[top.platform_id]]):
            named = (f"@{said.author.handle}", said.author.display_name)
            if said.occurred_at < c.occurred_at and c.text.startswith(named):
                found[c.platform_id] = said
                break
    return found


def replies_by_parent(
    comments: Sequence[WebhookInteraction],
) -> dict[str, list[WebhookInteraction]]:
    """Each comment's replies: those that answer it (addressed)."""
    by_id = {c.platform_id: c for c in comments}
    found: dict[str, list[WebhookInteraction]] = defaultdict(list)
    for reply, parent in addressed(comments).items():
        found[parent.platform_id].append(by_id[reply])
    return found


def creator_answers(
    comments: Sequence[WebhookInteraction], asks: dict[str, re.Pattern[str]]
) -> list[tuple[WebhookInteraction, WebhookInteraction]]:
    """(question, the creator's direct reply) for top-level comments the pattern reads as that
    question, in the question's language."""
    replies = replies_by_parent(comments)
    pairs = []
    for c in comments:
        if c.in_reply_to or c.author.is_creator or "?" not in c.text:
            continue
        if not asks[language(c)].search(c.text):
            continue
        if asks is ASKS_LINK and LINK_BROKEN[language(c)].search(c.text):
            continue  # "is the link broken?" asks for a fix, not for the link
        for r in replies.get(c.platform_id, []):
            if r.author.is_creator:
                pairs.append((c, r))
    return pairs


def amounts(text: str) -> set[str]:
    return {re.sub(r"\s", "", a) for a in AMOUNT.findall(text)}


def prices_quoted_by_creator(comments: Sequence[WebhookInteraction]) -> dict[str, set[str]]:
    """The amounts the creator writes on each post."""
    found: dict[str, set[str]] = defaultdict(set)
    for c in comments:
        if c.author.is_creator and c.content is not None:
            found[c.content.platform_id] |= amounts(c.text)
    return found


def top_post_share(content: Sequence[Content]) -> float:
    total = sum(c.target_comments for c in content)
    return max(c.target_comments for c in content) / total if total else 0.0


def handles_ending_in_digits(items: Iterable[WebhookInteraction]) -> float:
    handles = {i.author.handle for i in items if not i.author.is_creator}
    return sum(h[-1:].isdigit() for h in handles) / len(handles) if handles else 0.0


def creator_asks_for_what_was_given(dms: Sequence[WebhookInteraction]) -> list[str]:
    """Creator messages that ask for an order number or an email the fan already wrote."""
    by_conversation: dict[str, list[WebhookInteraction]] = defaultdict(list)
    for m in dms:
        by_conversation[m.conversation_id or ""].append(m)
    found = []
    for messages in by_conversation.values():
        given_order = given_email = False
        for m in messages:
            if not m.author.is_creator:
                given_order |= bool(ORDER.search(m.text))
                given_email |= bool(EMAIL.search(m.text))
                continue
            lang = language(m)
            if (given_order and ASKS_ORDER_NUMBER[lang].search(m.text)) or (
                given_email and ASKS_EMAIL[lang].search(m.text)
            ):
                found.append(m.text)
    return found
