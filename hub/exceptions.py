class Conflict(Exception):
    """A request that is valid but cannot be honoured now (stock, capacity, state): HTTP 409."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
