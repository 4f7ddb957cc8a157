"""The desktop assistant an ISP gives its customers: checks the computer and the connection,
explains every problem in plain words, unlocks premium features, and connects to live help."""
