from django.urls import path

from .views import dashboard, exports

app_name = "reports"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("<int:pk>/", dashboard.dashboard, name="dashboard"),
    path("<int:pk>/bieu-thong-ke.xlsx", exports.workbook, name="export_xlsx"),
    path("<int:pk>/bao-cao.docx", exports.report_docx, name="export_docx"),
]
