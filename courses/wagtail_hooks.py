from wagtail import hooks

from content.models import CoursePage


# Innermost (high order): Wagtail's view restrictions, also an on_serve_page hook, run first.
@hooks.register("on_serve_page", order=100)
def course_page_with_learner_actions(next_serve_page):
    def serve(page, request, serve_args, serve_kwargs):
        if isinstance(page, CoursePage):
            from courses.course_page import serve_course_page

            return serve_course_page(page, request)
        return next_serve_page(page, request, serve_args, serve_kwargs)

    return serve
