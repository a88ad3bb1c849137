from django.urls import path

from . import exports, views

app_name = "congresses"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("tao/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/mo/", views.round_open, name="round_open"),
    path("<int:pk>/bo-sung/", views.round_sync, name="round_sync"),
    path("<int:pk>/ket-thuc/", views.round_close, name="round_close"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/tien-do/<int:org_pk>/", views.progress, name="progress_org"),
    path("<int:pk>/tien-do/<int:org_pk>.xlsx", exports.progress_xlsx, name="progress_xlsx"),
    path("<int:pk>/tien-do/<int:org_pk>.docx", exports.progress_docx, name="progress_docx"),
    path("dh/<int:pk>/", views.congress_detail, name="congress_detail"),
    path("dh/<int:pk>/du-kien/", views.congress_plan, name="congress_plan"),
    path("dh/<int:pk>/ket-qua/", views.congress_record, name="congress_record"),
    path("dh/<int:pk>/khong-tinh/", views.congress_exclude, name="congress_exclude"),
    path("dh/<int:pk>/tinh-lai/", views.congress_include, name="congress_include"),
    path("dh/<int:pk>/van-ban/", views.document_add, name="document_add"),
    path("van-ban/<int:pk>/tai-ve/", views.document_download, name="document_download"),
    path("van-ban/<int:pk>/thu-hoi/", views.document_withdraw, name="document_withdraw"),
    path("cap-uy/<int:org_pk>/", views.committee, name="committee"),
]
