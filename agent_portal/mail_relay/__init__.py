"""The mail relay: a conversation that opts in is also carried by e-mail. Each new message
goes to the other participants through the outbox, from the portal's own address with a
reply address of the recipient's own for this conversation; a reply to it, received by the
portal's SMTP receiver, joins the conversation as a message of that participant. Neither
side ever sees the other's real address."""
