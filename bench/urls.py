"""URLs of the benchmark settings only: the baselines first, then the whole project."""

from django.urls import include, path

from bench import baselines

urlpatterns = [
    path("bench/bare-lesson/", baselines.bare_lesson, name="bench_bare_lesson"),
    path("bench/post-form/", baselines.post_form, name="bench_post_form"),
    path("bench/post/", baselines.minimal_post, name="bench_post"),
    path("bench/bare-verify/<str:code>/", baselines.bare_verify, name="bench_bare_verify"),
    path("bench/rendering-verify/<str:code>/", baselines.rendering_verify, name="bench_rendering_verify"),
    path("bench/plain-students/<slug:slug>/", baselines.plain_students, name="bench_plain_students"),
    path("", include("lms.urls")),
]
