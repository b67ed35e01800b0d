# Placeholder until the accounts views land (registration, login, two-factor, profile).
from django.contrib.auth import views as auth_views

login_view = auth_views.LoginView.as_view(template_name="accounts/login.html")
logout_view = auth_views.LogoutView.as_view()
