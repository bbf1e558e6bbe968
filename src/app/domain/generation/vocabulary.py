"""What people write about, per persona, and the phrases they write it with, per language:
data, apart from the writer that fills it. English lives here with what every language shares;
the others in vocabulary_<language>.

Templates name placeholders the writer fills from the persona's world ({topic}, {aspect},
{creator}, {at}, ...) and slots of the phrasebook's small grammar (<slot>): each slot is one of
its phrases, chosen when the template is filled, and may name other slots and placeholders. A
handful of templates thus says the same thing in hundreds of ways, as people do.
"""

import re
from dataclasses import dataclass, field

from app.domain.demo import Persona
from app.domain.inbox import Intent, Sentiment


@dataclass(frozen=True, slots=True)
class Vocabulary:
    topics: tuple[str, ...]
    aspects: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Phrasebook:
    """Everything a language's speakers write, by what they mean. Topics and aspects are in
    the same order in every language, so the n-th topic is the same thing in each."""

    language: str  # BCP 47
    locale: str  # the Faker locale its speakers' names come from
    nouns: dict[Persona, Vocabulary]
    comments: dict[Intent, tuple[str, ...]]
    dms: dict[Intent, tuple[str, ...]]
    reactions: dict[Intent, tuple[str, ...]]  # a few words
    stories: tuple[str, ...]  # told before the point of a long comment
    openers: tuple[str, ...]
    closers: tuple[str, ...]
    youtube_only: tuple[str, ...]  # closers that only fit under a YouTube video
    platform_words: dict[str, tuple[tuple[str, str], ...]]  # YouTube's word, the platform's
    verdicts: tuple[str, ...]
    moments: tuple[str, ...]  # {at} off YouTube, where nobody writes timestamps
    first: str  # "First!": only in a post's first hour
    replies: dict[Intent, tuple[str, ...]]  # fans answering a comment, by its intent
    creator_replies: dict[Intent, tuple[str, ...]]
    creator_openings: tuple[str, ...]  # {name}: the fan's first name
    creator_dms: dict[Intent, tuple[str, ...]]  # the creator answering a first DM
    follow_ups: tuple[str, ...]  # the fan after the creator's answer
    closings: tuple[str, ...]  # the creator's last word
    determiner: re.Pattern[str]  # articles a title drops: "Restaurant-style sourdough"
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    contractions: tuple[tuple[str, str], ...] = ()  # "de el" is "del"


