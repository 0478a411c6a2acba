"""devices domain: the admin's list of kiosk devices and clinic API keys (register, revoke)."""
