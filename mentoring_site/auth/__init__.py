"""Who may edit the section: passwords, second factor codes, login throttle, signed identity."""
