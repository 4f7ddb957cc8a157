"""One-time unlock codes agents issue, and the offline codes of linked devices."""
