"""Built-in rules, one module per family. Each is registered in pyproject.toml under the
``citelint.rules`` entry-point group, the way a plugin registers its own."""
