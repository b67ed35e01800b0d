from django.urls import path

from accounts.views import auth, identity, organizations, profile

app_name = "accounts"

urlpatterns = [
    path("register/", auth.register, name="register"),
    path("register/done/", auth.register_done, name="register_done"),
    path("confirm/<uidb64>/<token>/", auth.confirm_email, name="confirm_email"),
    path("confirm/resend/", auth.resend_confirmation, name="resend_confirmation"),
    path("login/", auth.login_view, name="login"),
    path("login/verify/", auth.login_verify, name="login_verify"),
    path("logout/", auth.logout_view, name="logout"),
    path("login/with/<slug:slug>/", identity.identity_start, name="identity_start"),
    path("login/with/<slug:slug>/callback/", identity.identity_callback, name="identity_callback"),
    path("login/link/", identity.identity_link, name="identity_link"),
    path("password/reset/", auth.password_reset, name="password_reset"),
    path("password/reset/done/", auth.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/complete/", auth.password_reset_complete, name="password_reset_complete"),
    path("password/change/", profile.password_change, name="password_change"),
    path("password/change/done/", profile.password_change_done, name="password_change_done"),
    path("profile/", profile.profile, name="profile"),
    path("profile/personal-details/", profile.personal_details, name="personal_details"),
    path("two-factor/", profile.two_factor, name="two_factor"),
    path("two-factor/setup/", profile.two_factor_setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", profile.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("two-factor/disable/", profile.two_factor_disable, name="two_factor_disable"),
    path("organizations/", organizations.organizations, name="organizations"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", organizations.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/invite/", organizations.organization_invite, name="organization_invite"),
    path(
        "organizations/<int:pk>/members/<int:member_pk>/role/",
        organizations.organization_member_role,
        name="organization_member_role",
    ),
    path(
        "organizations/<int:pk>/members/<int:member_pk>/remove/",
        organizations.organization_member_remove,
        name="organization_member_remove",
    ),
    path("invitations/<str:token>/", organizations.accept_invitation, name="accept_invitation"),
]
