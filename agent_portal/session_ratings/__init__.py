"""Ratings of paid expert sessions, both ways: the customer rates the expert (in the
assistant), the expert the customer (in the portal); both are revealed together, the
customer's then counts in the expert's ranking, and other customers vote on how helpful
it was (`docs/experts.md`, "Ratings of paid sessions")."""
