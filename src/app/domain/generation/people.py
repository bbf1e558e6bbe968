"""Who writes: names of the audience's generation (born ~1970-2010), handles in the styles
people pick, brand reps, spammers, and the account itself.

A handle and a display name are functions of the person's name alone (and the account's
niche, for hobby words): two people with the same name are the same person, and no handle
ever carries two display names. Digits end a handle for about a fifth of people.
"""

import bisect
import functools
import hashlib
import itertools
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence

from faker.providers.person.de_AT import Provider as _AustrianNames
from faker.providers.person.de_CH import Provider as _SwissNames
from faker.providers.person.de_DE import Provider as _GermanNames
from faker.providers.person.en_GB import Provider as _BritishNames
from faker.providers.person.en_US import Provider as _EnglishNames
from faker.providers.person.es_ES import Provider as _SpanishNames
from faker.providers.person.es_MX import Provider as _MexicanNames
from faker.providers.person.pt_BR import Provider as _BrazilianNames

from app.domain.demo import DemoProfile, Persona
from app.domain.inbox import Author

_WORDS = re.compile(r"[^a-z0-9]+")

# given names people born ~1970-2010 carry, the more common first
GIVEN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("Jessica", "Ashley", "Emily", "Sarah", "Samantha", "Amanda", "Jennifer", "Hannah",
         "Megan", "Elizabeth", "Lauren", "Taylor", "Madison", "Rachel", "Nicole", "Olivia",
         "Emma", "Stephanie", "Kayla", "Alexis", "Abigail", "Chloe", "Sophia", "Grace",
         "Brittany", "Natalie", "Victoria", "Amber", "Danielle", "Melissa", "Michelle", "Amy",
         "Rebecca", "Laura", "Katie", "Kelly", "Erin", "Alyssa", "Jasmine", "Morgan",
         "Sydney", "Ella", "Ava", "Mia", "Lily", "Zoe", "Maya", "Jenna", "Courtney",
         "Vanessa", "Haley", "Brianna", "Isabella", "Kimberly", "Andrea", "Christina",
         "Heather", "Tiffany", "Paige", "Leah"),
        ("Michael", "Christopher", "Matthew", "Joshua", "Andrew", "Daniel", "David", "James",
         "Ryan", "Justin", "Brandon", "Tyler", "Nicholas", "Jacob", "Anthony", "John",
         "Joseph", "Kevin", "Jonathan", "Eric", "Kyle", "Austin", "Zachary", "Ethan", "Noah",
         "Logan", "Dylan", "Aaron", "Adam", "Jason", "Brian", "Mark", "Steven", "Jeremy",
         "Sean", "Nathan", "Aiden", "Caleb", "Luke", "Jack", "Mason", "Liam", "Connor",
         "Evan", "Cody", "Marcus", "Jordan", "Derek", "Travis", "Chris", "Alex", "Sam", "Ben",
         "Jake", "Owen", "Lucas", "Hunter", "Trevor", "Devin", "Isaac"),
    ),
    "es": (
        ("Laura", "María", "Lucía", "Paula", "Marta", "Andrea", "Sara", "Cristina", "Elena",
         "Carmen", "Ana", "Alba", "Claudia", "Marina", "Raquel", "Irene", "Patricia",
         "Sandra", "Nerea", "Noelia", "Silvia", "Beatriz", "Julia", "Sofía", "Daniela",
         "Valeria", "Carla", "Natalia", "Rocío", "Lorena", "Mónica", "Ainhoa", "Alejandra",
         "Inés", "Lidia", "Mariana", "Gabriela", "Jimena", "Verónica", "Miriam",
         "Tamara", "Estefanía", "Celia", "Nuria", "Pilar", "Rebeca", "Begoña", "Judith"),
        ("Alejandro", "Daniel", "David", "Pablo", "Javier", "Sergio", "Carlos", "Adrián",
         "Álvaro", "Jorge", "Iván", "Rubén", "Diego", "Manuel", "Hugo", "Mario", "Raúl",
         "Alberto", "Víctor", "Marcos", "Miguel", "Antonio", "Francisco", "Juan", "Luis",
         "Óscar", "Iker", "Gonzalo", "Fernando", "Rodrigo", "Andrés", "Santiago", "Mateo",
         "Leonardo", "Eduardo", "Ricardo", "Héctor", "Nicolás", "Samuel", "Aitor", "Unai",
         "Emilio"),
    ),
    "pt": (
        ("Ana", "Juliana", "Fernanda", "Camila", "Amanda", "Bruna", "Beatriz", "Larissa",
         "Mariana", "Letícia", "Gabriela", "Jéssica", "Patrícia", "Aline", "Carolina",
         "Vanessa", "Natália", "Bianca", "Isabela", "Luana", "Júlia", "Yasmin", "Laura",
         "Manuela", "Giovanna", "Rafaela", "Thaís", "Priscila", "Renata", "Tatiane", "Débora",
         "Sabrina", "Lívia", "Luiza", "Alice", "Raquel", "Carla", "Michele", "Daniela",
         "Paula"),
        ("Lucas", "Gabriel", "Rafael", "Pedro", "Matheus", "Felipe", "Gustavo", "Bruno",
         "Thiago", "Leonardo", "Rodrigo", "Guilherme", "Diego", "Vinícius", "Fernando",
         "Eduardo", "Marcelo", "Daniel", "André", "Caio", "Igor", "João", "Vitor", "Henrique",
         "Leandro", "Renato", "Fábio", "Ricardo", "Arthur", "Davi", "Enzo", "Samuel",
         "Murilo", "Otávio", "Luan", "Alexandre", "Paulo", "Tiago", "Diogo", "Hugo"),
    ),
    "de": (
        ("Julia", "Laura", "Anna", "Lisa", "Sarah", "Lea", "Lena", "Hannah", "Katharina",
         "Sandra", "Nicole", "Stefanie", "Melanie", "Jennifer", "Christina", "Sabrina",
         "Jessica", "Nadine", "Kathrin", "Vanessa", "Jana", "Carina", "Franziska", "Johanna",
         "Marie", "Sophie", "Emily", "Mia", "Leonie", "Lara", "Nina", "Jasmin", "Vivien",
         "Tanja", "Anja", "Miriam", "Svenja", "Annika", "Janina", "Charlotte", "Emma",
         "Clara"),
        ("Lukas", "Leon", "Jonas", "Tim", "Jan", "Niklas", "Felix", "Daniel", "Michael",
         "Alexander", "Sebastian", "Florian", "Tobias", "Philipp", "Christian", "Stefan",
         "Thomas", "Markus", "Dennis", "Kevin", "Marcel", "Patrick", "Benjamin", "Maximilian",
         "Moritz", "Paul", "Finn", "Ben", "Noah", "Elias", "Luca", "David", "Julian", "Simon",
         "Fabian", "Dominik", "Matthias", "Sven", "Marco", "Nico", "Timo", "Jannik"),
    ),
}  # fmt: skip
FAMILY: dict[str, tuple[str, ...]] = {
    "es": ("García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
           "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
           "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres",
           "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina",
           "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz",
           "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano",
           "Guerrero", "Cano", "Prieto", "Méndez", "Cruz", "Flores", "Herrera", "Peña", "León",
           "Márquez", "Cabrera", "Vega", "Campos", "Reyes", "Aguilar", "Vargas", "Mendoza",
           "Rojas", "Calvo", "Pascual", "Soto", "Carrasco", "Fuentes"),
    "pt": ("Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
           "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes",
           "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade",
           "Moreira", "Nunes", "Marques", "Machado", "Mendes", "Freitas", "Cardoso", "Ramos",
           "Gonçalves", "Santana", "Teixeira", "Araújo", "Pinto", "Correia", "Monteiro",
           "Moura", "Campos", "Castro", "Cavalcanti", "Azevedo", "Batista", "Cunha", "Melo",
           "Borges", "Farias", "Prado"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
           "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
           "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
           "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer",
           "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
           "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
           "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
           "Ludwig", "Böhm", "Winter", "Kraus", "Schumacher", "Krämer", "Vogt", "Stein",
           "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas"),
}  # fmt: skip
# where a country names its children differently from the language's default
GIVEN_IN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "GB": (
        ("Emily", "Sophie", "Jessica", "Chloe", "Lucy", "Hannah", "Charlotte", "Ellie", "Amy",
         "Olivia", "Grace", "Katie", "Megan", "Lauren", "Holly", "Georgia", "Bethany", "Rebecca",
         "Laura", "Emma", "Amelia", "Isla", "Ruby", "Poppy", "Millie", "Freya", "Abbie",
         "Jade", "Zoe", "Danielle", "Gemma", "Kirsty", "Leanne", "Hayley", "Stacey", "Natalie"),
        ("Jack", "Thomas", "James", "Joshua", "Daniel", "Harry", "Samuel", "Joseph", "Matthew",
         "Callum", "Luke", "William", "Lewis", "Oliver", "Ryan", "Benjamin", "George", "Liam",
         "Jordan", "Adam", "Alex", "Connor", "Kieran", "Charlie", "Alfie", "Jake", "Owen",
         "Ben", "Tom", "Jamie", "Craig", "Gareth", "Lee", "Dean", "Ashley", "Nathan", "Ethan",
         "Reece", "Harvey", "Rhys", "Aaron", "Jacob", "Scott", "Stuart", "Ross", "Nathaniel",
         "Kyle", "Elliot", "Finley", "Rory", "Toby", "Max", "Archie", "Theo", "Mohammed",
         "Ali", "Ahmed"),
    ),
    # Spanish under an American account: Mexican and Mexican-American names, not Spain's
    # ("Nerea Expósito, Begoña Mas, Iker Castro" under a US fitness reel: round 38)
    "MX": (
        ("María", "Guadalupe", "Fernanda", "Daniela", "Valeria", "Andrea", "Mariana", "Sofía",
         "Ximena", "Camila", "Karla", "Alejandra", "Gabriela", "Paola", "Diana", "Adriana",
         "Karen", "Brenda", "Itzel", "Montserrat", "Regina", "Renata", "Araceli", "Verónica",
         "Claudia", "Leticia", "Yesenia", "Abril", "Jessica", "Vanessa"),
        ("José", "Luis", "Juan", "Carlos", "Jorge", "Miguel", "Alejandro", "Eduardo",
         "Fernando", "Ricardo", "Diego", "Jesús", "Francisco", "Daniel", "Roberto", "Héctor",
         "Omar", "Iván", "Emiliano", "Santiago", "Sebastián", "Mateo", "Leonardo", "Javier",
         "Arturo", "Raúl", "Óscar", "Erick", "Uriel", "Alan"),
    ),
}  # fmt: skip
# what people who carry a given name go by, and write their handle with: "chris.taylor",
# "javi_lopez", "gabi.souza", "basti.mueller" (round 55's skimmers: "firstname+surname,
# every one of them, like a name generator"; "christophertaylor", "stephaniegonzalez")
SHORT: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"Jessica": ("Jess",), "Ashley": ("Ash",), "Samantha": ("Sam",),
           "Amanda": ("Mandy",), "Jennifer": ("Jen", "Jenny"), "Elizabeth": ("Liz", "Beth"),
           "Megan": ("Meg",), "Rebecca": ("Becca", "Becky"), "Stephanie": ("Steph",),
           "Nicole": ("Nikki",), "Victoria": ("Tori",), "Natalie": ("Nat",),
           "Kimberly": ("Kim",), "Christina": ("Tina", "Chrissy"), "Abigail": ("Abby",),
           "Alexis": ("Lexi",), "Madison": ("Maddie",), "Melissa": ("Mel",),
           "Michelle": ("Shelly",), "Isabella": ("Bella", "Izzy"), "Olivia": ("Liv",),
           "Danielle": ("Dani",), "Brittany": ("Britt",), "Vanessa": ("Nessa",),
           "Katie": ("Kat",), "Jasmine": ("Jas",), "Alyssa": ("Aly",), "Brianna": ("Bri",),
           "Tiffany": ("Tiff",), "Emily": ("Em",), "Bethany": ("Beth",), "Gemma": ("Gem",),
           "Sophie": ("Soph",), "Charlotte": ("Lottie",),
           "Michael": ("Mike",), "Christopher": ("Chris",), "Matthew": ("Matt",),
           "Joshua": ("Josh",), "Andrew": ("Andy", "Drew"), "Daniel": ("Dan", "Danny"),
           "David": ("Dave",), "James": ("Jamie",), "Nicholas": ("Nick",), "Jacob": ("Jake",),
           "Anthony": ("Tony",), "Joseph": ("Joe",), "Jonathan": ("Jon",), "Zachary": ("Zach",),
           "Benjamin": ("Ben",), "Samuel": ("Sam",), "Nathan": ("Nate",), "Steven": ("Steve",),
           "Thomas": ("Tom",), "William": ("Will",), "Nathaniel": ("Nate",), "Tyler": ("Ty",),
           "Oliver": ("Ollie",), "Callum": ("Cal",), "Stuart": ("Stu",), "Gareth": ("Gaz",),
           "Mohammed": ("Mo",), "Alexander": ("Alex",)},
    "es": {"María": ("Mari",), "Cristina": ("Cris",), "Patricia": ("Patri",),
           "Beatriz": ("Bea",), "Alejandra": ("Ale",), "Verónica": ("Vero",),
           "Mónica": ("Moni",), "Gabriela": ("Gabi", "Gaby"), "Natalia": ("Nati",),
           "Daniela": ("Dani",), "Lorena": ("Lore",), "Noelia": ("Noe",), "Valeria": ("Vale",),
           "Jimena": ("Jime",), "Estefanía": ("Estefi",), "Sofía": ("Sofi",),
           "Rebeca": ("Rebe",), "Pilar": ("Pili",), "Miriam": ("Miri",), "Begoña": ("Bego",),
           "Claudia": ("Clau",), "Guadalupe": ("Lupita", "Lupe"), "Fernanda": ("Fer",),
           "Ximena": ("Xime",), "Montserrat": ("Montse",), "Leticia": ("Lety",),
           "Alejandro": ("Álex", "Ale"), "Daniel": ("Dani",), "Javier": ("Javi",),
           "Francisco": ("Fran", "Paco"), "Manuel": ("Manu",), "Santiago": ("Santi",),
           "Rodrigo": ("Rodri",), "Nicolás": ("Nico",), "Eduardo": ("Edu", "Lalo"),
           "Fernando": ("Fer", "Nando"), "Adrián": ("Adri",), "Gonzalo": ("Gonza",),
           "Sebastián": ("Sebas",), "Samuel": ("Samu",), "Leonardo": ("Leo",),
           "José": ("Pepe",), "Jesús": ("Chuy",), "Roberto": ("Beto",), "Emiliano": ("Emi",)},
    "pt": {"Juliana": ("Ju",), "Fernanda": ("Fer", "Nanda"), "Camila": ("Cami", "Mila"),
           "Gabriela": ("Gabi",), "Beatriz": ("Bia",), "Larissa": ("Lari",),
           "Mariana": ("Mari",), "Letícia": ("Lelê",), "Patrícia": ("Pati",),
           "Carolina": ("Carol",), "Natália": ("Nati",), "Isabela": ("Isa", "Bela"),
           "Rafaela": ("Rafa",), "Giovanna": ("Gi", "Gio"), "Daniela": ("Dani",),
           "Luiza": ("Lu",), "Bruna": ("Bru",), "Manuela": ("Manu",), "Priscila": ("Pri",),
           "Tatiane": ("Tati",), "Júlia": ("Ju", "Juju"), "Raquel": ("Quel",),
           "Lívia": ("Livi",), "Rafael": ("Rafa",), "Gabriel": ("Biel",), "Guilherme": ("Gui",),
           "Leonardo": ("Leo",), "Rodrigo": ("Digo",), "Vinícius": ("Vini",),
           "Eduardo": ("Dudu", "Edu"), "Fernando": ("Nando",), "Felipe": ("Lipe",),
           "Gustavo": ("Guga", "Gu"), "Thiago": ("Thi",), "Daniel": ("Dani",),
           "Vitor": ("Vitinho",), "Ricardo": ("Rick",), "Fábio": ("Fabinho",),
           "Samuel": ("Samu",)},
    "de": {"Katharina": ("Kathi",), "Stefanie": ("Steffi",), "Christina": ("Chrissi", "Tina"),
           "Franziska": ("Franzi",), "Johanna": ("Jojo", "Hanna"), "Jennifer": ("Jenny",),
           "Nicole": ("Nici",), "Melanie": ("Meli", "Mel"), "Kathrin": ("Kathi",),
           "Julia": ("Jule", "Juli"), "Annika": ("Anni",), "Charlotte": ("Lotte",),
           "Jasmin": ("Jassi",), "Miriam": ("Miri",), "Sandra": ("Sandy",),
           "Jessica": ("Jessi",), "Lena": ("Leni",), "Vivien": ("Vivi",),
           "Sebastian": ("Basti",), "Florian": ("Flo",), "Tobias": ("Tobi",),
           "Philipp": ("Phil",), "Christian": ("Chris",), "Maximilian": ("Max",),
           "Dominik": ("Domi",), "Matthias": ("Matze",), "Alexander": ("Alex",),
           "Fabian": ("Fabi",), "Benjamin": ("Benni",), "Michael": ("Micha", "Michi"),
           "Daniel": ("Dani",), "Thomas": ("Tom", "Tommy"), "Niklas": ("Nik",)},
}  # fmt: skip
SHORT_SHARE = 0.45  # of people whose name has a short form: who go by it
# (en) middle names a handle spells out: "emily.rose", "jessicalynn", "jake.michael"
MIDDLE = (("rose", "marie", "ann", "grace", "lynn", "jane", "louise", "mae", "nicole"),
          ("james", "lee", "ray", "john", "michael", "alan"))  # fmt: skip
