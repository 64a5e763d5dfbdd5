"""Reading content: YAML with positions -> per-file schema -> the typed model -> cross-file rules (and the parse cache)."""
