"""Views of the accounts app, one module per area: sign-up and login, profile and two-factor,
organizations."""