# of a TikTok audience: who kept the handle the app gave them ("user7402913856")
TIKTOK_DEFAULT = 0.06
FAMILY_IN: dict[str, tuple[str, ...]] = {
    "MX": ("Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
           "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes",
           "Jiménez", "Torres", "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz",
           "Moreno", "Castillo", "Romero", "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez",
           "Ramos", "Domínguez", "Herrera", "Medina", "Castro", "Vargas", "Guzmán", "Velázquez",
           "Rojas", "Contreras", "Salazar", "Luna", "Ortega", "Guerrero", "Estrada", "Bautista",
           "Cervantes", "Cortés", "Navarro"),
    "GB": ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
           "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
           "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips",
           "Mason", "Mitchell", "Rose", "Davis", "Rodgers", "Hughes", "Edwards", "Turner",
           "Harris", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee",
           "King", "Baker", "Harrison", "Morgan", "Allen", "Scott", "Watson", "Young"),
}  # fmt: skip
# hobby words in handles, by niche: "mayalifts", "cooking.with.leo" (none of them a surname:
# "michaelstrong" would be Michael Strong's handle too)
HOBBY: dict[Persona, tuple[str, ...]] = {
    Persona.TECH_REVIEWS: ("tech", "codes", "builds", "bytes", "setup", "gadgets"),
    Persona.FITNESS: ("lifts", "runs", "fit", "moves", "trains", "gains"),
    Persona.COOKING: ("cooks", "bakes", "eats", "kitchen", "foodie", "bites"),
    Persona.TRAVEL: ("travels", "roams", "wanders", "abroad", "trips", "goes"),
    Persona.BEAUTY: ("glow", "beauty", "glam", "skin", "makeup", "looks"),
    Persona.GAMING: ("plays", "gg", "games", "clips", "lvl", "fps"),
}
# and in the words of a language other than English ("claudia.bakes", "raquel_eats" under a
# Spanish channel: round 45)
HOBBY_IN: dict[str, dict[Persona, tuple[str, ...]]] = {
    "es": {Persona.TECH_REVIEWS: ("tech", "setup", "gamer"),
           Persona.FITNESS: ("fit", "gym", "runner"),
           Persona.COOKING: ("cocina", "recetas", "foodie"),
           Persona.TRAVEL: ("viajes", "travel", "mundo"),
           Persona.BEAUTY: ("makeup", "beauty", "glow"),
           Persona.GAMING: ("gamer", "gg", "games")},
    "pt": {Persona.TECH_REVIEWS: ("tech", "setup", "games"),
           Persona.FITNESS: ("fit", "treino", "run"),
           Persona.COOKING: ("cozinha", "receitas", "foodie"),
           Persona.TRAVEL: ("viagens", "trip", "mundo"),
           Persona.BEAUTY: ("make", "beauty", "skin"),
           Persona.GAMING: ("gamer", "gg", "games")},
    "de": {Persona.TECH_REVIEWS: ("tech", "setup", "bytes"),
           Persona.FITNESS: ("fit", "gym", "runs"),
           Persona.COOKING: ("kocht", "backt", "kitchen"),
           Persona.TRAVEL: ("reist", "unterwegs", "travels"),
           Persona.BEAUTY: ("beauty", "glow", "makeup"),
           Persona.GAMING: ("zockt", "gg", "gaming")},
}  # fmt: skip
# the account itself, by niche: "leo.cooks", "techwithmaya"
# (styles no fan's handle takes: the account is never mistaken for one of its fans)
CREATOR_STYLES = ("{h}with{f}", "the{f}{h}", "{f}.{n}.{h}", "{f}{h}studio", "{h}by{f}")
BRANDS: dict[Persona, tuple[str, ...]] = {
    Persona.TECH_REVIEWS: ("Orbit Gear", "Lumen Audio", "Brightside Labs", "Nimbus", "Keystone",
                           "Halcyon Devices", "Parallax", "Vantage Mobile", "Quillbyte",
                           "Everloop", "Monolith Desks", "Sparkwire"),
    Persona.FITNESS: ("Peakform", "Ironleaf Nutrition", "Stride Lab", "Tidewell Active",
                      "Grit & Grain", "Kinetic Threads", "Oakhaven Supplements", "Pulsewear",
                      "Summit Mats", "Brawn Bottle Co", "Liftline", "Northstar Fitness"),
    Persona.COOKING: ("Kettle & Co", "Copperleaf", "Saltwater Pantry", "Maple Supply",
                      "Hearthstone Pans", "Olive Grove Provisions", "Larder Lane", "Brightknife",
                      "Fennel & Fig", "Cast & Crumb", "Stonemill Flour", "Juniper Spice Co"),
    Persona.TRAVEL: ("Northwind Travel", "Wayfarer Packs", "Tidewell", "Fablecraft Luggage",
                     "Compass Rose Stays", "Driftline", "Atlas & Oak", "Roamwell Insurance",
                     "Harbourlight Hotels", "Trailmark", "Skyward eSIM", "Meridian Rail Passes"),
    Persona.BEAUTY: ("Lumière Skin", "Maple & Rose", "Fablecraft Beauty", "Velour Lab",
                     "Petal & Pine", "Dewdrop Studio", "Saffron Glow", "Bare Botanica", "Opaline",
                     "Honeyed Hue", "Silk Theory", "Moonmilk Skincare"),
    Persona.GAMING: ("PixelForge", "Orbit Controllers", "Nimbus Gaming", "Lumen Audio",
                     "Respawn Seating", "Hexgrid Peripherals", "Critbox", "Lowping Networks",
                     "Arcvault", "Questline Energy", "Glyph Keyboards", "Neonfall Headsets"),
}  # fmt: skip
# and brands of the audience's own country, that pitch a Spanish, German or Brazilian account
# most (round 72's reader: "Kettle & Co" and "Saltwater Pantry", English names pitching a
# Madrid channel)
LOCAL_BRANDS: dict[str, dict[Persona, tuple[str, ...]]] = {
    "es": {
        Persona.TECH_REVIEWS: ("Voltia", "Nubo Tech", "Rayo Audio", "Cumbre Digital",
                               "Brisa Móvil"),
        Persona.FITNESS: ("Fuerza Viva", "Ritmo Activo", "Nutrimonte", "Sendero Sport",
                          "Alba Fit"),
        Persona.COOKING: ("La Alacena", "Sal de Roca", "Olivar del Sur", "Harinas Molinera",
                          "Especias Azahar"),
        Persona.TRAVEL: ("Rumbo Viajes", "Mochilas Brújula", "Estancias Mar", "Vía Libre Seguros",
                         "Horizonte eSIM"),
        Persona.BEAUTY: ("Lirio Cosmética", "Piel de Almendra", "Rocío Skin", "Azahar Beauty",
                         "Marea Cosmetics"),
        Persona.GAMING: ("Píxel Ibérico", "Sillas Trono", "Nivel Extra", "Mando Rayo",
                         "Cascos Eco"),
    },
    "de": {
        Persona.TECH_REVIEWS: ("Funkwerk Audio", "Nordlicht Devices", "Kabelwerk", "Tischmeister",
                               "Schaltbar"),
        Persona.FITNESS: ("Eisenherz Sport", "Gipfelform", "Eichenkraft Supplements",
                          "Sprungfeder Active", "Laufwerk"),
        Persona.COOKING: ("Pfannenglück", "Mühlenhof Mehl", "Gewürzkontor Nord", "Küchenliebe",
                          "Backstube Berg"),
        Persona.TRAVEL: ("Fernweh Reisen", "Rucksackwerk", "Bahnblick Tickets",
                         "Heimathafen Hotels", "Weitblick Versicherung"),
        Persona.BEAUTY: ("Hautnah Kosmetik", "Blütenzart", "Klarhaut", "Seidenglanz",
                         "Morgentau Skin"),
        Persona.GAMING: ("Zockerthron", "Pixelwerk", "Lautlos Headsets", "Tastenheld",
                         "Levelfunk"),
    },
    "pt": {
        Persona.TECH_REVIEWS: ("Faísca Tech", "Onda Áudio", "Nuvem Móvel", "Conecta Mais",
                               "Bit Brasil"),
        Persona.FITNESS: ("Força Viva", "Pulso Fit", "Suplementos Cerrado", "Passo Firme",
                          "Garra Wear"),
        Persona.COOKING: ("Empório Sabiá", "Farinha Boa", "Cozinha Ipê", "Sal Grosso & Cia",
                          "Panela de Barro"),
        Persona.TRAVEL: ("Rota Viagens", "Mochilas Trilha", "Pousadas Maré", "Seguro Bússola",
                         "Chip Viajante"),
        Persona.BEAUTY: ("Flor de Jambo", "Pele de Seda", "Aurora Cosméticos", "Orvalho Skin",
                         "Bela Raiz"),
        Persona.GAMING: ("Cadeiras Trono", "Pixel Tupi", "Fone Arena", "Mira Certa",
                         "Controle Forte"),
    },
}  # fmt: skip
LOCAL_BRAND_SHARE = 0.7  # of the pitches an account in those languages gets
REP_SUFFIXES = ("collabs", "partners", "team", "creators", "official")
# words people make a handle of, in any language: "cozy.emma", "foxdaniel", "sleepypanda02"
# (round 11's readers took "softnoodle00", "tinywave97" for a template: a word, a word, two
# digits; words now go with a name only, from a longer list)
WORDS = (("cozy", "sunny", "lazy", "tiny", "comfy", "dreamy", "chill", "sleepy", "salty", "spicy",
          "happy", "moody", "silly", "lucky", "quiet", "soft", "little", "wild", "big", "mellow",
          "golden", "misty", "bright", "velvet", "early", "late", "rosy", "wavy", "cosmic",
          "indie", "retro", "nerdy"),
         ("fox", "bean", "cloud", "panda", "peach", "mango", "koala", "moon", "star", "bee", "cat",
          "noodle", "pixel", "wave", "bear", "berry", "rose", "sky", "coffee", "tea", "snow",
          "sun", "bird", "lemon", "olive", "honey", "bloom", "storm", "river", "leaf", "wolf",
          "owl"))  # fmt: skip
