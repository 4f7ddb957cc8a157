"""Live chat and tickets: conversations between a customer's assistant and the hotline,
routing by topic skill and load, the queue, handover with history, and answers by e-mail
when nobody was there."""
