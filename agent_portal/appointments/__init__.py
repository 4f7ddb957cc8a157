"""Appointments an expert proposes to a customer in their conversation."""
