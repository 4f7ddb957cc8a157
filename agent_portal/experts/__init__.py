"""Experts: the paid specialists customers are escalated to. For now their start page."""
