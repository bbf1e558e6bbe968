"""A language as one country speaks it: Mexico's Spanish, made of the phrasebook's (Spain's) by
the words and the tense that give Spain away (round 45's reader of an American fitness
account: "esterilla", "zapatillas", "me pasé de parada en el metro", "me lo he visto dos
veces" from people named Cervantes and Quiñones). Lines only Spain says are tagged `c_ES`
in the phrasebook and are not said elsewhere; this is the rest of it, said the Mexican way:
"video", "celular", "colchoneta", "lo vi" for "lo he visto"."""

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from app.domain.generation.language import Phrasebook

# (Spain's words, Mexico's): whole words, a capital kept; the longer first where one holds
# another ("la nevera casi vacía" before "la nevera"); a noun of another gender with its
# article and what agrees with it
_MEXICAN_WORDS = (
    ("vídeos", "videos"),
    ("vídeo", "video"),
    ("esterillas", "colchonetas"),
    ("esterilla", "colchoneta"),
    ("móviles", "celulares"),
    ("móvil", "celular"),
    ("curro", "trabajo"),
    ("coches", "carros"),
    ("coche", "carro"),
    ("la nevera casi vacía", "el refri casi vacío"),
    ("la nevera", "el refri"),
    ("mi nevera", "mi refri"),
    ("nevera", "refri"),
    ("las gafas", "los lentes"),
    ("gafas", "lentes"),
    ("con el extractor a tope", "con la campana al máximo"),
    ("a tope", "al máximo"),
    ("menuda pasada de", "qué chulada de"),
    ("una pasada", "una chulada"),
    ("madre mía", "no manches"),
    ("ostras", "órale"),
    ("compis de piso", "roomies"),
    ("compi de piso", "roomie"),
    ("mi piso de alquiler", "mi depa"),
    ("piso de estudiantes", "depa de estudiantes"),
    ("un portátil gaming", "una laptop gamer"),
    ("un portátil", "una laptop"),
    ("los portátiles", "las laptops"),
    ("el portátil", "la laptop"),
    ("portátiles", "laptops"),
    ("portátil", "laptop"),
    ("carnet de conducir", "licencia de manejo"),
    ("conducir", "manejar"),
    ("me apetece", "me encantaría"),
    ("tenéis", "tienen"),
    ("se las pongo", "se los pongo"),
    ("yo las quito", "yo los quito"),
    ("unas alubias", "unos frijoles"),
    ("las alubias", "los frijoles"),
    ("alubias", "frijoles"),
    ("cacahuetes", "cacahuates"),
    ("cacahuete", "cacahuate"),
    ("guisantes", "chícharos"),
    ("guisante", "chícharo"),
    ("nata", "crema"),
    ("patatas", "papas"),
    ("patata", "papa"),
    ("fregar", "lavar"),
    ("mandos", "controles"),
    ("le pillé el truco", "le agarré la onda"),
    ("pillarlo", "agarrarle la onda"),
    ("me flipa", "me encanta"),
    ("me enrollo", "me extiendo"),
    ("coger", "tomar"),
    ("deberes", "tarea"),
    ("billete", "boleto"),
    ("camisetas", "playeras"),
    ("camiseta", "playera"),
    ("chaqueta", "chamarra"),
    ("enhorabuena", "felicidades"),
    ("vale para", "sirve para"),
    ("me vale", "me sirve"),
)
# said before the words (a pattern of several of them, or a word another rule would take)
_MEXICAN_FIRST: tuple[tuple[str, str], ...] = (
    # "qué pinta", "tiene una pinta…": how Spain says food looks good; Mexico "se ve"
    (r"\b([Qq])ué pinta de (\w+) tiene\b", r"\1ué \2 se ve"),
    (r"\b([Qq])ué pinta \{x:tiene\|tiene\|tienen\|tienen\}", r"\1ué rico se {x:ve|ve|ven|ven}"),
    (r"\b([Qq])ué (?:buena )?pinta(?:za)? tienen\b", r"\1ué rico se ven"),
    (r"\b([Qq])ué (?:buena )?pinta(?:za)?(?: tiene)?\b", r"\1ué rico se ve"),
    (r"\bEsto tiene una pinta <delicious>", "Qué rico se ve esto"),
    # (said of nothing named: "se ve buenísimo", of the mix: "se ve cremosísima")
    (r"^(\[[^\]]*\] )?tiene una pinta (\w+)ísima\b", r"\1se ve \2ísimo"),
    (r"\b(ese|este) ([^,]+?) tiene una pinta (\w+)ísima\b", r"\1 \2 se ve \3ísimo"),
    (r"\btienen? (?:muy )?buena pinta\b", "se ve muy bien"),
    (r"\btiene una pinta\b", "se ve"),
    (r"\btienen una pinta\b", "se ven"),
    (r"\btener tan buena pinta\b", "verse tan bien"),
)
_MEXICAN_PATTERNS: tuple[tuple[str, str], ...] = (
    # the controller, not "te mando otro" (I send)
    (r"\b(el|un|mi|del|al|propio|tu) mando\b", r"\1 control"),
    # "vale," said as "ok" ("vale la pena", "vale oro" as they are)
    (r"\bVale(?=[,.!]|$)", "Ok"),
    (r"\bvale(?=[,.!]|$)", "ok"),
    (r"(\d[\d.]*) €", r"$\1"),  # (a scammer's "5000 €")
    # a laptop is hers: "mi laptop|f"
    (r"(laptop[^|]*)\|m$", r"\1|f"),
)

