"""Remote diagnostics on approval: an agent asks a customer's online assistant for a report,
the customer allows or declines, and an allowed report is stored and shown with charts
next to the device's earlier reports. Every request and answer is logged."""
