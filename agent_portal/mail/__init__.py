"""E-mail to customers: an outbox in the database and a background sender, so a slow or
absent mail server never holds up a chat, and nothing is lost when it is down."""
