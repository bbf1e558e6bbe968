"""What a post is about and the facts people ask about it: a fact sheet per post.

Each persona has its subjects (the things its posts are about), each of a kind (a product, a
recipe, a routine, …) that says which questions make sense: a price and a store only where
something is sold, how long in the unit that fits (minutes to cook, weeks of a program, hours
of battery, days of a trip). The facts themselves (one price, one store, one duration) are drawn
once per account and subject, so the creator quotes the same price on every post about it; the
sheet of a post adds what is its own (the aspects it features, where its link is, its chapters).
Everything here is keys; each language names them in its phrasebook.
"""

import dataclasses
import enum
import functools
import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.demo import DemoProfile, Persona
from app.domain.platforms import facts_of


class Kind(enum.StrEnum):
    PRODUCT = "product"
    RECIPE = "recipe"
    ROUTINE = "routine"  # a workout or a routine done in one go
    PROGRAM = "program"  # a plan over weeks
    PLACE = "place"
    LOOK = "look"  # a make-up look or a skin or hair routine
    GAME = "game"
    GUIDE = "guide"  # how to do something in a game


class Fact(enum.StrEnum):
    PRICE = "price"
    WHERE = "where"  # where to get it
    LINK = "link"
    DURATION = "duration"
    LEVEL = "level"  # is it for beginners
    WORKS = "works"  # does it work with …
    GEAR = "gear"  # what … did you use (gear, ingredients, products)
    SWAP = "swap"  # what works instead of …
    SEASON = "season"  # when to go
    STAY = "stay"  # where to stay
    DETAIL = "detail"  # one of the subject's own questions ("what temp do you pull it at?"):
    # asked and answered in its own words (`ask.detail.<subject>.<n>`), not kept on the sheet


@dataclass(frozen=True, slots=True)
class Subject:
    key: str
    kind: Kind
    aspects: tuple[str, ...]  # what people praise and complain about
    evergreen: bool = True  # people have done it for years (a recipe), not a new release
    price: tuple[int, int] | None = None  # US dollars, drawn once per account
    duration: tuple[int, int] | None = None
    unit: str = ""  # min | h | d | wk
    measure: str = ""  # what the duration measures: make, session, plan, battery, beat, trip,
    # wear, results
    levels: tuple[str, ...] = ()  # easy | medium | hard
    works: tuple[tuple[str, bool | None], ...] = ()  # None: drawn per account
    gear: tuple[str, ...] = ()
    swaps: tuple[tuple[str, str], ...] = ()  # (instead of: a gear key, or "x" the subject; use)
    seasons: tuple[str, ...] = ()
    stays: tuple[str, ...] = ()  # names of places, the same in every language
    stores: str = ""  # which shops sell it: tech | beauty | games | fitness
    hair: bool = False  # a look for the hair, not the face: no "it broke me out" under it
    gentle: bool = False  # a routine that leaves nobody out of breath: no "my lungs…" under it


DRAWN: bool | None = None  # a compatibility drawn per account: it depends on the model
P, R, RT, PG = Kind.PRODUCT, Kind.RECIPE, Kind.ROUTINE, Kind.PROGRAM
PL, LK, G, GD = Kind.PLACE, Kind.LOOK, Kind.GAME, Kind.GUIDE

