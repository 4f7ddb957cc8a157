"""What the assistant and the portal server share: wire formats and translation loading."""