# the present perfect, which Spain says of today and Mexico of a life (Mexico: "hoy lo vi",
# not "hoy lo he visto"): the auxiliary and the participle become the simple past, person for
# person (he, has, ha, hemos, han)
_PERSONS = ("he", "has", "ha", "hemos", "han")
_IRREGULAR = {
    "visto": ("vi", "viste", "vio", "vimos", "vieron"),
    "hecho": ("hice", "hiciste", "hizo", "hicimos", "hicieron"),
    "puesto": ("puse", "pusiste", "puso", "pusimos", "pusieron"),
    "propuesto": ("propuse", "propusiste", "propuso", "propusimos", "propusieron"),
    "vuelto": ("volví", "volviste", "volvió", "volvimos", "volvieron"),
    "devuelto": ("devolví", "devolviste", "devolvió", "devolvimos", "devolvieron"),
    "resuelto": ("resolví", "resolviste", "resolvió", "resolvimos", "resolvieron"),
    "dicho": ("dije", "dijiste", "dijo", "dijimos", "dijeron"),
    "escrito": ("escribí", "escribiste", "escribió", "escribimos", "escribieron"),
    "abierto": ("abrí", "abriste", "abrió", "abrimos", "abrieron"),
    "roto": ("rompí", "rompiste", "rompió", "rompimos", "rompieron"),
    "sido": ("fui", "fuiste", "fue", "fuimos", "fueron"),
    "ido": ("fui", "fuiste", "fue", "fuimos", "fueron"),
    "dado": ("di", "diste", "dio", "dimos", "dieron"),
    "estado": ("estuve", "estuviste", "estuvo", "estuvimos", "estuvieron"),
    "tenido": ("tuve", "tuviste", "tuvo", "tuvimos", "tuvieron"),
    "podido": ("pude", "pudiste", "pudo", "pudimos", "pudieron"),
    "querido": ("quise", "quisiste", "quiso", "quisimos", "quisieron"),
    "traído": ("traje", "trajiste", "trajo", "trajimos", "trajeron"),
    "leído": ("leí", "leíste", "leyó", "leímos", "leyeron"),
    "oído": ("oí", "oíste", "oyó", "oímos", "oyeron"),
    "caído": ("caí", "caíste", "cayó", "caímos", "cayeron"),
    "sentido": ("sentí", "sentiste", "sintió", "sentimos", "sintieron"),
    "dormido": ("dormí", "dormiste", "durmió", "dormimos", "durmieron"),
    "pedido": ("pedí", "pediste", "pidió", "pedimos", "pidieron"),
    "repetido": ("repetí", "repetiste", "repitió", "repetimos", "repitieron"),
    "conseguido": ("conseguí", "conseguiste", "consiguió", "conseguimos", "consiguieron"),
    "seguido": ("seguí", "seguiste", "siguió", "seguimos", "siguieron"),
    "servido": ("serví", "serviste", "sirvió", "servimos", "sirvieron"),
    "venido": ("vine", "viniste", "vino", "vinimos", "vinieron"),
    "sabido": ("supe", "supiste", "supo", "supimos", "supieron"),
}
_PERFECT = re.compile(
    r"\b(he|has|ha|hemos|han) (\w+?(?:ado|ido|ído)|visto|hecho|puesto|propuesto|vuelto"
    r"|devuelto|resuelto|dicho|escrito|abierto|roto)\b",
    re.IGNORECASE,
)
# the first person's spelling before "é": "saqué", "llegué", "empecé"
_BEFORE_E = (("c", "qu"), ("g", "gu"), ("z", "c"))


