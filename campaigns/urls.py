from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/bodies/<int:body_pk>/session/", views.session_create, name="session_create"),
    path("<int:pk>/bodies/<int:body_pk>/attach/", views.session_attach, name="session_attach"),
    path("session/<int:pk>/", views.for_session, name="for_session"),
]