# spam accounts: throwaway pages, "mentors", promoters and impersonators (any pitch fits them)
SPAM_WORDS = (("deals", "promo", "official", "lucky", "real", "best", "smart", "grow"),
              ("hub", "club", "daily", "team", "zone", "now", "world", "page"))  # fmt: skip
_COMMON_LAST = tuple(_EnglishNames.last_names)[:40]
SPAM_ROLES = ("fx", "trades", "invests", "crypto", "mentor", "coach", "wealth", "mindset",
              "income", "success", "btc", "signals")  # fmt: skip
SPAM_PAGES = ("promote.it", "shoutout", "viral.boost", "collab.promo", "feature.page",
              "giveaway.center", "growth.agency", "clips.promo")  # fmt: skip


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                         "ß": "ss"})  # fmt: skip


def ascii_words(name: str) -> list[str]:
    """A name's words as a handle spells them: 'José Núñez' is 'jose', 'nunez'; 'Müller' is
    'mueller', as Germans write it."""
    plain = unicodedata.normalize("NFKD", name.translate(UMLAUTS))
    plain = plain.encode("ascii", "ignore").decode().lower()
    return [w for w in _WORDS.split(plain) if w]


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


PARTICLES = frozenset(("da", "das", "de", "do", "dos", "del", "la", "von", "van", "der", "zu"))


