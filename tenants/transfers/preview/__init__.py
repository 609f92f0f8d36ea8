"""The import's preview, one module per step: `columns` (which column means what, the rows as
the checks receive them), `participants` and `mediations` (each kind's checks), `checks`
(`check_rows`, for either kind)."""
