def register(subcommands) -> None:
    pass
