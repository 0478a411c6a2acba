"""One module per kiosk screen; each exposes ``render(ctx)``."""
