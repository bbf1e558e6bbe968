"""What people write about, per persona, and the templates they write it with: data, apart
from the writer that fills it."""

from dataclasses import dataclass

from app.domain.demo import Persona
from app.domain.inbox import Intent, Sentiment


@dataclass(frozen=True, slots=True)
class Vocabulary:
    topics: tuple[str, ...]
    aspects: tuple[str, ...]
    titles: tuple[str, ...]
    emoji: tuple[str, ...]


VOCABULARY: dict[Persona, Vocabulary] = {
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
        emoji=("🔥", "📱", "💻", "🎧", "⚡", "🤯"),
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
        emoji=("💪", "🏋️", "🔥", "🥵", "🏃", "✅"),
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
        emoji=("😋", "🍝", "🔥", "🤤", "👨‍🍳", "🧄"),
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
        emoji=("✈️", "🌍", "🏝️", "📸", "🗺️", "😍"),
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
        emoji=("💄", "✨", "💅", "😍", "🧴", "💖"),
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
        emoji=("🎮", "🔥", "😤", "🏆", "👾", "💀"),
    ),
}

VERDICTS = (
    "worth it",
    "overrated",
    "a game changer",
    "not what I expected",
    "surprisingly good",
    "the best yet",
    "a mixed bag",
    "finally fixed",
)

COMMENTS: dict[Intent, tuple[str, ...]] = {
    Intent.PRAISE: (
        "This is the best breakdown of {aspect} I've seen",
        "{creator} never misses",
        "Love how you explained {aspect}",
        "Subscribed after this one",
        "Your videos keep getting better",
        "Been waiting for this one",
        "Finally someone talks about {aspect}",
        "The part at {at} about {aspect} is gold",
        "Best channel for {topic} content",
        "You explained {aspect} better than anyone",
        "Shared this with my whole group chat",
        "Watched this twice already",
        "Such a clear explanation of {topic}",
        "The editing on this is insane",
    ),
    Intent.QUESTION: (
        "How is {topic} holding up on {aspect}?",
        "What did you use for {aspect}?",
        "Does this work for beginners?",
        "Any update on {aspect} after a few weeks?",
        "Would you pick {topic} again?",
        "Where did you get {topic}?",
        "Can you do a follow-up on {aspect}?",
        "Is {aspect} really that different?",
        "What was that at {at}?",
        "How long did {aspect} take you?",
        "Would this work for {topic} too?",
    ),
    Intent.PURCHASE_INTENT: (
        "Just ordered {topic} because of this",
        "Is there a discount code?",
        "Where's the best place to get {topic}?",
        "Adding {topic} to my cart right now",
        "Link to {topic} please!",
        "You sold me on {topic}",
    ),
    Intent.COMPLAINT: (
        "The audio is way too quiet in the second half",
        "You skipped {aspect} completely",
        "Too many ads in this one",
        "{Topic} was a letdown for me",
        "Clickbait title tbh",
        "Disagree about {aspect}, it's worse than you say",
        "Video could have been half as long",
        "Pretty sure {at} is just wrong about {aspect}",
    ),
    Intent.SUPPORT: (
        "The link in the description is broken",
        "Followed every step but {aspect} still doesn't work for me",
        "Which timestamp covers {aspect}? can't find it",
        "My order from your shop never arrived",
    ),
    Intent.SPAM: (
        "Check out my channel for free giveaways!!",
        "I make $5000 a week from home, DM me",
        "Free gift cards on my page 🎁",
        "Follow me for daily crypto signals",
    ),
    Intent.COLLAB_REQUEST: (
        "{creator} we should collab, I cover {topic} too",
        "Would love to do a video with you on {aspect}!",
    ),
    Intent.OTHER: (
        "First!",
        "Who's here after the update?",
        "The background music is a vibe",
        "Algorithm brought me here",
        "Watching this at 3am",
        "Greetings from {city}",
    ),
}

