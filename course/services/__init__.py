"""Business rules, as functions that take explicit arguments and can be tested without a request."""
