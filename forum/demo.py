"""The demo data: the John Wick universe, a few fans, and the arguments about *Ballerina*."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, Post, Role, Thread, ThreadKind, Universe, User
from forum.services import accounts, markup, moderation, replies, seen, threads, votes

DEMO_PASSWORD = "excommunicado-demo"

USERS = [
    ("winston", Role.ADMIN),
    ("charon", Role.MODERATOR),
    ("eve_macarro_fan", Role.MEMBER),
    ("ruska_roma", Role.MEMBER),
    ("tarot_reader", Role.MEMBER),
    ("high_table", Role.MEMBER),
]

# Ballerina came out after Chapter 4 but is set between Parabellum and Chapter 4: the
# universe page shows both orders side by side.
FILMS = [  # slug, title, year, release date, timeline order, synopsis
    ("john-wick", "John Wick", 2014, date(2014, 10, 24), 1,
     "A retired hitman comes back for the men who took the last gift his wife left him."),
    ("john-wick-chapter-2", "John Wick: Chapter 2", 2017, date(2017, 2, 10), 2,
     "A blood oath marker pulls John back in, and Rome shows how far the High Table reaches."),
    ("john-wick-chapter-3-parabellum", "John Wick: Chapter 3 – Parabellum", 2019,
     date(2019, 5, 17), 3,
     "Excommunicado, John runs to the Ruska Roma and the Director for a way out."),
    ("ballerina", "Ballerina", 2025, date(2025, 6, 6), 4,
     "Eve Macarro, trained by the Ruska Roma, hunts the cult that killed her father."),
    ("john-wick-chapter-4", "John Wick: Chapter 4", 2023, date(2023, 3, 24), 5,
     "John challenges the High Table itself, one old rule at a time."),
]  # fmt: skip
RUNTIMES = {  # minutes: scene timestamps past a film's runtime stay plain text
    "john-wick": 101,
    "john-wick-chapter-2": 122,
    "john-wick-chapter-3-parabellum": 131,
    "ballerina": 125,
    "john-wick-chapter-4": 169,
    "heat": 170,
}

THREADS = [  # film, author, kind, title, body, tags, spoiler, replies [(author, body, [...])]
    ("ballerina", "eve_macarro_fan", ThreadKind.THEORY,
     "The Director trained Eve to be the Ruska Roma's answer to John",
     "Every lesson Eve gets mirrors one John had. The Director isn't making a dancer, she's "
     "making a **replacement**: someone the Ruska Roma owns outright, without a marker.\n\n"
     "Watch the first training scene: ||she tells Eve to *fight like a girl* — the same "
     "pragmatism John was taught||.",
     ["ruska-roma", "the-director"], True,
     [("ruska_roma", "The Ruska Roma never make anything they don't own. That's the point of "
       "the tattoo.", [("tarot_reader", "And Eve refuses the tattoo's meaning by the end. "
                        "That's the whole arc.", [])]),
      ("high_table", "Or the Director is hedging: a killer loyal to her, not to the Table.", [])]),
    ("ballerina", "tarot_reader", ThreadKind.SYMBOLISM,
     "Blood-tied ballet shoes: the ballet as a second contract",
     "The ribbons are tied the way a marker is sealed: in blood. Every time Eve laces up, "
     "she signs again. The film keeps cutting from the shoes to the coin.",
     ["ballet", "markers"], False,
     [("eve_macarro_fan", "The close-up on the knot before the last fight sold it for me: "
       "[1:38:40], and the first lacing at [14:05] rhymes with it.",
       [("charon", "Nicely spotted. The sound design does the same thing with the coin.",
         [])])]),
    ("ballerina", "ruska_roma", ThreadKind.SYMBOLISM,
     "Broken mirrors and who Eve sees in them",
     "Mirrors break every time Eve learns something about her father. Is the film telling us "
     "she is becoming someone else each time, or that the person she was is shattered?",
     ["mirrors"], False,
     [("tarot_reader", "The first one goes at [22:30], in the dressing room. Count the "
       "reflections: two Eves, and only one of them is dancing.", []),
      ("high_table", "And the last broken mirror is [1:41:15]. Chapter 2's mirror room "
       "did the same to John: see the #mirrors page, it's a series-long motif.", [])]),
    ("ballerina", "high_table", ThreadKind.DISCUSSION,
     "Where exactly does Ballerina sit between Parabellum and Chapter 4?",
     "The film is set after Parabellum and before Chapter 4, but how long after? Winston's "
     "situation suggests weeks, not months. Put your evidence here.",
     ["timeline", "winston"], False,
     [("tarot_reader", "Charon's scenes make it close to Parabellum.", [])]),
    ("ballerina", "tarot_reader", ThreadKind.QUESTION,
     "Who is Rooney, and why does the Ruska Roma protect them?",
     "Fans keep naming Rooney in the Ruska Roma threads. What do we actually know from the "
     "film, and what is guesswork?",
     ["rooney", "ruska-roma"], False, []),
    ("ballerina", "eve_macarro_fan", ThreadKind.THEORY,
     "What the village finale says about the Ruska Roma's claim on Eve",
     "The whole last act is built to ask one question: who does Eve belong to? "
     "||She burns the Chancellor's village down and walks away from the Director's order "
     "to stand down|| — and the film treats that as her graduation, not her betrayal.\n\n"
     "Look at who lets her go at the end: ||John Wick himself, sent to stop her, steps "
     "aside||. The Ruska Roma's best student recognises a free woman when he sees one.",
     ["ruska-roma", "the-director", "finale"], None,
     [("ruska_roma", "The Director's last line is the tell: ||she says Eve is \"no longer "
       "ours\" and smiles||. She wanted this all along.",
       [("high_table", "Or she's covering for losing control of her weapon. The Table will "
         "read it that way.", [])]),
      ("tarot_reader", "The cut from the burning chapel to the ballet school mirror is the "
       "whole theory in one edit.", [])]),
    ("john-wick-chapter-4", "eve_macarro_fan", ThreadKind.THEORY,
     "The High Table fears the Ruska Roma more than it lets on",
     "Chapter 4 goes out of its way to show the Table restoring the Ruska Roma. That's not "
     "mercy, that's fear of a family that trains people like John and Eve.",
     ["high-table", "ruska-roma"], False, []),
    ("john-wick", "ruska_roma", ThreadKind.SYMBOLISM,
     "The dog, the car and the house: what John lost in order",
     "The first film takes away three things in a fixed order. Each one maps to a rule of the "
     "old life that he gave up.",
     ["daisy"], False, []),
    ("john-wick-chapter-2", "high_table", ThreadKind.SYMBOLISM,
     "The marker is a contract you sign with your thumb",
     "Santino's marker is sealed in blood and honoured in blood. Every later contract in the "
     "series — the ballet shoes included — rhymes with this one.",
     ["markers"], False,
     [("tarot_reader", "And the thumbprint makes it personal: no one else can repay it.", [])]),
    ("john-wick-chapter-2", "ruska_roma", ThreadKind.SYMBOLISM,
     "The mirror room: Rome's “Reflections of the Soul” shows a dozen Johns",
     "The finale happens in an exhibit of mirrors. Santino can't tell which John is real, and "
     "neither can John any more: the man who came back for the marker is not the one who "
     "retired. Every later mirror in the series points back here.",
     ["mirrors", "santino"], False,
     [("tarot_reader", "It opens around [1:44:50]: the first shot is John from behind, "
       "then only reflections until [1:47:30].", []),
      ("eve_macarro_fan", "Ballerina quotes it on purpose: see the broken mirrors thread.", [])]),
    ("john-wick-chapter-2", "eve_macarro_fan", ThreadKind.THEORY,
     "John's childhood with the Ruska Roma will come back to save him",
     "Chapter 2 drops one line about where John came from. A family that raised an orphan "
     "into the Baba Yaga will be the door he knocks on when the Table closes every other.",
     ["ruska-roma", "the-director"], False,
     [("ruska_roma", "Agreed. Nobody in this series gets a line about their childhood "
       "by accident.", [])]),
    ("ballerina", "high_table", ThreadKind.THEORY,
     "Ballerina is set after Chapter 4",
     "Eve's story only works once John is gone: the Ruska Roma need a new weapon. So it has "
     "to come after Chapter 4.",
     ["timeline"], False,
     [("tarot_reader", "Charon is alive and Winston still runs the Continental. That's "
       "before Chapter 4, not after: watch [8:20].", [])]),
    ("john-wick-chapter-3-parabellum", "ruska_roma", ThreadKind.SYMBOLISM,
     "Sofia's marker: the debt that follows John to Casablanca",
     "Parabellum brings the marker back as something you can be owed as well as owe. Sofia "
     "honours hers at [1:02:30] and hates every second of it.",
     ["markers", "sofia"], False,
     [("high_table", "Chapter 2's marker is a thumbprint in blood; Sofia's is a medallion. "
       "Same contract, two faces. The #markers page lines them up.", [])]),
    ("john-wick-chapter-4", "tarot_reader", ThreadKind.SYMBOLISM,
     "Glass everywhere in the Osaka Continental",
     "Display cases, glass walls, reflections in every fight. After Chapter 2's mirror room, "
     "Chapter 4 makes John fight his own image again: [45:10] is the clearest shot.",
     ["mirrors"], False, []),
    ("john-wick-chapter-3-parabellum", "tarot_reader", ThreadKind.QUESTION,
     "What did John give the Director for her help?",
     "He gives her the crucifix *and* his ticket. Is the ticket the same debt Eve later pays "
     "with her training, or a different one?",
     ["ruska-roma", "the-director"], False,
     [("ruska_roma", "The ticket is a birthright. Eve never had one — that's why she trains.",
       [])]),
]  # fmt: skip


# The full titles of spoiler-flagged threads (title start: full title), for fans who have
# seen the film; everyone else sees only the spoiler-free title.
SPOILER_TITLES = {
    "What the village finale says": "Eve burns the Chancellor's village and John lets her "
    "go: the Ruska Roma lose their claim on her",
    "The Director trained Eve": "The Director trained Eve to replace John — and lost her "
    "in the finale",
}
# Ballerina's twists are still fresh: new threads on its board are spoiler-flagged by
# default for three years after its release.
SPOILER_WINDOWS = {"ballerina": 3 * 365}
# Who has seen what: "up to" a film in story order (eve_macarro_fan has seen Ballerina;
# high_table stopped at Parabellum, so Ballerina's spoilers are withheld from them).
SEEN_UP_TO = {
    "eve_macarro_fan": "ballerina",
    "winston": "john-wick-chapter-4",
    "charon": "john-wick-chapter-4",
    "high_table": "john-wick-chapter-3-parabellum",
}
# A reply that gave a twist away, and the passage a moderator wrapped instead of removing it.
WRAPPED = (
    "Rooney is Winston's granddaughter",
    "Who is Rooney? The credits give it away: Rooney is Winston's granddaughter. That's "
    "why the Ruska Roma protect them.",
)

# Theories a sequel settled, each change kept in the theory's history: (title start,
# moderator, status, note, the film that settled it, the moment in it).
SETTLED = [
    ("John's childhood with the Ruska Roma", "charon", "confirmed",
     "Parabellum: John goes to the Director and the Ruska Roma take him in, ticket and all.",
     "john-wick-chapter-3-parabellum", "0:38:20"),
    ("Ballerina is set after Chapter 4", "charon", "debunked",
     "Ballerina takes place between Parabellum and Chapter 4: Winston still runs the "
     "Continental. See the John Wick universe page.", "ballerina", "8:20"),
]  # fmt: skip

# Who voted which way, so the boards open with real scores and every sort differs.
THREAD_VOTES = {  # title start: {voter: value}
    "The Director trained Eve": {"winston": 1, "charon": 1, "ruska_roma": 1,
                                 "tarot_reader": 1, "high_table": -1},
    "Blood-tied ballet shoes": {"eve_macarro_fan": 1, "ruska_roma": 1, "charon": 1,
                                "winston": 1},
    "Broken mirrors": {"eve_macarro_fan": 1, "tarot_reader": -1, "high_table": 1,
                       "winston": -1},
    "Where exactly does Ballerina sit": {"tarot_reader": 1, "eve_macarro_fan": 1},
    "Who is Rooney": {"ruska_roma": -1, "high_table": -1, "eve_macarro_fan": 1},
    "The High Table fears": {"high_table": -1, "ruska_roma": 1, "winston": 1,
                             "tarot_reader": -1, "charon": 1},
    "The dog, the car and the house": {"winston": 1},
}  # fmt: skip
REPLY_VOTES = {  # reply start: {voter: value}
    "The Ruska Roma never make": {"eve_macarro_fan": 1, "tarot_reader": 1, "high_table": 1},
    "And Eve refuses": {"eve_macarro_fan": 1, "ruska_roma": 1},
    "Or the Director is hedging": {"eve_macarro_fan": -1, "ruska_roma": 1, "tarot_reader": -1},
    "The close-up on the knot": {"tarot_reader": 1, "charon": 1},
    "Nicely spotted": {"eve_macarro_fan": 1},
    "Charon's scenes": {"high_table": -1, "eve_macarro_fan": 1},
}


def seed() -> bool:
    """Load the demo data into an empty database. Returns whether it loaded anything."""
    if db.session.scalar(select(Film.id).limit(1)) or db.session.scalar(select(User.id).limit(1)):
        return False  # not an empty database: never touch a forum that is in use
    users = {
        name: accounts.sign_up(name, f"{name}@example.com", DEMO_PASSWORD, role)
        for name, role in USERS
    }
    universe = Universe(
        slug="john-wick",
        name="John Wick",
        description="The Continental, the High Table, the Ruska Roma — and Ballerina.",
    )  # fmt: skip
    films = {}
    for slug, title, year, released, order, synopsis in FILMS:
        films[slug] = Film(slug=slug, title=title, year=year, release_date=released,
                           timeline_order=order, synopsis=synopsis, universe=universe)  # fmt: skip
    for slug, days in SPOILER_WINDOWS.items():
        films[slug].spoiler_window_days = days
    films["heat"] = Film(
        slug="heat",
        title="Heat",
        year=1995,
        release_date=date(1995, 12, 15),
        synopsis="A thief and a detective, and the coffee in between.",
    )
    for slug, minutes in RUNTIMES.items():
        films[slug].runtime_minutes = minutes
    db.session.add_all([universe, *films.values()])
    db.session.commit()
    for film, author, kind, title, body, tags, spoiler, thread_replies in THREADS:
        full = next((t for start, t in SPOILER_TITLES.items() if title.startswith(start)), None)
        thread = threads.start_thread(users[author], films[film], title, body, kind,
                                      spoiler=spoiler, tags=tags, spoiler_title=full)  # fmt: skip
        _add_replies(users, thread, None, thread_replies)
    _cast_votes(users)
    _seen_and_wrapped(users, films)
    _settle(users, films)
    return True


def _settle(users: dict[str, User], films: dict[str, Film]) -> None:
    """A moderator confirms one theory and debunks another, naming the film and moment."""
    for start, moderator, status, note, slug, moment in SETTLED:
        theory = db.session.scalar(select(Thread).where(Thread.title.startswith(start)))
        seconds = markup.parse_moment(moment)
        moderation.set_theory_status(users[moderator], theory, status, note, films[slug], seconds)


def _seen_and_wrapped(users: dict[str, User], films: dict[str, Film]) -> None:
    """Mark who has seen what, and have a moderator wrap a twist someone gave away."""
    for name, slug in SEEN_UP_TO.items():
        seen.mark_seen_up_to(users[name], films[slug])
    passage, body = WRAPPED
    question = db.session.scalar(select(Thread).where(Thread.title.startswith("Who is Rooney")))
    post = replies.reply(users["high_table"], question, body)
    moderation.wrap_spoiler(users["charon"], post, passage, "Spoiler for Ballerina's ending")


def _cast_votes(users: dict[str, User]) -> None:
    for model, table in ((Thread, THREAD_VOTES), (Post, REPLY_VOTES)):
        column = Thread.title if model is Thread else Post.body
        for start, ballot in table.items():
            item = db.session.scalar(select(model).where(column.startswith(start)))
            for voter, value in ballot.items():
                votes.cast_vote(users[voter], item, value)


def _add_replies(users, thread, parent, items) -> None:
    for author, body, children in items:
        post = replies.reply(users[author], thread, body, parent)
        _add_replies(users, thread, post, children)