def preterite(participle: str, person: int) -> str:
    """'probado', 0 → 'probé'; 'comido', 2 → 'comió'; 'visto', 4 → 'vieron'."""
    if participle in _IRREGULAR:
        return _IRREGULAR[participle][person]
    if participle.endswith("ado"):
        stem = participle[:-3]
        if person == 0:
            for end, spelled in _BEFORE_E:
                if stem.endswith(end):
                    return f"{stem[: -len(end)]}{spelled}é"
        return stem + ("é", "aste", "ó", "amos", "aron")[person]
    stem = participle[:-3]  # -ido, -ído
    if person in (2, 4) and stem[-1:] in "aeo":  # "creído": "creyó", "creyeron"
        return stem + ("yó", "yeron")[person == 4]
    return stem + ("í", "iste", "ió", "imos", "ieron")[person]


def _simple_past(m: re.Match[str]) -> str:
    said = preterite(m[2].lower(), _PERSONS.index(m[1].lower()))
    return said[:1].upper() + said[1:] if m[1][:1].isupper() else said


def _case_kept(mexican: str) -> Callable[[re.Match[str]], str]:
    def kept(m: re.Match[str]) -> str:
        return mexican[:1].upper() + mexican[1:] if m[0][:1].isupper() else mexican

    return kept


_WORDS = tuple(
    (re.compile(rf"\b{re.escape(spain)}\b", re.IGNORECASE), _case_kept(mexico))
    for spain, mexico in _MEXICAN_WORDS
)
_PATTERNS = tuple((re.compile(p, re.MULTILINE), r) for p, r in _MEXICAN_PATTERNS)
_FIRST = tuple((re.compile(p), r) for p, r in _MEXICAN_FIRST)


def mexican(text: str) -> str:
    """A line of Spain's Spanish as Mexico says it."""
    text = _PERFECT.sub(_simple_past, text)
    for compiled, replacement in _FIRST:
        text = compiled.sub(replacement, text)
    for pattern, said in _WORDS:
        text = pattern.sub(said, text)
    for compiled, replacement in _PATTERNS:
        text = compiled.sub(replacement, text)
    return text


def _mapped(items: Mapping[str, object], said: Callable[[str], str]) -> dict[str, object]:
    return {key: _deep(value, said) for key, value in items.items()}


def _deep(value: object, said: Callable[[str], str]) -> object:
    """A string as `said` says it; a tuple's strings, however deep; anything else as it is."""
    if isinstance(value, str):
        return said(value)
    if isinstance(value, tuple):
        return tuple(_deep(v, said) for v in value)
    return value


def regional(book: Phrasebook, said: Callable[[str], str]) -> Phrasebook:
    """The phrasebook with every line, slot, noun and phrase said as `said` says it."""
    return replace(
        book,
        texts=_mapped(book.texts, said),  # type: ignore[arg-type]
        slots=_mapped(book.slots, said),  # type: ignore[arg-type]
        nouns=_mapped(book.nouns, said),  # type: ignore[arg-type]
        phrases=_mapped(book.phrases, said),  # type: ignore[arg-type]
    )
