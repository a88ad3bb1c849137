from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="organizations:tree", permanent=False)),
    path("tai-khoan/", include("dangvu.accounts.urls")),
    path("to-chuc/", include("dangvu.organizations.urls")),
    path("dang-vien/", include("dangvu.members.urls")),
    path("thong-ke/", include("dangvu.reports.urls")),
    path("danh-gia/", include("dangvu.evaluations.urls")),
    path("dai-hoi/", include("dangvu.congresses.urls")),
    path("ket-nap/", include("dangvu.admissions.urls")),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
]
