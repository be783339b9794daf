from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import api, views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("assessments/", include("assessments.urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("", include("badges.urls")),
    path("", include("certificates.urls")),
    path("", include("content.urls")),
    path("", include("courses.urls")),
    path("", include("schools.urls")),
    path("documents/", include(wagtaildocs_urls)),
    *api.urlpatterns,
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
handler404 = "lms.views.page_not_found"
