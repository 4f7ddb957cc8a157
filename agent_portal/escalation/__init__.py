"""Escalation from the hotline: an agent offers the customer an expert in a hotline chat;
on the customer's yes the conversation becomes the expert's free pre-chat."""