def _nickname(f: str, hobbies: Sequence[str], h: int) -> tuple[str, bool]:
    """A handle that is not a name, a gamer tag: "frostviper", "sneaky_nugget", "dennis_zockt"
    (two cute words are not one: "softnoodle00" read as a template to round 11's readers);
    and whether it says the first name."""
    first, second = GAMER_WORDS
    a, b = first[h % len(first)], second[(h // len(first)) % len(second)]
    h //= len(first) * len(second)
    nn = (7, 9, 13, 17, 21, 23, 33, 42, 47, 69, 77, 88, 99, 187, 404, 1337)[h % 16]
    h //= 16
    hobby = hobbies[h % len(hobbies)]
    h //= len(hobbies)
    # (one form of a name and a hobby: 25 "…zockt" and "…gaming" in one German inbox, round 54)
    named = (f"{f}_{hobby}",)
    # (one in twenty "xfrostninjax": seven of them in one German channel, round 46)
    nameless = (f"{a}{b}", f"{a}_{b}", f"{a}{b}{nn}", f"{a}{b}_", f"{a}.{b}", f"{b}{nn}",
                f"the{a}{b}", f"{a}{b}", f"{a}_{b}{nn}", f"x{a}{b}x")  # fmt: skip
    form = h % (len(named) + len(nameless))
    return (named[form], True) if form < len(named) else (nameless[form - len(named)], False)


# handles that are not a name, by niche (round 45's readers: "real YouTube handles are far
# more often gamer tags", "far more joke handles" under a tech TikTok): a share of people
# (round 46's readers counted the words of a smaller list: "frost_sniper, frost_dragon,
# frost_goblin…"; 0.35 and 0.15 before)
NICKNAMES = {Persona.GAMING: 0.25, Persona.TECH_REVIEWS: 0.05}
# (none of `WORDS`'s adjectives: "lazypanda" is two stock words)
GAMER_WORDS = (("shadow", "frost", "night", "ghost", "toxic", "blaze", "dark", "silent", "crazy",
                "iron", "dead", "cyber", "neon", "void", "lost", "hyper", "turbo", "grim", "red",
                "sly", "rogue", "mad", "lone", "steel", "chaos", "savage", "sneaky", "angry",
                "epic", "nova", "ultra", "feral", "rusty", "frozen", "broken", "atomic", "wicked",
                "swift", "rapid", "royal", "lunar", "solar", "crimson", "arctic", "static",
                "phantom", "primal", "rabid", "clumsy", "grumpy", "soggy", "hollow", "stormy",
                "mystic", "quantum", "brave", "giant", "blind", "cursed"),
               ("wolf", "fox", "hunter", "reaper", "sniper", "ninja", "dragon", "knight", "viper",
                "rider", "slayer", "beast", "raven", "tiger", "bandit", "spirit", "bear",
                "samurai", "walker", "falcon", "phoenix", "potato", "toast", "goose", "cobra",
                "shark", "mage", "sloth", "llama", "penguin", "pickle", "nugget", "muffin",
                "taco", "gremlin", "yeti", "badger", "otter", "hawk", "moose", "kraken", "golem",
                "goblin", "wizard", "pirate", "cowboy", "monk", "titan", "duck", "frog", "cactus",
                "waffle", "burrito", "pretzel", "bagel", "walrus", "lynx", "jackal", "hornet",
                "mantis", "warden", "outlaw", "ronin", "wraith", "banshee"))  # fmt: skip
# a gamer tag's words, as a batch keeps them to one tag each (round 52's reader: "frozen",
# "slayer", "samurai", "broken" and "rider" in two or three tags of one inbox)
GAMER_WORD = re.compile("|".join(sorted({*GAMER_WORDS[0], *GAMER_WORDS[1]}, key=len, reverse=True)))


# what a name cut short must not spell, in the languages the audiences speak
RUDE = frozenset(
    ("anal", "anus", "penis", "pene", "pinto", "puta", "caca", "merda", "shit", "porn", "sexy",
     "fick", "arsch", "kacke", "nazi", "bunda", "culo", "teta", "tits", "boob",
     "cock", "cum", "piss", "poop", "sex")
)  # fmt: skip


@functools.lru_cache(maxsize=65536)
def person(
    first: str,
    last: str,
    persona: Persona,
    swapped: bool = False,
    language: str = "en",
    platform: str = "",
) -> Author:
    """The handle and display name of someone called first last who writes in a language on a
    platform: a function of the name (`swapped`: asked of the name turned round, to keep two
    people off one handle)."""
    given = first
    short = _digest(first, last, persona.value, "short")
    shorts = SHORT.get(language, {}).get(first)
    if shorts and not swapped and short % 1000 < 1000 * SHORT_SHARE:
        # (the name they go by: "Chris Taylor", "chris.taylor", as they show it themselves)
        first = shorts[(short // 1000) % len(shorts)]
    f = "".join(ascii_words(first)) or "fan"
    # a surname's particles left out, as people leave them out ("fernanda.paz", not
    # "fernanda.dapaz": round 47's reader counted "dapaz", "damata", "dacunha", "dacosta")
    n = "".join(w for w in ascii_words(last) if w not in PARTICLES) or "".join(ascii_words(last))
    n = n or "x"
    h = _digest(first, last, persona.value)
    style, h = h % 100, h // 100
    # a year of birth of the audience's generation, mostly the 1990s and 2000s
    year = (1988, 1990, 1993, 1995, 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2004)[h % 12]
    h //= 12
    hobbies = HOBBY_IN.get(language, {}).get(persona) or HOBBY[persona]
    hobby = hobbies[h % len(hobbies)]
    h //= len(hobbies)
    # a display that shows less than the name shows it as the handle does, without accents:
    # "Jéssica M." and "Jessica M." would be two people behind one handle
    plain_first = _plain(first)
    nick = _digest(given, last, persona.value, "nick")
    if not swapped and nick % 1000 < 1000 * NICKNAMES.get(persona, 0.0):
        # (a tag without the name is its display too: one tag, one person, whoever drew it)
        tag, named = _nickname(f, hobbies, nick // 1000)
        return Author(handle=tag, display_name=plain_first if named else tag)
    if platform == "tiktok" and not swapped and (nick // 7) % 1000 < 1000 * TIKTOK_DEFAULT:
        return Author(handle=f"user{nick % 10**10:010d}", display_name=plain_first)
    initial = f"{plain_first} {_plain(last)[:1].upper()}."  # ("da Silva": "Ana D.")
    word = (WORDS[0][h % len(WORDS[0])], WORDS[1][(h // 32) % len(WORDS[1])])
    h //= 1024
    # (round 22's readers still named "first name + surname + year" as a tell: a third of
    # handles carried digits, nearly all of them a year; a fifth do now, and more people go by
    # a first name with an initial, a hobby or a word of their own; round 25's readers named a
    # cute word and a name ("velvet_jake", "lemonsarah": 9%), a name and three digits and the
    # surname first with a year as lists' output: 3%, 1% and 1% now, the rest in forms people
    # take when their name is taken: a middle initial, a letter doubled, the surname's initial)
    middle = "abcdefghjklmnprstw"[h % 18]
    # (every round's readers since round 60: "handles are first name plus surname", four in
    # five of them were; a little over half are now, the rest a first name with an initial,
    # a hobby, a word, a year or dressed up)
    if style < 12:
        handle, display = f"{f}{n}", None
    elif style < 20:
        handle, display = f"{f}.{n}", None
    elif style < 24:
        handle, display = f"{f}_{n}", None
    elif style < 26:
        handle, display = f"{n}.{f}", None
    elif style < 40:  # first name and an initial
        handle = (f"{f}{n[0]}", f"{f}.{n[0]}", f"{f}_{n[0]}")[h % 3]
        display = initial
    elif style < 46:  # hobby words (7% until round 27's reader counted "-builds", "-codes")
        handle = (f"{f}{hobby}", f"{f}.{hobby}", f"{f}_{hobby}")[h % 3]
        display = plain_first
    elif style < 50:
        handle, display = f"{f}{n}_", None
    elif style < 52:  # ("its" in English: "itsrodrigog" under a Spanish channel, round 45)
        handle, display = (f"its{f}{n[0]}" if language == "en" else f"{f}.{n[0]}"), initial
    elif style < 55 and language == "en":  # a word of one's own: "cozy.emma", "foxdaniel"
        # (English words, of English speakers: "salty.leticia", "quiet_pedro" under a Brazilian
        # account read as a formula, round 58)
        adj, noun = word
        # (no form a name takes: "ella.fox" and "ellafox" are Ella Fox's; 3% until round 27's
        # readers met "golden.caio", "wavymariana", "early_isabela" in one Brazilian inbox)
        handle = (f"{adj}{f}", f"{adj}.{f}", f"{noun}{f}", f"{adj}_{f}", f"{f}_{noun}_")[h % 5]
        display = plain_first
    elif style < 58:  # a first name and two initials: "sarah.jm", "lucasrf"
        handle = (f"{f}.{middle}{n[0]}", f"{f}{middle}{n[0]}", f"{f}_{middle}{n[0]}")[h % 3]
        if f"{middle}{n[0]}" in SPAM_ROLES:  # ("mari_fx" is a forex "mentor")
            handle = f"{f}.{n[0]}"
        display = initial
    elif style < 62 and language == "en":  # a middle initial: "sarah.j.miller" (in English:
        # "jannikmtrupp", "thomastlustek" read as a fake-data library's to round 81's reader)
        handle, display = (f"{f}.{middle}.{n}", f"{f}{middle}{n}")[h % 2], None
    elif style < 62:
        handle, display = (f"{f}.{n[0]}", f"{f}{n[0]}")[h % 2], initial
    elif style < 63:  # the last letter doubled, a name taken: "emmaa.k", "danielll_" (3%
        # with "kathrinnschaefer" until round 36's reader: "mutated names")
        handle = (f"{f}{f[-1]}.{n[0]}", f"{f}{f[-1] * 2}_")[h % 2]
        display = (initial, plain_first)[h % 2]
    elif style < 66:  # the surname and an initial, as a work account: "millerj", "j.miller"
        # (the surname first in English only: "cunhar", "rochaa" spell words in Portuguese)
        handle = (f"{n}{f[0]}" if language == "en" else f"{f[0]}_{n}", f"{f[0]}.{n}", f"{f[0]}{n}")[
            h % 3
        ]
        display = f"{f[0].upper()}. {last}"  # (as the handle shows it: "J. Miller")
    elif style < 70 and language == "en":  # a middle name: "emily.rose", "jakemichael"
        middles = MIDDLE[0] if _plain(given).lower() in _women_and_men("en")[0] else MIDDLE[1]
        handle = (f"{f}.{middles[h % len(middles)]}", f"{f}{middles[h % len(middles)]}")[h % 2]
        display = f"{plain_first} {middles[h % len(middles)].title()}"
    elif style < 72:  # a first name dressed up: "_sarah_", "sarah__" (and in English "sarahxo")
        handle = (f"_{f}_", f"{f}__", f"{f}xo")[h % (3 if language == "en" else 2)]
        display = plain_first
    elif style < 76:  # dressed up: "_sarah.miller", "sarah.miller." (and in English, now and
        # then "the.real.sarah": three in one Brazilian inbox, round 56)
        forms = (f"_{f}.{n}", f"{f}.{n}.", f"_{f}{n}_", f"the.real.{f}")
        form = h % (4 if language == "en" and h % 3 == 0 else 3)
        handle = forms[form]
        display = None if form < 3 else plain_first
    elif style < 78:
        handle, display = f"{f}.{n}", None
    elif style < 80:  # and from here on, digits: about a fifth of people
        # a first name and a year: "sarah98", "lucas_2001" (5% till round 79's reader met
        # "yasmin2001", "michele2001", "juliana01", "thais1998" in one post)
        handle = (f"{f}{year % 100:02d}", f"{f}_{year % 100:02d}", f"{f}{year}")[h % 3]
        display = plain_first
    elif style < 89:
        handle, display = f"{f}{n}{year % 100:02d}", None
    elif style < 94:
        handle, display = f"{f}.{n}{year % 100:02d}", None
    elif style < 95:
        handle, display = f"{f}{n}{h % 900 + 100}", None
    elif style < 96:  # the surname first, and a year: "smith.john92"
        handle, display = f"{n}.{f}{year % 100:02d}", None
    else:
        handle, display = f"{f}{n[0]}_{year}", initial
    if re.sub(r"[\W\d_]", "", handle) in RUDE:  # Ana L.'s "anal" (round 66's reader)
        handle = f"{f}.{n}"
    if (
        handle.startswith(f"{n}.{f}")
        and not swapped
        and person(last, first, persona, True, language, platform).handle == handle
    ):
        # Michael Joseph's surname first is Joseph Michael's handle ("joseph.michael")
        handle += "_"
    if display is None:  # the full name, mostly as written
        look = (h // 7) % 10
        display = f"{first} {last}" if look < 8 else f"{first} {last}".lower()
    # "Sofía García" is not "Sofia Garcia", nor "Sarah Müller" "Sarah Mueller", whose handle
    # hers would otherwise be (nor "A. Martínez" "A. Martinez": round 46)
    for plain in (
        (_plain(given), _plain(last)),
        (given.translate(UMLAUTS), last.translate(UMLAUTS)),
    ):
        if (given, last) != plain and person(
            *plain, persona, False, language, platform
        ).handle == handle:
            handle += "_" if not handle.endswith("_") else "x"
            break
    return Author(handle=handle, display_name=display)


def _plain(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


# how flat surnames fall off: the n-th is drawn as 1 / (n + this) (8 before: round 16's readers
# counted six Müllers, five Schmidts and eight Garcías in three posts)
SURNAME_TAIL = 20
# Faker's Mexican surnames that are misspelt or no one's ("jorgegollum", this session's own
# reading)
_NOT_MEXICAN_TAIL = ("Gollum", "Garica", "Hernádez", "Hernandes", "Jimínez", "Rodrígez",
                     "Rodríquez", "de la Crúz", "Cervántez", "Bétancourt", "Benavídez",
                     "Sanches", "Peres")  # fmt: skip
# a country's long tail of surnames, after its most common ones (Faker's, by frequency)
FAMILY_TAIL_IN: dict[str, Mapping[str, float]] = {
    "GB": _BritishNames.last_names,
    "MX": dict.fromkeys((n for n in _MexicanNames.last_names if n not in _NOT_MEXICAN_TAIL), 1.0),
}
_NOT_BRAZILIAN_TAIL = ("Aparecida", "Costela", "Casa Grande", "Cassiano", "Pastor", "Cirino")
BRAZILIAN_TAIL = ("Reis", "Tavares", "Miranda", "Xavier", "Guimarães", "Bezerra", "Lacerda",
                  "Coelho", "Queiroz", "Leite", "Matos", "Aguiar", "Medeiros", "Chaves", "Paiva",
                  "Amaral", "Cordeiro", "Brandão", "Assis", "Bastos", "Magalhães", "Neves",
                  "Figueiredo", "Rangel", "Toledo", "Dantas", "Portela", "Vidal", "Bueno",
                  "Fagundes", "Meireles", "Galvão", "Saraiva", "Valente", "Barreto", "Cabral",
                  "Esteves", "Falcão", "Godoy", "Jardim", "Lins", "Lobo", "Maia", "Nóbrega",
                  "Pedrosa", "Sarmento", "Serra", "Simões", "Torres", "Veloso", "Rossi",
                  "Ferrari", "Romano", "Bianchi", "Colombo", "Tanaka", "Yamamoto", "Nakamura",
                  "Sato", "Batista")  # fmt: skip
# and a language's (Faker's, equally likely; round 23's reader counted six Freitas in three
# posts): all but given names Faker lists among them
FAMILY_TAIL: dict[str, Sequence[str]] = {
    "es": _SpanishNames.last_names,
    # (nor "Costela", a rib to a Brazilian reader: "jessica.costela97", round 38; Faker's 54
    # beyond the common ones each as likely as Souza till round 45, whose reader counted six
    # "daluz" and six "caldeira" handles: as many again of Brazil's, and none of the rarest)
    "pt": (
        *(n for n in _BrazilianNames.last_names if n not in _NOT_BRAZILIAN_TAIL),
        *BRAZILIAN_TAIL,
    ),
    # (and Austria's and Switzerland's: round 48's reader met two Eigenwilligs, two
    # Hölzenbechers, three Briemers in one channel; 404 names before)
    "de": (*_GermanNames.last_names, *_AustrianNames.last_names, *_SwissNames.last_names),
}
# a neighbour's surnames, each this much as likely as one of the tail's own: Austria's 937 and
# Switzerland's 209 were most of a German audience's tail (round 66's reader: "Hoerl, Hölzl,
# Foidl, Posch" in one de_DE channel)
NEIGHBOURS: dict[str, frozenset[str]] = {
    "de": (frozenset(_AustrianNames.last_names) | frozenset(_SwissNames.last_names))
    - frozenset(_GermanNames.last_names)
}
NEIGHBOUR_WEIGHT = 0.1


def _tail(language: str, names: Sequence[str]) -> dict[str, float]:
    """Faker's surnames of a language, but for given names and for a second spelling of one
    that a handle would write the same ("Schröder", "Schroeder"), the head's or the tail's."""
    spelled = {"".join(ascii_words(n)) for n in FAMILY[language]}
    tail: dict[str, float] = {}
    neighbours = NEIGHBOURS.get(language, frozenset())
    for name in names:
        plain = "".join(ascii_words(name))
        if plain not in spelled and name not in GIVEN[language][0] + GIVEN[language][1]:
            spelled.add(plain)
            tail[name] = NEIGHBOUR_WEIGHT if name in neighbours else 1.0
    return tail


@functools.cache
def _surnames(language: str, country: str = "") -> tuple[list[str], list[float]]:
    if country in FAMILY_IN or language in FAMILY:
        names = list(FAMILY_IN.get(country) or FAMILY[language])
        weights = [1 / (i + SURNAME_TAIL) for i in range(len(names))]
        tails = FAMILY_TAIL_IN.get(country) or (
            _tail(language, FAMILY_TAIL[language]) if language in FAMILY_TAIL else {}
        )
        tail = {n: w for n, w in tails.items() if n not in names}
        if tail:  # as much again spread over the long tail: not ten Wrights in one thread
            scale = sum(weights) / sum(tail.values())
            names += list(tail)
            weights += [w * scale for w in tail.values()]
        return names, list(itertools.accumulate(weights))
    common = _EnglishNames.last_names  # weighted by how common each is in the US
    return list(common), list(itertools.accumulate(common.values()))


# how many of a niche's audience are women (a beauty account's comments are mostly women's)
WOMEN = {
    Persona.BEAUTY: 0.85, Persona.COOKING: 0.6, Persona.TRAVEL: 0.55, Persona.FITNESS: 0.5,
    Persona.TECH_REVIEWS: 0.3, Persona.GAMING: 0.25,
}  # fmt: skip


GIVEN_TAIL = 40  # how flat the given names fall off: the n-th is drawn as 1 / (n + this)
# (25 before round 47, whose reader counted eight Nicholases and six Zacharys in one inbox)


@functools.cache
def _given(
    language: str, country: str = "", persona: Persona | None = None
) -> tuple[list[str], list[float]]:
    women, men = GIVEN_IN.get(country) or GIVEN.get(language, GIVEN["en"])
    share = WOMEN.get(persona, 0.5) if persona else 0.5
    names = [*women, *men]
    # the more common first, but not by much: round 13-14's readers counted nine Julianas
    # and eight Felixes in three posts (the first name drew one woman in twelve, now one in 25)
    weights = [share / (i + GIVEN_TAIL) for i in range(len(women))]
    weights += [(1 - share) / (i + GIVEN_TAIL) for i in range(len(men))]
    return names, list(itertools.accumulate(weights))


def someone(
    rng: random.Random, language: str, persona: Persona, country: str = "", platform: str = ""
) -> Author:
    """A new person of the audience who writes in that language (and lives in that country,
    where it names people its own way: "Callum Davies" in Britain) on a platform."""
    firsts, first_weights = _given(language, country, persona)
    lasts, last_weights = _surnames(language, country)
    first = firsts[bisect.bisect(first_weights, rng.random() * first_weights[-1])]
    last = lasts[bisect.bisect(last_weights, rng.random() * last_weights[-1])]
    while _famous(first, last):
        last = lasts[bisect.bisect(last_weights, rng.random() * last_weights[-1])]
    return person(first, last, persona, False, language, platform)


# names a reader knows as someone else's, that a draw of common names spells now and then
# (round 72's reader: "aaron_rodgers", "the NFL quarterback's name")
FAMOUS = frozenset(
    {
        "aaron rodgers", "tom brady", "michael jordan", "lebron james", "kevin hart",
        "will smith", "chris evans", "chris pratt", "chris brown", "ryan reynolds",
        "ryan gosling", "tom hanks", "tom holland", "emma watson", "emma stone",
        "taylor swift", "justin bieber", "selena gomez", "jennifer lopez", "jennifer lawrence",
        "michael jackson", "james brown", "harry styles", "david beckham", "kim kardashian",
        "kevin durant", "stephen curry", "john cena", "adam levine", "jessica alba",
        "anthony davis", "james harden", "michael scott", "jake paul", "logan paul",
        "lionel messi", "rafael nadal", "carlos sainz", "fernando alonso", "sergio ramos",
        "pedro sanchez", "alejandro sanz", "david bisbal", "pau gasol", "enrique iglesias",
        "thomas mueller", "manuel neuer", "toni kroos", "olaf scholz", "angela merkel",
        "michael schumacher", "helene fischer", "lukas podolski", "mats hummels",
        "ronaldo nazario", "gisele bundchen", "neymar junior", "ivete sangalo",
    }
)  # fmt: skip


def _famous(first: str, last: str) -> bool:
    return " ".join(ascii_words(f"{first} {last}")) in FAMOUS


def creator(profile: DemoProfile, language: str) -> Author:
    """The account itself, as it signs its replies and DMs."""
    rng = random.Random(f"{profile.account_id}:{profile.seed}:creator")
    country = profile.locale.rpartition("_")[2].upper()
    firsts, first_weights = _given(language, country)
    lasts, last_weights = _surnames(language, country)
    first = rng.choices(firsts, cum_weights=first_weights)[0]
    last = rng.choices(lasts, cum_weights=last_weights)[0]
    while _famous(first, last):
        last = rng.choices(lasts, cum_weights=last_weights)[0]
    f, n = "".join(ascii_words(first)), "".join(ascii_words(last))
    h = rng.choice(HOBBY[profile.persona])
    handle = rng.choice(CREATOR_STYLES).format(f=f, n=n, h=h)
    return Author(handle=handle, display_name=f"{first} {last}", is_creator=True)


def brand_rep(
    rng: random.Random, persona: Persona, language: str, talked: set[str], creator: str = ""
) -> tuple[Author, str, str]:
    """Someone who writes for a brand, from the brand's own handle; the brand, and the rep's
    first name. A brand already `talked` to the account (in this batch) is not drawn again
    while another is left."""
    brands = BRANDS[persona]
    local = LOCAL_BRANDS.get(language, {}).get(persona, ())
    if local and rng.random() < LOCAL_BRAND_SHARE:
        brands = local
    brand = rng.choice([b for b in brands if b not in talked] or brands)
    talked.add(brand)
    base = "".join(ascii_words(brand.replace("&", "and")))
    handle = f"{base}.{REP_SUFFIXES[_digest(brand) % len(REP_SUFFIXES)]}"  # one per brand
    firsts, weights = _given(language, "", persona)  # a given name, whatever the handle
    rep = firsts[bisect.bisect(weights, rng.random() * weights[-1])]
    while rep == creator:  # not "Hey James! This is James with the partnerships team" (round 49)
        rep = firsts[bisect.bisect(weights, rng.random() * weights[-1])]
    # the brand's account shows one name, whoever writes from it
    display = (brand, f"{brand} Partnerships", f"{brand} Team")[_digest(handle) % 3]
    return Author(handle=handle, display_name=display), brand, rep


# what a pitch is about, in any of the languages, and the accounts that post such pitches
# (round 56's readers: "beatrizgonzalez.official: daily stock signals", "hugo_mindset: my
# spiciest photos 💋", "fxwithkyle: OFFICIAL Amazon giveaway")
PITCHES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(words, re.IGNORECASE))
    for kind, words in (
        ("reported", r"report|copyright|denunciad|gemeldet|urheber|verif"),
        (
            "lonely",
            r"lonely|sozinh|einsam|te sientes sol|private page|página privada"
            r"|perfil privado|fotos|bilder|😘|💋",
        ),
        (
            "giveaway",
            r"giveaway|sorte|gewinnspiel|gift card|tarjeta|vale[- ]presente|gutschein"
            r"|iphone|ipad|congrat|enhorabuena|parab[eé]ns|glückwunsch|ganador|gewinner|lucky",
        ),
        (
            "followers",
            r"follow|seguidor|folgen|follower|likes|views|visualiza|aufrufe|curtidas"
            r"|ambassador|embajador|embaixador|botschafter",
        ),
        ("crypto", r"crypto|cripto|krypto|bitcoin"),
        ("trades", r"forex|trad|signal|señal|sinal|bolsa|börse|aktie|savings|ahorro|poupan"),
    )
)
# (four "| Wealth" bots among a post's first thirty people, where bots found it)
ROLES_FOR = {"crypto": ("crypto", "invests", "wealth", "btc"),
             "trades": ("fx", "trades", "invests", "signals"),
             "": ("mentor", "coach", "wealth", "mindset", "income", "success")}  # fmt: skip
PAGES_FOR = {"giveaway": ("giveaway.center", "clips.promo"),
             "followers": ("promote.it", "shoutout", "viral.boost", "collab.promo",
                           "feature.page", "growth.agency")}  # fmt: skip
SUPPORT_PAGES = ("support.center", "help.team", "copyright.review", "account.safety")
LONELY_WORDS = ("xo", "x", "love", "baby", "sweet")


def spammer(rng: random.Random, language: str, pitch: str = "") -> Author:
    """A spam account in one of the shapes they come in, as fits its `pitch`: a "mentor" with
    a first name (the audience's, or an English one) for money, a promotion page for followers
    and giveaways, a fake support team for a "reported" account, a first name and a kiss for
    "lonely?"; without a pitch, a throwaway page or a copy of a real-looking person with
    "official" on it too."""
    kind = next((k for k, words in PITCHES if words.search(pitch)), "") if pitch else "any"
    if kind in PAGES_FOR:
        return _page(rng, PAGES_FOR[kind])
    if kind == "reported":
        page = rng.choice(SUPPORT_PAGES)
        handle = rng.choice((f"{page}_", f"{page}.official", f"{page.replace('.', '_')}"))
        return Author(handle=handle, display_name=page.replace(".", " ").title())
    if kind == "lonely":
        name = _plain(rng.choice(GIVEN.get(language, GIVEN["en"])[0][:30]))
        f = "".join(ascii_words(name))
        handle = f"{f}.{rng.choice(LONELY_WORDS)}{rng.randint(1, 99)}"
        return Author(handle=handle, display_name=f"{name} 💋")
    if kind in ROLES_FOR:
        return _mentor(rng, _spam_name(rng, language)[0], ROLES_FOR[kind])
    style = rng.random()
    if style < 0.15:
        first, second = rng.choice(SPAM_WORDS[0]), rng.choice(SPAM_WORDS[1])
        handle = rng.choice(
            (f"{first}.{second}{rng.randint(10, 99)}", f"{first}{second}_", f"the{first}{second}")
        )
        return Author(handle=handle, display_name=f"{first.title()} {second.title()}")
    name, local = _spam_name(rng, language)
    if style < 0.55:
        return _mentor(rng, name, SPAM_ROLES)
    if style < 0.85:
        return _page(rng, SPAM_PAGES)
    f = "".join(ascii_words(name))
    last = _plain(
        rng.choice(FAMILY[language][:20] if local and language in FAMILY else _COMMON_LAST)
    )
    n = "".join(ascii_words(last))
    handle = rng.choice((f"{f}{n}.official", f"official_{f}{n}", f"{f}.{n}.real"))
    return Author(handle=handle, display_name=f"{name} {last}")


def _spam_name(rng: random.Random, language: str) -> tuple[str, bool]:
    """A spam account's first name, the audience's or an English one (and whether the
    audience's), written as the handle is ("Jose", not "José" and "Jose" behind one handle)."""
    local = language in GIVEN and rng.random() < 0.5
    return _plain(rng.choice(GIVEN[language if local else "en"][rng.random() < 0.5][:30])), local


def _mentor(rng: random.Random, name: str, roles: Sequence[str]) -> Author:
    """A "mentor" of money: "anna_fx", "coachwithjake", "kevinmindset_official"."""
    f = "".join(ascii_words(name))
    role = rng.choice(roles)
    handle = rng.choice((f"{f}_{role}", f"{f}.{role}_", f"{role}with{f}", f"{f}{role}_official"))
    return Author(handle=handle, display_name=f"{name} | {role.title()}")


def _page(rng: random.Random, pages: Sequence[str]) -> Author:
    """A page that promotes: "viral.boost_", "giveaway_center23"."""
    page = rng.choice(pages)
    handle = rng.choice((f"{page}_", f"{page.replace('.', '_')}{rng.randint(1, 99)}", page))
    return Author(handle=handle, display_name=page.replace(".", " ").title())


def first_name(author: Author) -> str:
    return author.display_name.split(" ")[0]


def short_name(author: Author) -> str:
    """The short name someone goes by, as their handle spells it ("liv"), or ""."""
    said = "".join(ascii_words(first_name(author)))
    return said if said in _short_forms() else ""


@functools.cache
def _short_forms() -> frozenset[str]:
    return frozenset(
        "".join(ascii_words(v)) for book in SHORT.values() for vs in book.values() for v in vs
    )


COUNTRY_LANGUAGE = {"GB": "en", "MX": "es"}  # the language of `GIVEN_IN`'s countries


@functools.cache
def _women_and_men(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names women and men of a language go by, given and short ("Rafa" is neither: a
    Rafael's and a Rafaela's)."""
    lists = [GIVEN.get(language, GIVEN["en"])]
    lists += [GIVEN_IN[c] for c, lang in COUNTRY_LANGUAGE.items() if lang == language]
    shorts = SHORT.get(language, {})
    women: set[str] = set()
    men: set[str] = set()
    for women_names, men_names in lists:
        for names, into in ((women_names, women), (men_names, men)):
            for name in names:
                into |= {_plain(w).lower() for w in (name, *shorts.get(name, ()))}
    return frozenset(women - men), frozenset(men - women)


def woman(author: Author, language: str) -> bool | None:
    """Whether the person goes by a woman's given name of the language, a man's (False), or
    neither as far as the display name shows ("J. Miller")."""
    first = _plain(first_name(author)).lower()
    women, men = _women_and_men(language)
    return True if first in women else False if first in men else None


# Portuguese thanks agree with who says them: "obrigada" from a woman, "obrigado" from a man
_OBRIGAD = re.compile(r"\b([Oo]brigad)[ao]\b")


def thanked_as(text: str, author: Author) -> str:
    """A Brazilian's text with its "obrigado/a" as its author says it (round 34's reader:
    "igor.m: Obrigada por explicar…")."""
    said = woman(author, "pt")
    if said is None or "brigad" not in text:
        return text
    return _OBRIGAD.sub(lambda m: m.group(1) + ("a" if said else "o"), text)


def mention(author: Author, by_name: bool = False) -> str:
    """How a comment names someone: "@handle", or on Facebook their name as it shows."""
    return author.display_name if by_name else f"@{author.handle}"


def pick_weighted(rng: random.Random, options: Sequence[tuple[object, int]]) -> object:
    total = sum(w for _, w in options)
    point = rng.random() * total
    for option, weight in options:
        point -= weight
        if point < 0:
            return option
    return options[-1][0]
