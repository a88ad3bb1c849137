from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("xuat-excel/", views.member_export, name="member_export"),
    path("so-danh-sach/<int:org_pk>/", views.member_register_export, name="member_register_export"),
    path("ket-nap/", views.member_admit, name="member_admit"),
    path("nhap/", views.member_import, name="member_import"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("nhap/<str:job_id>/", views.import_status, name="import_status"),
    path("huy-hieu/", views.badge_list, name="badge_list"),
    path("chuyen-sinh-hoat/", views.transfer_inbox, name="transfer_inbox"),
    path("chuyen-sinh-hoat/to-chuc/<int:org_pk>/", views.transfer_inbox, name="transfer_inbox_org"),
    path("chuyen-sinh-hoat/noi-den/", views.transfer_destinations, name="transfer_destinations"),
    path("chuyen-sinh-hoat/<int:pk>/<slug:step>/", views.transfer_step, name="transfer_step"),
    path("nhat-ky-truy-cap/", views.access_log, name="access_log"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/hien-thong-tin/", views.member_reveal, name="member_reveal"),
    path("<int:pk>/sua/", views.member_correct, name="member_correct"),
    path("<int:pk>/<slug:action>/", views.member_action, name="member_action"),
]