SUBJECTS: dict[Persona, tuple[Subject, ...]] = {
    Persona.TECH_REVIEWS: (
        Subject("pixel9", P, ("a.battery", "a.camera", "a.display", "a.updates"), False,
                (699, 799), (24, 30), "h", "battery", works=(("w.dev.android_auto", True),
                ("w.dev.wireless_charger", True), ("w.dev.esim", True)),
                swaps=(("x", "s.pixel8a"),),
                stores="tech"),
        Subject("earbuds", P, ("a.sound", "a.anc", "a.fit", "a.mic"), False, (129, 199),
                (6, 8), "h", "battery", works=(("w.dev.iphone", True), ("w.dev.android", True),
                ("w.dev.laptop", DRAWN)), swaps=(("x", "s.budget_buds"),), stores="tech"),
        Subject("macbook_air", P, ("a.battery", "a.display", "a.keyboard", "a.speakers"), False,
                (999, 1199), (15, 18), "h", "battery", works=(("w.dev.two_monitors", DRAWN),
                ("w.dev.windows_games", False), ("w.dev.lightroom", True)),
                swaps=(("x", "s.refurb_m2"),), stores="tech"),
        Subject("keyboard", P, ("a.switches", "a.sound_typing", "a.build", "a.keycaps"), False,
                (169, 199), works=(("w.dev.mac", True), ("w.dev.windows", True),
                ("w.dev.ipad", True)),
                swaps=(("x", "s.cheaper_board"),), stores="tech"),
        Subject("galaxy_watch", P, ("a.battery", "a.sleep_tracking", "a.display", "a.gps"),
                False, (249, 329), (1, 2), "d", "battery", works=(("w.dev.iphone", False),
                ("w.dev.android", True), ("w.dev.strava", True)), swaps=(("x", "s.older_watch"),),
                stores="tech"),
        Subject("monitor", P, ("a.colors", "a.brightness", "a.stand", "a.ports"), False,
                (449, 579), works=(("w.dev.mac", True), ("w.dev.ps5", True),
                ("w.dev.usb_c_laptop", DRAWN)),
                swaps=(("x", "s.qhd_monitor"),), stores="computer"),
        Subject("steam_deck", P, ("a.screen", "a.battery", "a.performance", "a.fan_noise"),
                False, (549, 649), (3, 8), "h", "battery", works=(("w.dev.game_pass", DRAWN),
                ("w.dev.dock", True), ("w.dev.tv", True)), swaps=(("x", "s.lcd_deck"),),
                stores="valve"),
        Subject("budget_phone", P, ("a.battery", "a.camera", "a.speed", "a.updates"), False,
                (279, 379), (28, 36), "h", "battery", works=(("w.dev.esim", DRAWN),
                ("w.dev.wireless_charger", False), ("w.dev.android_auto", True)),
                swaps=(("x", "s.galaxy_a15"),), stores="tech"),
        Subject("headphones", P, ("a.anc", "a.comfort", "a.sound", "a.mic"), False,
                (279, 399), (28, 32), "h", "battery", works=(("w.dev.iphone", True),
                ("w.dev.plane", True), ("w.dev.ps5", DRAWN)), swaps=(("x", "s.older_headphones"),),
                stores="tech"),
        Subject("mini_pc", P, ("a.fan_noise", "a.performance", "a.ports", "a.power_draw"),
                False, (399, 599), works=(("w.dev.linux", True), ("w.dev.plex", True),
                ("w.dev.two_monitors", True)), swaps=(("x", "s.used_office_pc"),),
                stores="computer"),
    ),
    Persona.FITNESS: (
        Subject("leg_day", RT, ("a.form", "a.warmup", "a.rest_times", "a.burn"), True,
                duration=(45, 60), unit="min", measure="session",
                levels=("medium",), gear=("k.dumbbells", "k.bench"),
                swaps=(("k.jump_squats", "s.reverse_lunges"), ("k.barbell", "s.goblet"))),
        Subject("program_12wk", PG, ("a.progression", "a.structure", "a.app"), True,
                (39, 59), (12, 12), "wk", "plan", ("easy",), (("w.setup.home", True),
                ("w.setup.gym", True)), ("k.dumbbells", "k.band")),
        Subject("hiit", RT, ("a.intensity", "a.intervals", "a.cooldown"), True,
                duration=(20, 25), unit="min", measure="session", levels=("hard",),
                gear=("k.mat",), swaps=(("k.burpees", "s.squat_thrusts"),)),
        Subject("protein_shake", R, ("a.taste", "a.texture", "a.macros"), True,
                duration=(5, 5), unit="min", measure="make", levels=("easy",),
                gear=("k.protein", "k.oats", "k.peanut_butter"),
                swaps=(("k.protein", "s.pea_protein"), ("k.milk", "s.oat_milk"))),
        Subject("mobility", RT, ("a.hips", "a.breathing", "a.stretches"), True,
                duration=(15, 20), unit="min", measure="session", levels=("easy",),
                gear=("k.mat", "k.band"), swaps=(("k.deep_squat", "s.supported_squat"),),
                gentle=True),
        Subject("ppl", PG, ("a.volume", "a.progression", "a.rest_days"), True,
                duration=(8, 10), unit="wk", measure="plan", levels=("medium",),
                works=(("w.setup.gym", True), ("w.setup.home", True)),
                gear=("k.barbell", "k.cables"),
                swaps=(("k.barbell", "s.dumbbells"),)),
        Subject("plan_5k", PG, ("a.pace", "a.long_runs", "a.rest_days"), True,
                duration=(8, 8), unit="wk", measure="plan", levels=("easy",),
                works=(("w.setup.treadmill", True),), gear=("k.shoes",),
                swaps=(("k.intervals", "s.easy_runs"),)),
        Subject("kettlebell", RT, ("a.form", "a.grip", "a.intensity"), True,
                duration=(25, 30), unit="min", measure="session", levels=("medium",),
                gear=("k.kettlebell",), swaps=(("k.swings", "s.deadlifts"),)),
        Subject("core", RT, ("a.burn", "a.form", "a.breathing"), True,
                duration=(10, 12), unit="min", measure="session", levels=("easy",),
                gear=("k.mat",), swaps=(("k.crunches", "s.dead_bugs"),)),
        Subject("home_gym", P, ("a.space", "a.build", "a.weight_dial"), False, (300, 450),
                gear=("k.bench",),
                swaps=(("x", "s.bands_only"),), stores="fitness"),
    ),
    Persona.COOKING: (
        Subject("sourdough", R, ("a.crumb", "a.crust", "a.starter"), True,
                duration=(24, 24), unit="h", measure="make", levels=("hard",),
                works=(("w.appl.dutch_oven", True), ("w.appl.air_fryer", False)),
                gear=("k.flour", "k.starter", "k.salt"), swaps=(("k.flour", "s.ap_flour"),)),
        Subject("ramen", R, ("a.broth", "a.noodles", "a.egg"), True, duration=(15, 15),
                unit="min", measure="make", levels=("easy",), gear=("k.noodles", "k.miso"),
                swaps=(("k.miso", "s.soy_sauce"), ("k.egg", "s.tofu"))),
        Subject("lasagna", R, ("a.sauce", "a.layers", "a.cheese"), True, duration=(90, 120),
                unit="min", measure="make", levels=("medium",),
                works=(("w.appl.slow_cooker", DRAWN),), gear=("k.ricotta", "k.mozzarella"),
                swaps=(("k.ricotta", "s.cottage_cheese"),)),
        Subject("chili", R, ("a.spice", "a.beans", "a.texture"), True, duration=(60, 90),
                unit="min", measure="make", levels=("easy",),
                works=(("w.appl.slow_cooker", True), ("w.appl.instant_pot", True)),
                gear=("k.chili_powder", "k.beef"), swaps=(("k.beef", "s.lentils"),)),
        Subject("steak", R, ("a.sear", "a.doneness", "a.resting"), True, duration=(20, 25),
                unit="min", measure="make", levels=("medium",),
                works=(("w.appl.nonstick", False),), gear=("k.skillet", "k.butter"),
                swaps=(("k.ribeye", "s.sirloin"),)),
        Subject("cookies", R, ("a.texture", "a.sweetness", "a.chill_time"), True,
                duration=(30, 40), unit="min", measure="make", levels=("easy",),
                works=(("w.appl.air_fryer", True),), gear=("k.brown_butter", "k.chocolate"),
                swaps=(("k.butter", "s.coconut_oil"), ("k.eggs", "s.flax_egg"))),
        Subject("curry", R, ("a.spice", "a.sauce", "a.texture"), True, duration=(35, 45),
                unit="min", measure="make", levels=("easy",),
                works=(("w.appl.instant_pot", True),), gear=("k.coconut_milk", "k.curry_paste"),
                swaps=(("k.coconut_milk", "s.cashew_cream"),)),
        Subject("pasta_sauce", R, ("a.sauce", "a.garlic", "a.acidity"), True,
                duration=(40, 50), unit="min", measure="make", levels=("easy",),
                works=(("w.appl.slow_cooker", True),), gear=("k.tomatoes", "k.garlic"),
                swaps=(("k.tomatoes", "s.passata"),)),
        Subject("banana_bread", R, ("a.texture", "a.sweetness", "a.sugar_top"), True,
                duration=(60, 60), unit="min", measure="make", levels=("easy",),
                works=(("w.appl.air_fryer", False),), gear=("k.bananas", "k.brown_sugar"),
                swaps=(("k.eggs", "s.flax_egg"), ("k.butter", "s.oil"))),
        Subject("meal_prep", R, ("a.portions", "a.freshness", "a.sauce"), True,
                duration=(90, 120), unit="min", measure="make", levels=("easy",),
                works=(("w.appl.instant_pot", DRAWN),), gear=("k.rice", "k.chicken"),
                swaps=(("k.chicken", "s.tofu"),)),
    ),
    Persona.TRAVEL: (
        Subject("lisbon", PL, ("a.food_spots", "a.hills", "a.budget"), True, (80, 120),
                (3, 5), "d", "trip", seasons=("season.spring", "season.autumn"),
                stays=("Alfama", "Príncipe Real", "Baixa")),
        Subject("amalfi", PL, ("a.views", "a.crowds", "a.budget"), True, (150, 250), (4, 6),
                "d", "trip", seasons=("season.may", "season.september"),
                stays=("Positano", "Atrani", "Minori")),
        Subject("kyoto", PL, ("a.temples", "a.crowds", "a.food_spots"), True, (120, 180),
                (3, 4), "d", "trip", seasons=("season.autumn", "season.spring"),
                stays=("Gion", "Higashiyama", "Nakagyō")),
        Subject("ring_road", PL, ("a.driving", "a.views", "a.weather"), True, (180, 260),
                (7, 10), "d", "trip", seasons=("season.summer", "season.september"),
                stays=("Vík", "Höfn", "Akureyri")),
        Subject("mexico_city", PL, ("a.food_spots", "a.museums", "a.getting_around"), True,
                (60, 100), (4, 6), "d", "trip", seasons=("season.spring", "season.november"),
                stays=("Roma Norte", "Condesa", "Coyoacán")),
        Subject("dolomites", PL, ("a.hikes", "a.views", "a.weather"), True, (130, 200),
                (5, 7), "d", "trip", seasons=("season.summer", "season.september"),
                stays=("Ortisei", "Cortina", "Selva")),
        Subject("bali", PL, ("a.budget", "a.beaches", "a.getting_around"), True, (40, 70),
                (7, 10), "d", "trip", seasons=("season.summer", "season.may"),
                stays=("Ubud", "Canggu", "Uluwatu")),
        Subject("marrakech", PL, ("a.food_spots", "a.souks", "a.budget"), True, (50, 90),
                (3, 4), "d", "trip", seasons=("season.spring", "season.autumn"),
                stays=("Kasbah", "Gueliz", "Mellah")),
        Subject("highlands", PL, ("a.driving", "a.weather", "a.views"), True, (120, 180),
                (5, 7), "d", "trip", seasons=("season.may", "season.september"),
                stays=("Glencoe", "Skye", "Fort William")),
        Subject("seoul", PL, ("a.food_spots", "a.getting_around", "a.cafes"), True,
                (90, 140), (4, 6), "d", "trip", seasons=("season.autumn", "season.spring"),
                stays=("Hongdae", "Myeongdong", "Seongsu")),
    ),
    Persona.BEAUTY: (
        Subject("skincare", LK, ("a.texture", "a.results", "a.steps"), True,
                duration=(8, 10), unit="min", measure="session", levels=("easy",),
                works=(("w.for.oily_skin", True), ("w.for.sensitive_skin", DRAWN)),
                gear=("k.cleanser", "k.serum", "k.spf"), swaps=(("k.serum", "s.moisturizer"),)),
        Subject("foundation", P, ("a.shade_range", "a.finish", "a.oxidizing"), False,
                (38, 52), (8, 12), "h", "wear", works=(("w.for.oily_skin", True),
                ("w.for.dry_skin", DRAWN)), swaps=(("x", "s.drugstore_dupe"),), stores="beauty"),
        Subject("lip_combo", LK, ("a.color", "a.longevity", "a.finish"), False, (18, 30),
                levels=("easy",), gear=("k.liner", "k.gloss"),
                swaps=(("k.gloss", "s.balm"),)),
        Subject("dupes", P, ("a.formula", "a.packaging", "a.shades"), False, (8, 14),
                works=(("w.for.sensitive_skin", DRAWN),), stores="drugstore"),
        Subject("glass_skin", LK, ("a.glow", "a.steps", "a.texture"), True,
                duration=(10, 15), unit="min", measure="session", levels=("easy",),
                works=(("w.for.oily_skin", DRAWN), ("w.for.acne", DRAWN)),
                gear=("k.toner", "k.essence"),
                swaps=(("k.essence", "s.hydrating_toner"),)),
        Subject("curly_hair", LK, ("a.definition", "a.frizz", "a.volume"), True,
                duration=(20, 30), unit="min", measure="session", levels=("easy",),
                works=(("w.for.type_4", DRAWN), ("w.for.fine_hair", True)),
                gear=("k.leave_in", "k.gel", "k.diffuser"), swaps=(("k.gel", "s.mousse"),),
                hair=True),
        Subject("palette", P, ("a.pigment", "a.fallout", "a.shades"), False, (39, 65),
                works=(("w.for.hooded_eyes", True), ("w.for.sensitive_eyes", DRAWN)),
                swaps=(("x", "s.drugstore_dupe"),), stores="beauty"),
        Subject("spf", P, ("a.white_cast", "a.finish", "a.scent"), False, (14, 34),
                works=(("w.for.under_makeup", True), ("w.for.sensitive_skin", True)),
                swaps=(("x", "s.drugstore_dupe"),), stores="beauty"),
        Subject("no_makeup", LK, ("a.finish", "a.coverage", "a.longevity"), True,
                duration=(5, 8), unit="min", measure="session", levels=("easy",),
                gear=("k.skin_tint", "k.concealer", "k.brow_gel"),
                swaps=(("k.skin_tint", "s.tinted_spf"),)),
        Subject("retinol", LK, ("a.purging", "a.results", "a.dryness"), True,
                duration=(8, 12), unit="wk", measure="results", levels=("medium",),
                works=(("w.for.sensitive_skin", DRAWN), ("w.for.acne", True)),
                gear=("k.retinol",), swaps=(("k.retinol", "s.bakuchiol"),)),
    ),
    Persona.GAMING: (
        Subject("zelda", G, ("a.open_world", "a.puzzles", "a.frame_rate", "a.story"), False,
                (69, 69), (50, 60), "h", "beat", ("medium",), (("w.plat.switch_lite", True),
                ("w.plat.pc", False)), stores="nintendo"),
        Subject("speedrun", GD, ("a.skips", "a.timing", "a.route"), True, duration=(28, 35),
                unit="min", measure="run", levels=("hard",), gear=("k.controller",)),
        Subject("valorant", GD, ("a.aim", "a.crosshair", "a.agents"), False,
                levels=("hard",), works=(("w.plat.mac", False), ("w.plat.laptop", DRAWN)),
                gear=("k.sens", "k.mouse")),
        # (no "is it for beginners?": a DLC is played after the base game, round 84's reader)
        Subject("elden_dlc", G, ("a.bosses", "a.map", "a.difficulty"), False, (39, 39),
                (25, 40), "h", "beat", (), (("w.plat.ps5", True),
                ("w.plat.steam_deck_w", True)),
                stores="games"),
        Subject("minecraft", GD, ("a.design", "a.redstone", "a.lighting"), True,
                duration=(6, 10), unit="h", measure="make", levels=("medium",),
                works=(("w.plat.bedrock", DRAWN),), gear=("k.blocks",)),
        Subject("fortnite", G, ("a.map", "a.weapons", "a.battle_pass"), False,
                works=(("w.plat.switch_lite", True), ("w.plat.phone", DRAWN)), levels=("medium",)),
        Subject("roguelike", G, ("a.runs", "a.art", "a.difficulty", "a.music"), False,
                (25, 30), (30, 45), "h", "beat", ("medium",), (("w.plat.steam_deck_w", True),
                ("w.plat.switch_lite", True)), stores="pc_switch"),
        Subject("boss_fight", GD, ("a.phases", "a.dodge", "a.build_game"), False,
                levels=("hard",), gear=("k.build",)),  # (a summon is no build's swap: round 37)
        Subject("controller", P, ("a.sticks", "a.battery", "a.buttons", "a.grip_pad"), False,
                (49, 79), (20, 30), "h", "battery", works=(("w.plat.pc", True),
                ("w.plat.switch_lite", DRAWN), ("w.plat.phone", True)),
                swaps=(("x", "s.cheaper_pad"),),
                stores="tech"),
        Subject("baldurs_gate", G, ("a.story", "a.art", "a.difficulty", "a.music"), False,
                (59, 59), (75, 100), "h", "beat", ("medium",), (("w.plat.ps5", True),
                ("w.plat.steam_deck_w", DRAWN)), stores="games"),
    ),
}  # fmt: skip