NOUNS_EN: dict[Persona, Vocabulary] = {
    Persona.TECH_REVIEWS: Vocabulary(
        topics=(
            "the Pixel 9",
            "these earbuds",
            "the new MacBook Air",
            "this mechanical keyboard",
            "the Galaxy Watch",
            "that 4K monitor",
            "the Steam Deck OLED",
            "this budget phone",
            "the noise-cancelling headphones",
            "that mini PC",
        ),
        aspects=(
            "battery life",
            "the camera",
            "build quality",
            "the display",
            "thermals",
            "the price",
            "the speakers",
            "software updates",
            "the charging speed",
            "the mic",
        ),
        titles=(
            "{Topic} review: {verdict}",
            "I used {topic} for 30 days",
            "Don't buy {topic} before watching this",
            "{Topic} vs the competition",
            "Is {topic} worth it in 2026?",
            "{n} things I hate about {topic}",
            "The truth about {topic}",
            "{Topic}: long-term review",
        ),
    ),
    Persona.FITNESS: Vocabulary(
        topics=(
            "this leg day routine",
            "the 12-week program",
            "this HIIT workout",
            "the protein shake recipe",
            "this mobility flow",
            "the push-pull-legs split",
            "this 5k plan",
            "the kettlebell circuit",
            "this core workout",
            "the home gym setup",
        ),
        aspects=(
            "form",
            "the warm-up",
            "rest times",
            "the progression",
            "knee pain",
            "the macros",
            "recovery",
            "the sets and reps",
            "the cooldown",
            "grip strength",
        ),
        titles=(
            "{Topic} that changed everything",
            "I tried {topic} for a month",
            "{n} mistakes in {topic}",
            "Beginner's guide to {topic}",
            "{Topic} (no equipment!)",
            "Why {topic} isn't working for you",
            "Full {topic} - follow along",
            "{Topic}: {verdict}",
        ),
    ),
    Persona.COOKING: Vocabulary(
        topics=(
            "this sourdough",
            "the 15-minute ramen",
            "the lasagna",
            "this chili recipe",
            "the cast iron steak",
            "these cookies",
            "the vegan curry",
            "this pasta sauce",
            "the banana bread",
            "the meal prep bowls",
        ),
        aspects=(
            "the seasoning",
            "the timing",
            "the oven temp",
            "the texture",
            "the sauce",
            "the garlic",
            "portion sizes",
            "the knife work",
            "plating",
            "the substitutions",
        ),
        titles=(
            "{Topic} you'll make every week",
            "The secret to {topic}",
            "{Topic} in {n} minutes",
            "I fixed {topic}",
            "{Topic}: {verdict}",
            "Restaurant-style {topic} at home",
            "{n} ways to upgrade {topic}",
            "Grandma's {topic}",
        ),
    ),
    Persona.TRAVEL: Vocabulary(
        topics=(
            "Lisbon",
            "the Amalfi coast",
            "Kyoto",
            "Iceland's ring road",
            "Mexico City",
            "the Dolomites",
            "Bali on a budget",
            "Marrakech",
            "the Scottish Highlands",
            "Seoul",
        ),
        aspects=(
            "the itinerary",
            "the hotel",
            "flights",
            "the food spots",
            "the budget",
            "getting around",
            "the drone shots",
            "packing",
            "the hidden beach",
            "visa stuff",
        ),
        titles=(
            "{n} days in {topic}",
            "{Topic} on a budget",
            "Don't visit {topic} without this",
            "{Topic}: {verdict}",
            "My favourite places in {topic}",
            "{Topic} travel guide",
            "I got lost in {topic}",
            "The {topic} nobody shows you",
        ),
    ),
    Persona.BEAUTY: Vocabulary(
        topics=(
            "this skincare routine",
            "the new foundation",
            "this lip combo",
            "the drugstore dupes",
            "this glass-skin routine",
            "the curly hair routine",
            "this palette",
            "the SPF lineup",
            "this no-makeup look",
            "the retinol guide",
        ),
        aspects=(
            "the shade range",
            "the finish",
            "longevity",
            "the texture",
            "breakouts",
            "the price point",
            "the undertones",
            "the blending",
            "fragrance",
            "the packaging",
        ),
        titles=(
            "{Topic}: {verdict}",
            "Testing {topic} for a week",
            "{n} products in {topic}",
            "{Topic} for beginners",
            "I tried {topic} so you don't have to",
            "{Topic} - get ready with me",
            "Honest review of {topic}",
            "{Topic} under $20",
        ),
    ),
    Persona.GAMING: Vocabulary(
        topics=(
            "the new Zelda",
            "this speedrun route",
            "ranked in Valorant",
            "the Elden Ring DLC",
            "this Minecraft build",
            "the Fortnite season",
            "the indie roguelike",
            "the boss fight",
            "this controller",
            "the battle pass",
        ),
        aspects=(
            "the frame rate",
            "the loadout",
            "the strat",
            "the settings",
            "the lore",
            "the meta",
            "the aim",
            "the build",
            "the ending",
            "the patch notes",
        ),
        titles=(
            "{Topic} is {verdict}",
            "I beat {topic} without dying",
            "{n} tips for {topic}",
            "{Topic} - everything you missed",
            "Ranking every part of {topic}",
            "{Topic} in {n} minutes",
            "Why everyone is wrong about {topic}",
            "{Topic} first impressions",
        ),
    ),
}

PERSONA_EMOJI: dict[Persona, tuple[str, ...]] = {
    Persona.TECH_REVIEWS: ("🔥", "📱", "💻", "🎧", "⚡", "🤯"),
    Persona.FITNESS: ("💪", "🏋️", "🔥", "🥵", "🏃", "✅"),
    Persona.COOKING: ("😋", "🍝", "🔥", "🤤", "👨‍🍳", "🧄"),
    Persona.TRAVEL: ("✈️", "🌍", "🏝️", "📸", "🗺️", "😍"),
    Persona.BEAUTY: ("💄", "✨", "💅", "😍", "🧴", "💖"),
    Persona.GAMING: ("🎮", "🔥", "😤", "🏆", "👾", "💀"),
}

