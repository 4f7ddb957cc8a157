"""Health checks of the computer and the connection, turned into findings in plain words."""
