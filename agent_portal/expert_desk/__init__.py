"""The expert's desk: an expert's availability (online, away, busy, offline), customers'
free pre-chats with one expert and their offline messages, and the expert's inbox."""
