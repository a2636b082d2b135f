from django.urls import path

from .views import accounts, bodies, officials, password

app_name = "people"

urlpatterns = [
    path("", bodies.home, name="home"),
    path("bodies/<int:pk>/", bodies.body_detail, name="body"),
    path("bodies/<int:pk>/edit/", bodies.body_edit, name="body_edit"),
    path("bodies/<int:pk>/new/", bodies.body_create, name="body_create"),
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account"),
    path("accounts/<int:pk>/roles/", accounts.role_grant, name="role_grant"),
    path(
        "accounts/<int:pk>/roles/<int:membership_pk>/withdraw/",
        accounts.role_withdraw,
        name="role_withdraw",
    ),
    path("accounts/<int:pk>/password/", accounts.password_reset, name="password_reset"),
    path("accounts/<int:pk>/password/shown/", password.password_shown, name="password_shown"),
    path("accounts/<int:pk>/active/", accounts.account_active, name="account_active"),
    path("officials/", officials.official_list, name="officials"),
    path("officials/new/", officials.official_create, name="official_create"),
    path("officials/import/", officials.officials_import, name="officials_import"),
    path("officials/<int:pk>/", officials.official_detail, name="official"),
    path("officials/<int:pk>/positions/", officials.position_add, name="position_add"),
    path(
        "officials/<int:pk>/positions/<int:position_pk>/remove/",
        officials.position_remove,
        name="position_remove",
    ),
    path("officials/<int:pk>/merge/", officials.official_merge, name="official_merge"),
]
