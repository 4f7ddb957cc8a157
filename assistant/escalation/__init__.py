"""Live help from a person: chat, paid sessions, consent, screen sharing and remote control."""
