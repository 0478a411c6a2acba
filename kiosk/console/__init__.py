"""The staff console's panels, one module each; ``console_app.py`` wires them behind the staff login."""
