"""What every portal page shares: the Jinja2 environment, the base layout, styles, language."""
