"""What touches the outside world: PostgreSQL, Redis, HTTP, the clock, embedded servers."""
