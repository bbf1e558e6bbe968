"""Realistic, deterministic demo engagement: content, comments spread over it, and DMs.

Engagement is written from a model of the conversation: a fact sheet per post (facts), acts
that answer each other (acts, threads), DM conversations as small state machines
(conversations), said in each language's phrasebook (language: the notation; vocabulary*: the
data) by people of the audience (people) as they type (writer).

Everything random comes from per-run random.Random instances seeded from the account, the
profile's seed and what is being generated, never from global state: the same account, seed,
sizes and reference time give the same output, platform ids included. That is what lets a
retried or resumed batch upsert the very same rows instead of creating new ones.

ids (platform ids) · one module per kind of generated activity: initial_batch, ticks. A new
activity is a module here and its job kind in services/handlers.py.
"""

from app.domain.generation.initial_batch import GeneratedDemo, generate_demo
from app.domain.generation.ticks import generate_daily_content, generate_tick
from app.domain.generation.writer import SUPPORTED_LOCALES, warm_up

__all__ = [
    "SUPPORTED_LOCALES",
    "GeneratedDemo",
    "generate_daily_content",
    "generate_demo",
    "generate_tick",
    "warm_up",
]
