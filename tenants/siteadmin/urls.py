from django.urls import path

from . import views

app_name = "siteadmin"

urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("staff/", views.StaffListView.as_view(), name="staff"),
    path("staff/<int:pk>/", views.StaffMemberView.as_view(), name="staff-member"),
    path("audit/", views.AuditLogView.as_view(), name="audit"),
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
]
