"""Pure domain: frozen dataclasses, enums, rules and errors. Imports nothing outside the stdlib."""