# what every language shares: how often people mean what, and how they feel about it
COMMENT_MIX = {
    Intent.PRAISE: 34,
    Intent.QUESTION: 22,
    Intent.PURCHASE_INTENT: 10,
    Intent.COMPLAINT: 10,
    Intent.SUPPORT: 5,
    Intent.SPAM: 7,
    Intent.COLLAB_REQUEST: 3,
    Intent.OTHER: 9,
}
DM_MIX = {
    Intent.COLLAB_REQUEST: 25,
    Intent.QUESTION: 25,
    Intent.SUPPORT: 18,
    Intent.PURCHASE_INTENT: 10,
    Intent.PRAISE: 12,
    Intent.SPAM: 10,
}
SENTIMENT: dict[Intent, tuple[tuple[Sentiment, int], ...]] = {
    Intent.PRAISE: ((Sentiment.POSITIVE, 1),),
    Intent.QUESTION: ((Sentiment.NEUTRAL, 8), (Sentiment.POSITIVE, 2)),
    Intent.PURCHASE_INTENT: ((Sentiment.POSITIVE, 9), (Sentiment.NEUTRAL, 1)),
    Intent.COMPLAINT: ((Sentiment.NEGATIVE, 1),),
    Intent.SUPPORT: ((Sentiment.NEGATIVE, 6), (Sentiment.NEUTRAL, 4)),
    Intent.SPAM: ((Sentiment.NEUTRAL, 1),),
    Intent.COLLAB_REQUEST: ((Sentiment.POSITIVE, 1),),
    Intent.OTHER: ((Sentiment.NEUTRAL, 6), (Sentiment.POSITIVE, 4)),
}
# real places and brand-like sponsors (Faker's invent "South Catherinemouth" and law firms)
CITIES = (
    "Lisbon", "Toronto", "Manila", "Austin", "Berlin", "Lagos", "Melbourne", "Seoul",
    "Mexico City", "Dublin", "Cape Town", "Chicago", "Glasgow", "Osaka", "Denver", "Porto",
)  # fmt: skip
BRANDS = (
    "Northwind", "Brightside Labs", "Kettle & Co", "Lumen", "Fablecraft", "Peakform",
    "Saltwater Studio", "Orbit Gear", "Maple Supply", "Nimbus", "Tidewell", "Copperleaf",
)  # fmt: skip
EMOJI_REACTIONS = ("😂😂😂", "🔥🔥", "❤️❤️❤️", "😭😭", "🙌", "😍😍", "👏👏", "🥰", "💯💯", "😂")
# emoji everyone uses, beside the persona's own
COMMON_EMOJI = ("❤️", "😂", "😭", "🥰", "😍", "🙌", "👏")

