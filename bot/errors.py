"""Errors the bot raises. Messages say what to do; only the CLI and HTTP layer map them to codes."""


class BotError(Exception):
    """Base for every error the bot reports to a user."""

    http_status = 500


class ConfigError(BotError):
    """A configuration value is invalid."""

    http_status = 500


class ReadError(BotError):
    """A report file could not be read (unsupported, binary, empty, damaged)."""

    http_status = 422


class IndexMissingError(BotError):
    """No index has been built where one was expected."""

    http_status = 503


class IndexMismatchError(BotError):
    """The index on disk was built with another embedder or chunker."""

    http_status = 503


class EmbedderError(BotError):
    """The embedding model could not be loaded or run."""

    http_status = 503


class BadQuestionError(BotError):
    """The question is empty, too long, or otherwise unusable."""

    http_status = 400


class NotFoundError(BotError):
    """A document id or other named thing does not exist."""

    http_status = 404


class LLMError(BotError):
    """The configured generative endpoint failed or answered unusably."""

    http_status = 502


class ConflictError(BotError):
    """What was sent collides with something that exists (a report of the same id or the same bytes)."""

    http_status = 409