# subjects whose name says how long they take ("the 15-minute ramen"): nobody asks
NAMED_DURATION = ("ramen", "program_12wk")
# (currency, what a shop there asks for what costs a dollar in the US, symbol first) by the
# country of a locale: its price tags, tax in, not the exchange rate (a MacBook Air is $999,
# £999, 999 € or more; a game $39, £39, 39 €; round 51's reader: "£939" for the MacBook)
CURRENCIES = {
    "US": ("$", 1.0, True),
    "GB": ("£", 1.0, True),
    "MX": ("$", 17.0, True),
    "BR": ("R$ ", 5.0, True),
    "CA": ("$", 1.35, True),
    "AU": ("$", 1.5, True),
    "": ("€", 1.0, False),  # the euro countries, and where none is known
}
# what a maker sells at one price in each country, as its own store lists it (round 83's reader:
# "£559 isn't a UK Steam Deck OLED price (it's £479 or £569)"); elsewhere, a drawn price
LIST_PRICES: dict[str, dict[str, tuple[str, ...]]] = {
    "steam_deck": {"US": ("$549", "$649"), "GB": ("£479", "£569"), "": ("569 €", "679 €")},
}
# shops by what they sell and the audience's country ("" where none is known)
STORES: dict[str, dict[str, tuple[str, ...]]] = {
    "tech": {
        "US": ("Best Buy", "Amazon", "Target"),
        "GB": ("Currys", "Amazon", "Argos", "John Lewis"),
        "DE": ("MediaMarkt", "Amazon", "Saturn"),
        "ES": ("MediaMarkt", "Amazon", "PcComponentes"),
        "MX": ("Amazon", "Liverpool", "Mercado Libre"),
        "BR": ("Amazon", "Kabum", "Mercado Livre"),
        "": ("Amazon",),
    },
    # a monitor, a mini PC: not Argos nor Target (round 79's reader: the Dell U2723QE "Got mine
    # at Argos!")
    "computer": {
        "US": ("Best Buy", "Amazon", "B&H"),
        "GB": ("Currys", "Amazon", "Scan"),
        "DE": ("MediaMarkt", "Amazon", "Alternate"),
        "ES": ("PcComponentes", "Amazon", "MediaMarkt"),
        "MX": ("Amazon", "Mercado Libre", "Cyberpuerta"),
        "BR": ("Kabum", "Amazon", "Pichau"),
        "": ("Amazon",),
    },
    "beauty": {
        "US": ("Sephora", "Ulta", "Target"),
        "GB": ("Boots", "Sephora", "Superdrug"),
        "DE": ("Douglas", "dm", "Rossmann"),
        "ES": ("Druni", "Sephora", "Primor"),
        "MX": ("Sephora", "Liverpool"),
        "BR": ("Sephora", "Beleza na Web", "Época Cosméticos"),
        "": ("Sephora",),
    },
    "fitness": {
        "US": ("Amazon", "Dick's"),
        "GB": ("Amazon", "Decathlon"),
        "DE": ("Decathlon", "Amazon"),
        "ES": ("Decathlon", "Amazon"),
        "BR": ("Decathlon", "Centauro"),
        "": ("Decathlon", "Amazon"),
    },
    "drugstore": {
        "US": ("CVS", "Target", "Walgreens"),
        "GB": ("Boots", "Superdrug"),
        "DE": ("dm", "Rossmann"),
        "ES": ("Mercadona", "Primor"),
        "MX": ("Farmacias Guadalajara", "Walmart"),
        "BR": ("Drogasil", "Droga Raia"),
        "": ("dm", "Rossmann"),
    },
    "games": {"": ("Steam", "PlayStation Store")},
    # the Steam Deck: Valve's own store (round 52's reader: "on Amazon"; Komodo sells it in
    # Asia, round 54's)
    "valve": {"": ("Steam",)},
    "nintendo": {"": ("Nintendo eShop",)},
    "pc_switch": {"": ("Steam", "Nintendo eShop")},  # Hades II: not on PlayStation (round 35)
}