EN = Phrasebook(
    language="en",
    locale="en_US",
    nouns=NOUNS_EN,
    comments={
        Intent.PRAISE: (
            "<this_is> the <best> <breakdown> of {aspect} I've <seen>",
            "{creator} <never_misses>",
            "<love> how you <explained> {aspect}",
            "<your_videos> keep getting <better>",
            "<been_waiting> for this one",
            "Finally someone <talks_about> {aspect}",
            "The part at {at} about {aspect} is <gold>",
            "<best_channel> for {topic} content",
            "You <explained> {aspect} <better_than>",
            "<shared> this with my <people>",
            "Watched this <twice> already",
            "Such a <clear> <breakdown> of {topic}",
            "The <editing> on this is <insane>",
            "<this_helped> me <so_much> with {aspect}",
            "I <finally> get {aspect} now",
            "<didnt_expect> to <enjoy> this as much as I did",
        ),
        Intent.QUESTION: (
            "<how_holding> on {aspect} with {topic}<so_far>?",
            "What <did_you_use> for {aspect}<exactly>?",
            "Does this work for <beginners>?",
            "Any update on {aspect} after <a_while>?",
            "Would you <pick> {topic} again?",
            "Where did you <learn> about {aspect}?",
            "Can you do a <follow_up> on {aspect}?",
            "Is there <really> that much difference in {aspect}?",
            "What <was_that> at {at}?",
            "How long did {aspect} take you<so_far>?",
            "Would this work for {topic} too?",
            "<anyone_know> <if_worth> {aspect}<at_all>?",
        ),
        Intent.PURCHASE_INTENT: (
            "Just <ordered> {topic} because of this",
            "Is there a <discount> code?",
            "Where's the best place to get {topic}?",
            "Adding {topic} to my cart <right_now>",
            "<link> to {topic} please!",
            "You <sold> me on {topic}",
            "<convinced>, where do I <get_it>?",
        ),
        Intent.COMPLAINT: (
            "The <audio> is way too <quiet> in the <second_half>",
            "You <skipped> {aspect} completely",
            "Too many <ads> in this one",
            "<sadly> {topic} let me down",
            "Clickbait title <tbh>",
            "<disagree> about {aspect}, it's <worse> than you say",
            "<this_video> could have been <shorter>",
            "<pretty_sure> the bit at {at} is wrong about {aspect}",
            "<didnt_like> how you rushed {aspect}",
        ),
        Intent.SUPPORT: (
            "The link in the <bio> is <broken>",
            "Followed every step but {aspect} still <doesnt_work> for me",
            "Which <part> covers {aspect}? <cant_find>",
            "My order from your <shop> never <arrived>",
            "<emailed> about my order and nobody <answered>",
        ),
        Intent.SPAM: (
            "Check out my channel for <free> giveaways!!",
            "I make $<money> a week from home, DM me",
            "<free> gift cards on my page 🎁",
            "Follow me for daily <crypto> signals",
        ),
        Intent.COLLAB_REQUEST: (
            "{creator} we should collab, I <cover> {topic} too",
            "Would love to do a <collab_video> with you on {aspect}!",
        ),
        Intent.OTHER: (
            "First!",
            "Who's here after <the_update>?",
            "The <background_music> is a vibe",
            "Algorithm brought me here<staying>",
            "Watching this <when_watching>",
            "Greetings from {city}",
            "<who_else> watching this in <when_else>?",
        ),
    },
    dms={
        Intent.COLLAB_REQUEST: (
            "Hi {creator}! I'm with {company}. We'd love to sponsor a video about {topic}. Who should I talk to?",
            "Hey! {company} here - interested in a paid partnership around {aspect}? Happy to send details.",
            "Love your content. Would you be open to a collab with {company} next month?",
        ),
        Intent.QUESTION: (
            "Quick question about {aspect} from your last video",
            "Hi! Do you do one-on-one coaching?",
            "What would you recommend instead of {topic} on a budget?",
        ),
        Intent.SUPPORT: (
            "My order #{order} never arrived, can you help?",
            "I was charged twice for the course, who can I contact?",
            "The download link in the email doesn't work",
        ),
        Intent.PURCHASE_INTENT: (
            "Do you still sell your guide to {topic}?",
            "Is the merch restocking soon?",
        ),
        Intent.PRAISE: (
            "Just wanted to say your videos got me through a rough month. Thank you!",
            "Your video about {topic} helped me so much",
        ),
        Intent.SPAM: (
            "Congratulations! You've been selected for our brand ambassador program, click here",
            "Want 10k followers fast? Cheap packages!",
        ),
    },
    reactions={
        Intent.PRAISE: (
            "W",
            "so good",
            "need this",
            "obsessed",
            "10/10",
            "goat",
            "yesss",
            "love this",
            "this is it",
            "chef's kiss",
            "ok wow",
            "banger",
            "so clean",
            "underrated",
            "iconic",
        ),
        Intent.QUESTION: (
            "link?",
            "price?",
            "where from?",
            "is it worth it?",
            "how long?",
            "source?",
        ),
        Intent.PURCHASE_INTENT: ("ordered!", "need it", "take my money", "in my cart", "buying"),
        Intent.OTHER: ("lol", "same", "real", "ha", "mood", "facts", "oop", "wait what"),
    },
    stories=(
        "<been_into> {topic} for about {n} years now and <honestly> nobody has explained "
        "{aspect} this clearly.",
        "<story_time> I almost gave up on {topic} <last_month> because {aspect} kept going wrong, "
        "then <a_friend> sent me this.",
        "<will_read> but I watched this <on_the_train> after a really long "
        "week and it <made_my_day>.",
        "<my_partner> thought I was crazy spending this much time on {topic}, so I made them "
        "watch with me and now they're hooked too.",
        "<coming_back> because I tried everything you said about {aspect} "
        "and wanted to report back properly.",
    ),
    openers=(
        "Honestly",
        "Ok so",
        "Wow.",
        "Not gonna lie,",
        "Quick one:",
        "lol",
        "Hey {creator},",
        "Omg",
        "Real talk:",
        "Hmm",
        "{creator}",
        "Fun fact:",
        "Day {n} of asking:",
    ),
    closers=(
        "Thanks!",
        "keep it up",
        "🙏",
        "!!",
        "thx",
        "cheers",
        "subscribed",
        "more of this please",
        "greetings from {city}",
        "love from {city}",
        "(watched at 2x)",
        "💯",
    ),
    youtube_only=("subscribed", "(watched at 2x)"),
    platform_words={
        "instagram": (
            ("Subscribed", "Followed"),
            ("subscribed", "followed"),
            ("channel", "page"),
            ("Channel", "Page"),
            ("videos", "posts"),
            ("video", "post"),
            ("Videos", "Posts"),
            ("Video", "Post"),
        ),
        "tiktok": (
            ("Subscribed", "Followed"),
            ("subscribed", "followed"),
            ("channel", "page"),
            ("Channel", "Page"),
            ("videos", "TikToks"),
            ("video", "TikTok"),
            ("Videos", "TikToks"),
            ("Video", "TikTok"),
        ),
    },
    verdicts=(
        "worth it",
        "overrated",
        "a game changer",
        "not what I expected",
        "surprisingly good",
        "the best yet",
        "a mixed bag",
        "finally fixed",
    ),
    moments=("the start", "the end", "the middle"),
    first="First!",
    replies={
        Intent.QUESTION: (
            "I think it's in the <bio>",
            "Same question here",
            "Mine took about a week to get used to",
            "Depends on {aspect} <honestly>",
            "It was fine for me, just give it time",
            "Also wondering this",
            "Check the pinned comment",
        ),
        Intent.COMPLAINT: (
            "Nah it was fine for me",
            "Agreed, {aspect} was rough",
            "Had the same issue",
            "Skip to {at}, it gets better",
            "Honestly same",
        ),
        Intent.SUPPORT: (
            "Same thing happened to me, email them",
            "Try the link in the pinned comment",
            "Mine came after two weeks, hang in there",
        ),
        Intent.PRAISE: ("This ^", "Facts", "Couldn't agree more", "Right??", "So true"),
        Intent.PURCHASE_INTENT: (
            "Same, ordering today",
            "Let us know how it goes!",
            "Mine arrived fast",
        ),
        Intent.OTHER: ("lol", "Ha, same", "Fair point", "Came here to say this"),
    },
    creator_replies={
        Intent.QUESTION: (
            "Great question! {Aspect} held up really well after a month",
            "Good one - I'll cover {aspect} in a follow-up",
            "Yes! It works fine for beginners too",
            "Link is in the description 🙌",
            "About two weeks for me, totally worth it",
        ),
        Intent.COMPLAINT: (
            "Fair point, thanks for the feedback - I'll fix the audio next time",
            "Sorry about that! I'll go deeper on {aspect} next video",
            "Appreciate the honesty, noted for the next one",
        ),
        Intent.SUPPORT: (
            "So sorry about that! Send me a DM and I'll sort it out",
            "Please email the support address in my bio, we'll fix it today",
        ),
    },
    creator_openings=(
        "Thanks {name}!",
        "Hey {name},",
        "Ah {name},",
        "Good catch {name}.",
        "Appreciate you {name}!",
        "{name}!",
        "Hi {name},",
    ),
    creator_dms={
        Intent.COLLAB_REQUEST: (
            "Hi! Thanks for reaching out. Could you send the details and your budget by email?",
            "Hey, appreciate it! What timeline did you have in mind?",
        ),
        Intent.QUESTION: (
            "Hey! Great question - for {aspect} I'd start slow and see how it goes",
            "Thanks for asking! I'd go for the cheaper option first",
        ),
        Intent.SUPPORT: (
            "So sorry about that! Can you send me your order number?",
            "Ugh, sorry! Forwarding this to my team now, you'll hear back today",
        ),
        Intent.PURCHASE_INTENT: ("Yes! It's back in stock next week", "It's on the site now 🙌"),
        Intent.PRAISE: ("This made my day, thank you so much ❤️", "Thank you, that means a lot!"),
    },
    follow_ups=(
        "Thanks so much!",
        "Got it, thank you",
        "Sent it just now",
        "Perfect, thanks!",
        "One more thing - does it work with {topic} too?",
        "Amazing, appreciate the quick reply",
    ),
    closings=("You're welcome! 🙌", "Anytime!", "Glad I could help", "Talk soon!"),
    determiner=re.compile(r"^(the|this|these|that) ", re.IGNORECASE),
    slots={
        # praise
        "this_is": ("This is", "Easily", "Honestly this is", "Genuinely", "Hands down", "Might be"),
        "best": ("best", "clearest", "most useful", "most honest", "only decent", "calmest"),
        "breakdown": ("breakdown", "explanation", "take", "review", "video", "rundown"),
        "seen": ("seen", "found", "watched", "come across", "seen all year", "ever watched"),
        "never_misses": (
            "never misses",
            "does it again",
            "always delivers",
            "stays winning",
            "is on another level",
            "just keeps getting better",
        ),
        "love": ("Love", "Loved", "Really love", "I love", "Big fan of", "Appreciate"),
        "explained": ("explained", "broke down", "walked through", "covered", "talked through"),
        "your_videos": ("Your videos", "These videos", "Your uploads", "The videos here"),
        "better": (
            "better",
            "better and better",
            "more useful",
            "more fun to watch",
            "better every week",
        ),
        "been_waiting": (
            "Been waiting",
            "I've been waiting",
            "Was waiting all week",
            "Literally been waiting",
            "Been checking every day",
        ),
        "talks_about": ("talks about", "explains", "gets real about", "covers", "mentions"),
        "gold": (
            "gold",
            "so good",
            "exactly what I needed",
            "underrated",
            "the best bit",
            "worth the whole video",
        ),
        "best_channel": (
            "Best channel",
            "My favourite channel",
            "Easily the best place",
            "The only channel I trust",
            "My go-to",
        ),
        "better_than": (
            "better than anyone",
            "better than the manual",
            "in like two minutes",
            "better than my teacher did",
            "so simply",
            "without the fluff",
        ),
        "shared": ("Shared", "Sent", "Just sent", "Forwarded"),
        "people": (
            "whole group chat",
            "brother",
            "mum",
            "roommate",
            "best friend",
            "team at work",
            "dad",
            "sister",
        ),
        "twice": ("twice", "three times", "on repeat", "again this morning"),
        "clear": ("clear", "helpful", "useful", "well made", "fun", "chill", "solid"),
        "editing": ("editing", "lighting", "sound", "pacing", "camera work", "thumbnail"),
        "insane": ("insane", "next level", "so good", "unreal", "top tier", "crazy good"),
        "this_helped": ("This helped", "This video helped", "You helped", "This honestly helped"),
        "so_much": ("so much", "a ton", "more than you know", "a lot", "massively"),
        "finally": ("finally", "actually", "honestly", "kind of", "totally"),
        "didnt_expect": ("Didn't expect", "Did not expect", "Wasn't expecting", "Never thought"),
        "enjoy": ("enjoy", "love", "learn from", "laugh at"),
        # questions
        "how_holding": (
            "Any thoughts",
            "Any update",
            "What's the verdict",
            "Honest opinion",
            "Long-term thoughts",
        ),
        "so_far": ("", " so far", " now", " long term", " after a month"),
        "did_you_use": ("did you use", "are you using", "would you use", "do you recommend"),
        "exactly": ("", " exactly", " in this one", " here"),
        "beginners": (
            "beginners",
            "total beginners",
            "someone starting out",
            "people on a budget",
            "older folks",
            "someone with zero experience",
        ),
        "a_while": ("a few weeks", "a month", "a couple months", "some time", "half a year"),
        "pick": ("pick", "choose", "go with", "recommend", "do"),
        "learn": ("find out", "learn", "read up", "hear"),
        "follow_up": ("follow-up", "deep dive", "part two", "whole video", "short", "Q&A"),
        "really": ("really", "actually", "honestly", "even"),
        "was_that": ("was that", "was the thing", "did you say", "happened"),
        "anyone_know": (
            "Anyone know",
            "Does anyone know",
            "Anybody know",
            "Can someone tell me",
            "Quick q, does anyone know",
        ),
        "if_worth": (
            "if it's worth worrying about",
            "how much to care about",
            "whether to bother with",
            "what to do about",
        ),
        "at_all": ("", " at all", " that much", " for beginners"),
        # purchase intent
        "ordered": ("ordered", "bought", "grabbed", "picked up", "went for"),
        "discount": ("discount", "promo", "coupon", "creator"),
        "right_now": (
            "right now",
            "as we speak",
            "immediately",
            "tonight",
            "before I change my mind",
        ),
        "link": ("Link", "Drop the link", "Need the link", "Where's the link"),
        "sold": ("sold", "convinced", "totally sold", "finally sold"),
        "convinced": ("Ok I need it", "Take my money", "Fine, you win", "Alright I'm convinced"),
        "get_it": ("get it", "buy it", "order", "sign up"),
        # complaints
        "audio": ("audio", "music", "voiceover"),
        "quiet": ("quiet", "loud"),
        "second_half": ("second half", "intro", "last few minutes", "middle part"),
        "skipped": ("skipped", "glossed over", "barely touched", "ignored"),
        "ads": ("ads", "sponsor segments", "cuts", "jump cuts"),
        "sadly": ("Honestly", "Ngl", "Tbh", "Sadly", "Gotta say"),
        "tbh": ("tbh", "honestly", "ngl", "imo", "again"),
        "disagree": ("Disagree", "Hard disagree", "Gotta disagree", "Not sure I agree"),
        "worse": ("worse", "way worse", "a lot worse", "nowhere near as good"),
        "this_video": ("Video", "This video", "This one", "The whole thing"),
        "shorter": ("half as long", "ten minutes shorter", "a short", "an email"),
        "pretty_sure": ("Pretty sure", "I think", "Fairly sure", "Correct me but"),
        "didnt_like": ("Didn't love", "Not a fan of", "Kind of disliked", "Really didn't like"),
        # support
        "bio": ("description", "bio", "pinned comment"),
        "broken": ("broken", "dead", "not working", "going to a 404"),
        "doesnt_work": ("doesn't work", "isn't working", "won't work", "goes wrong"),
        "part": ("part", "section", "bit"),
        "cant_find": ("can't find it", "I can't find it", "couldn't find it", "I looked twice"),
        "shop": ("shop", "store", "merch store"),
        "arrived": ("arrived", "showed up", "came", "shipped"),
        "emailed": ("Emailed twice", "Messaged your team", "Wrote to support", "Sent three emails"),
        "answered": ("answered", "got back to me", "replied", "has said anything"),
        # spam, collabs, other
        "free": ("free", "FREE", "100% free"),
        "money": ("5000", "3000", "8000"),
        "crypto": ("crypto", "forex", "stock"),
        "cover": ("cover", "review", "post about", "make videos on"),
        "collab_video": ("video", "collab", "live", "series"),
        "the_update": ("the update", "the algorithm change", "the news", "the patch"),
        "background_music": ("background music", "music", "intro song", "outro"),
        "staying": ("", " and I'm staying", ", no regrets", " at 2am"),
        "when_watching": (
            "at 3am",
            "at work",
            "at the gym",
            "on my lunch break",
            "instead of sleeping",
        ),
        "who_else": ("Who else is", "Anyone else", "Who's still"),
        "when_else": ("2026", "the middle of the night", "bed", "class"),
        # stories
        "honestly": ("honestly", "genuinely", "truly", "still"),
        "last_month": ("last month", "last year", "a few weeks ago", "over the summer"),
        "a_friend": ("a friend", "my sister", "a coworker", "my roommate"),
        "on_the_train": ("on the train home", "on my break", "in bed", "at the airport"),
        "made_my_day": ("genuinely made my day", "made my week", "cheered me right up"),
        "partner": ("partner", "roommate", "mum", "girlfriend", "boyfriend"),
        "my_partner": (
            "My partner",
            "My roommate",
            "My mum",
            "My girlfriend",
            "My boyfriend",
            "Honestly my partner",
            "So my roommate",
        ),
        "been_into": (
            "I've been into",
            "Been into",
            "I have been into",
            "Ive been into",
            "So I've been into",
            "Been obsessed with",
            "I've been nerding out on",
        ),
        "story_time": (
            "Story time:",
            "Long story but",
            "Ok so",
            "Funny story:",
            "Real story:",
            "Not gonna lie,",
            "True story:",
        ),
        "will_read": (
            "Not sure anyone will read this",
            "Nobody will see this probably",
            "Probably nobody reads these",
            "Idk if anyone reads comments",
            "Random but",
            "This is going to sound silly",
        ),
        "coming_back": (
            "Coming back to this a second time",
            "Back here again",
            "Rewatching this a week later",
            "Second time watching this",
            "Came back to this",
            "Had to come back to this",
        ),
    },
)
