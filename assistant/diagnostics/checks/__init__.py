"""One module per check, each defining ``CHECK`` (see `assistant.diagnostics.catalogue`).

A check module holds three things side by side: how the facts are collected (through the
`Collectors` it is given), the rules that judge them against the `Thresholds`, and the
texts a customer reads, in English, marked with ``N_`` for translation.
"""