@dataclass(frozen=True, slots=True)
class FactSheet:
    """A post's facts: what it is about and what anyone who states a fact about it says."""

    subject: Subject
    price: str | None  # written in the account's currency: "$349", "349 €"
    store: str | None
    duration: int | None
    level: str | None
    works: tuple[tuple[str, bool], ...]
    gear: tuple[str, ...]
    swap: tuple[str, str] | None
    season: str | None
    stay: str | None
    aspects: tuple[str, ...]  # the ones this post features
    link_place: str  # description | pinned | bio
    chapters: tuple[str, ...]  # moments of a YouTube video ("4:12")
    asks: tuple[Fact, ...]  # what people may ask about it
    tags: frozenset[str] = frozenset()  # what a template may ask of it (sheet_tags)

    @property
    def kind(self) -> Kind:
        return self.subject.kind

    def chapter(self, aspect: str) -> str | None:
        """Where a video shows the aspect (its moment, "4:12"); None without chapters."""
        aspects = self.subject.aspects
        if not self.chapters or aspect not in aspects:
            return None
        return self.chapters[aspects.index(aspect) % len(self.chapters)]


def fact_sheet(profile: DemoProfile, post_id: str) -> FactSheet:
    # cached by what decides the sheet (a profile's own hash costs more than the sheet's key)
    return _sheet(
        _Account(profile.account_id, profile.seed, profile.platform.value, profile.persona,
                 profile.locale),
        post_id,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Account:
    """What of a profile its facts depend on."""

    account_id: object
    seed: int
    platform: str
    persona: Persona
    locale: str


@functools.lru_cache(maxsize=8192)
def _sheet(account: _Account, post_id: str) -> FactSheet:
    # the subject from the post's id alone: a tick finds it again from the stored row
    subjects = SUBJECTS[account.persona]
    digest = hashlib.sha256(f"{account.seed}:{post_id}".encode()).digest()
    subject = subjects[int.from_bytes(digest[:4], "big") % len(subjects)]
    facts = _account_facts(account, subject.key)
    rng = random.Random(f"{account.account_id}:{account.seed}:sheet:{post_id}")
    platform = account.platform
    # what the post covers; the rest of the subject's aspects it leaves out (and hears about)
    aspects = tuple(rng.sample(subject.aspects, k=max(1, len(subject.aspects) - 1)))
    places = facts_of(platform).link_places
    chapters: tuple[str, ...] = ()
    if facts_of(platform).chapters:
        length = rng.randint(8, 22)
        marks = sorted(rng.sample(range(20, length * 60), k=4))
        chapters = tuple(f"{m // 60}:{m % 60:02d}" for m in marks)
    sheet = FactSheet(
        subject=subject,
        price=facts.price,
        store=facts.store,
        duration=facts.duration,
        level=facts.level,
        works=facts.works,
        gear=subject.gear,
        swap=facts.swap,
        season=facts.season,
        stay=facts.stay,
        aspects=aspects,
        link_place=rng.choice(places),
        chapters=chapters,
        asks=facts.asks,
    )
    return dataclasses.replace(sheet, tags=sheet_tags(sheet, platform, account.persona.value))


@dataclass(frozen=True, slots=True)
class _AccountFacts:
    price: str | None
    store: str | None
    duration: int | None
    level: str | None
    works: tuple[tuple[str, bool], ...]
    swap: tuple[str, str] | None
    season: str | None
    stay: str | None
    asks: tuple[Fact, ...]


@functools.lru_cache(maxsize=4096)
def _account_facts(account: _Account, key: str) -> _AccountFacts:
    """The facts of a subject that hold on every post about it, drawn once per account."""
    subject = next(s for s in SUBJECTS[account.persona] if s.key == key)
    rng = random.Random(f"{account.account_id}:{account.seed}:facts:{subject.key}")
    country = account.locale.rpartition("_")[2].upper()
    price = None
    if subject.price:
        # (a look's products summed, a trip's day: a round sum, not "Uns R$ 119 tudo": round 72)
        shelf = subject.kind not in (Kind.LOOK, Kind.PLACE)
        price = _price(rng.uniform(*subject.price), country, shelf=shelf)
        listed = LIST_PRICES.get(subject.key, {}).get(country if country in CURRENCIES else "")
        if listed:
            price = rng.choice(listed)
    store = None
    if subject.stores:
        shops = STORES[subject.stores]
        store = rng.choice(shops.get(country, shops[""]))
    duration = None
    if subject.duration:
        low, high = subject.duration
        step = 1
        if subject.unit == "min" and high > 5:  # as people round them, not "dá 9 minutos, mais
            # ou menos" (round 72)
            step = 30 if low >= 60 else 5
            low = min(-(-low // step) * step, high)
        elif subject.measure == "beat" and high > 24:
            step = 5  # hours to beat a game, as people round them ("Ungefähr 83 Stunden": round 66)
        duration = rng.randrange(low, high + 1, step) if high > low else low
    works = tuple((w, ok if ok is not None else rng.random() < 0.6) for w, ok in subject.works)
    asks = [Fact.LINK]
    if price:
        asks.append(Fact.PRICE)
    if store:
        asks.append(Fact.WHERE)
    for fact, present in (
        (Fact.DURATION, duration and subject.key not in NAMED_DURATION),
        (Fact.LEVEL, subject.levels),
        (Fact.WORKS, works),
        (Fact.GEAR, subject.gear),
        (Fact.SWAP, subject.swaps),
        (Fact.SEASON, subject.seasons),
        (Fact.STAY, subject.stays),
    ):
        if present:
            asks.append(fact)
    return _AccountFacts(
        price=price,
        store=store,
        duration=duration,
        level=rng.choice(subject.levels) if subject.levels else None,
        works=works,
        swap=rng.choice(subject.swaps) if subject.swaps else None,
        season=rng.choice(subject.seasons) if subject.seasons else None,
        stay=rng.choice(subject.stays) if subject.stays else None,
        asks=tuple(asks),
    )


def _price(dollars: float, country: str, *, shelf: bool = True) -> str:
    """A shop's price in the country's currency: $349, £279, 319 €, R$ 1.799; or a sum as
    people round it: R$ 120, 45 €."""
    symbol, rate, first = CURRENCIES.get(country, CURRENCIES[""])
    amount = dollars * rate
    if not shelf:
        step = 100 if amount >= 1000 else 10 if amount >= 100 else 5
        whole = max(step, round(amount / step) * step)
    elif amount >= 1000:  # 1.199, never 1.179 (round 52's reader)
        whole = int(amount // 100 * 100 + 99)
    elif amount >= 100:
        whole = int(amount // 10 * 10 + 9)  # 349
    else:  # 59, as games and most things under a hundred are priced (round 66's reader: "64 €"
        # for Baldur's Gate 3)
        whole = int(amount) if amount < 20 else int(amount // 10 * 10 + 9)
    text = f"{whole:,}".replace(",", "," if first and symbol != "R$ " else ".")
    if shelf and amount < 20 and not first:
        text = f"{whole},99"
    elif shelf and amount < 20:
        text = f"{whole}.99"
    return f"{symbol}{text}" if first else f"{text} {symbol}"


def sheet_tags(sheet: FactSheet, platform: str, persona: str) -> frozenset[str]:
    """What a template may ask of a post: its platform, niche, kind, what its duration
    measures, whether it is evergreen, how hard it is."""
    subject = sheet.subject
    tags = {platform, persona, subject.kind.value, "evergreen" if subject.evergreen else "new"}
    tags.add(f"s_{subject.key}")  # a template for one subject only: [s_lip_combo|s_no_makeup]
    if subject.hair:
        tags.add("hair")
    if subject.gentle:
        tags.add("gentle")
    tags.add(f"link_{sheet.link_place}")
    tags.update(f"f_{fact.value}" for fact in sheet.asks)
    if subject.measure:
        tags |= {f"m_{subject.measure}", f"u_{subject.unit}"}
    if sheet.level:
        tags.add(f"level_{sheet.level}")
    return frozenset(tags)


# how people talk of an aspect: a way of doing it, that is shown and helps ("show how you do
# the warm-up", "helped me with the route"), or a thing felt, that is not explained, covered or
# helped with (round 38's readers: "show how you do the burn", "hat mir bei der Musik
# geholfen", "honest about the dodge timing"); the rest (a phone's camera, a city's museums,
# a serum's purging) are talked about, tested and praised for honesty
_HOW = (
    "form warmup rest_times progression structure intervals cooldown hips breathing stretches "
    "volume rest_days pace long_runs grip macros starter sear resting layers doneness chill_time "
    "sauce broth egg crust sugar_top garlic portions budget getting_around steps definition "
    "skips timing route aim crosshair agents phases dodge build_game redstone design lighting "
    "bosses puzzles"
)
_FELT = "burn intensity taste texture sweetness acidity spice freshness views glow scent music art"
# and what is bad in itself, that a post is honest about: not "the frizz didn't last an hour",
# "the purging was a letdown" (round 42)
_BAD = "frizz purging dryness white_cast fallout oxidizing crowds fan_noise"
ASPECT_TAGS: dict[str, frozenset[str]] = {
    **{f"a.{a}": frozenset({"a_how"}) for a in _HOW.split()},
    **{f"a.{a}": frozenset({"a_felt"}) for a in _FELT.split()},
    **{f"a.{a}": frozenset({"a_bad"}) for a in _BAD.split()},
}


def asked_of(sheet: FactSheet, fact: str, picks: Mapping[str, str]) -> str:
    """What a question asks of a post's subject, as a batch counts it: the fact, and the gear
    or what it works with that it names ("monitor:works:w.dev.ps5")."""
    return f"{sheet.subject.key}:{fact}:{picks.get('w') or picks.get('k') or ''}"


def askable(sheet: FactSheet) -> list[str]:
    """Everything a DM may ask of a post, as `asked_of` counts it: each fact but the link, with
    each piece of gear, each thing it works with, what works instead of what."""
    keys: list[str] = []
    for fact in sheet.asks:
        if fact is Fact.LINK:
            continue
        if fact is Fact.GEAR and sheet.gear:
            keys += [asked_of(sheet, fact, {"k": k}) for k in sheet.gear]
        elif fact is Fact.WORKS and sheet.works:
            keys += [asked_of(sheet, fact, {"w": works}) for works, _ in sheet.works]
        elif fact is Fact.SWAP and sheet.swap and sheet.swap[0] != "x":
            keys.append(asked_of(sheet, fact, {"k": sheet.swap[0]}))
        else:
            keys.append(asked_of(sheet, fact, {}))
    return keys


def pick_nouns(rng: random.Random, sheet: FactSheet, fact: str) -> tuple[dict[str, str], set[str]]:
    """The nouns something said about a post names (an aspect; for a question, the gear, what
    it works with or what works instead), and the tags they bring."""
    picks = {"a": rng.choice(sheet.aspects)}
    tags: set[str] = set()
    if fact == Fact.GEAR and sheet.gear:
        picks["k"] = rng.choice(sheet.gear)
    elif fact == Fact.SWAP and sheet.swap:
        instead_of, use = sheet.swap
        picks["s"] = use
        if instead_of == "x":
            tags.add("swap_x")
        else:
            picks["k"] = instead_of
            tags.add("swap_k")
    elif fact == Fact.WORKS and sheet.works:
        works, ok = rng.choice(sheet.works)
        picks["w"] = works
        tags |= {"yes" if ok else "no", f"w_{works.split('.')[1]}"}
    return picks, tags
