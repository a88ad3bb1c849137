from django.urls import path

from . import exports, views

app_name = "evaluations"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("tao/", views.round_create, name="round_create"),
    path("cua-toi/", views.my_evaluation, name="my_evaluation"),
    path("cua-toi/<int:rating_pk>/", views.my_evaluation, name="my_evaluation_submit"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/mo/", views.round_open, name="round_open"),
    path("<int:pk>/ket-thuc/", views.round_close, name="round_close"),
    path("<int:pk>/mo-lai/", views.round_reopen, name="round_reopen"),
    path("<int:pk>/ket-qua.xlsx", exports.results_xlsx, name="results_xlsx"),
    path("<int:pk>/quyet-dinh.docx", exports.decision_docx, name="decision_docx"),
    path("<int:pk>/tien-do/", views.round_progress, name="round_progress"),
    path("<int:pk>/tien-do/<int:org_pk>/", views.round_progress, name="round_progress_org"),
    path("<int:pk>/chi-bo/<int:org_pk>/", views.cell_entry, name="cell_entry"),
    path("<int:pk>/quyet-dinh/<int:org_pk>/", views.decide_members, name="decide_members"),
    path("<int:pk>/tap-the/<int:rating_pk>/de-xuat/", views.collective_propose, name="collective_propose"),
    path("<int:pk>/tap-the/<int:rating_pk>/quyet-dinh/", views.collective_decide, name="collective_decide"),
]