DMS: dict[Intent, tuple[str, ...]] = {
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
}

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
OPENERS = (
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
)
# real places and brand-like sponsors (Faker's invent "South Catherinemouth" and law firms)
CITIES = (
    "Lisbon", "Toronto", "Manila", "Austin", "Berlin", "Lagos", "Melbourne", "Seoul",
    "Mexico City", "Dublin", "Cape Town", "Chicago", "Glasgow", "Osaka", "Denver", "Porto",
)  # fmt: skip
BRANDS = (
    "Northwind", "Brightside Labs", "Kettle & Co", "Lumen", "Fablecraft", "Peakform",
    "Saltwater Studio", "Orbit Gear", "Maple Supply", "Nimbus", "Tidewell", "Copperleaf",
)  # fmt: skip
# what only fits a YouTube comment, and how the other platforms say it
YOUTUBE_ONLY = ("subscribed", "(watched at 2x)")
PLATFORM_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "instagram": (("Subscribed", "Followed"), ("subscribed", "followed"), ("channel", "page"),
                  ("Channel", "Page"), ("videos", "posts"), ("video", "post"),
                  ("Videos", "Posts"), ("Video", "Post")),
    "tiktok": (("Subscribed", "Followed"), ("subscribed", "followed"), ("channel", "page"),
               ("Channel", "Page"), ("videos", "TikToks"), ("video", "TikTok"),
               ("Videos", "TikToks"), ("Video", "TikTok")),
}  # fmt: skip

CLOSERS = (
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
)

# what fans answer to a comment, by the intent of the comment they answer
REPLIES: dict[Intent, tuple[str, ...]] = {
    Intent.QUESTION: (
        "I think it's in the description",
        "Same question here",
        "Mine took about a week to get used to",
        "Depends on {aspect} honestly",
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
}
# the creator answering a comment, by its intent
CREATOR_REPLIES: dict[Intent, tuple[str, ...]] = {
    Intent.QUESTION: (
        "Great question! {aspect} held up really well after a month",
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
}
CREATOR_OPENINGS = ("Thanks {name}!", "Hey {name},", "Ah {name},", "Good catch {name}.",
                    "Appreciate you {name}!", "{name}!", "Oh no {name},")  # fmt: skip
# the creator answering the first DM of a conversation, by its intent
CREATOR_DMS: dict[Intent, tuple[str, ...]] = {
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
}
# a fan's follow-up after the creator answered
FOLLOW_UPS: tuple[str, ...] = (
    "Thanks so much!",
    "Got it, thank you",
    "Sent it just now",
    "Perfect, thanks!",
    "One more thing - does it work with {topic} too?",
    "Amazing, appreciate the quick reply",
)

# what most people write: a few words or a few emoji, by intent
REACTIONS: dict[Intent, tuple[str, ...]] = {
    Intent.PRAISE: (
        "W", "so good", "need this", "obsessed", "10/10", "goat", "yesss", "love this",
        "this is it", "chef's kiss", "ok wow", "banger", "so clean", "underrated", "iconic",
    ),
    Intent.QUESTION: ("link?", "price?", "where from?", "is it worth it?", "how long?", "source?"),
    Intent.PURCHASE_INTENT: ("ordered!", "need it", "take my money", "in my cart", "buying"),
    Intent.OTHER: ("lol", "same", "real", "ha", "mood", "facts", "oop", "wait what"),
}  # fmt: skip
EMOJI_REACTIONS = ("😂😂😂", "🔥🔥", "❤️❤️❤️", "😭😭", "🙌", "😍😍", "👏👏", "🥰", "💯💯", "😂")
# emoji everyone uses, beside the persona's own
COMMON_EMOJI = ("❤️", "😂", "😭", "🥰", "😍", "🙌", "👏")
# long comments: a story, then what the comment says
STORIES: tuple[str, ...] = (
    "I've been into {topic} for about {n} years now and honestly nobody has explained {aspect} "
    "this clearly.",
    "Story time: I almost gave up on {topic} last month because {aspect} kept going wrong, "
    "then a friend sent me this.",
    "Not sure anyone will read this but I watched this on the train home after a really long "
    "week and it genuinely made my day.",
    "My partner thought I was crazy spending this much time on {topic}, so I made them watch "
    "with me and now they're hooked too.",
    "Coming back to this a second time because I tried everything you said about {aspect} and "
    "wanted to report back properly.",
)
