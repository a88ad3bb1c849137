from django.urls import path

from . import exports, views

app_name = "admissions"
urlpatterns = [
    path("", views.progress, name="progress"),
    path("tien-do/<int:org_pk>/", views.progress, name="progress_org"),
    path("tien-do/<int:org_pk>.xlsx", exports.progress_xlsx, name="progress_xlsx"),
    path("tien-do/<int:org_pk>.docx", exports.progress_docx, name="progress_docx"),
    path("chi-tieu/<int:org_pk>/", views.target_edit, name="target_edit"),
    path("quan-chung/<int:org_pk>/", views.candidate_list, name="candidate_list"),
    path("quan-chung/<int:org_pk>/them/", views.candidate_create, name="candidate_create"),
    path("qc/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("qc/<int:pk>/sua-thong-tin/", views.candidate_edit, name="candidate_edit"),
    path("qc/<int:pk>/dung-xem-xet/", views.candidate_withdraw, name="candidate_withdraw"),
    path("qc/<int:pk>/<str:stage>/", views.candidate_stage, name="candidate_stage"),
    path("du-bi/<int:org_pk>/", views.probation, name="probation"),
]
