"""Scenario 1's peer side: build the lesson in wagtail-lms and time its page on request. Prints JSON lines.

Reads one JSON line on stdin: {"blocks": [html, ...]} whose internal links use ids -1..-4 (replaced here by the
course page and three lessons). Answers {"ready": ..., "queries": n, "bytes": n}, then for each line "time N" the
N timings of the lesson page (seconds), until "quit" (the test database is dropped then).
"""

import json
import os
import re
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wagtail_lms_site.settings")


def main() -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
    from wagtail.models import Page, Site
    from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonPage

    request = json.loads(sys.stdin.readline())
    old_config = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        root = Page.get_first_root_node()
        course = CoursePage(title="心肺复苏与AED", slug="cpr", description="<p>基准测试课程。</p>")
        root.add_child(instance=course)
        course.save_revision().publish()
        Site.objects.update_or_create(is_default_site=True, defaults={"root_page": course, "hostname": "localhost"})
        lessons = []
        for index in range(3):
            lesson = H5PLessonPage(
                title=f"第{index + 1}课", slug=f"lesson-{index}", body=[("paragraph", "<p>正文。</p>")]
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
            lessons.append(lesson)
        targets = {"-1": course.pk, "-2": lessons[0].pk, "-3": lessons[1].pk, "-4": lessons[2].pk}

        def real_ids(html: str) -> str:
            return re.sub(r'id="(-\d)"', lambda match: f'id="{targets[match.group(1)]}"', html)

        lesson = H5PLessonPage.objects.get(pk=lessons[1].pk)
        lesson.body = [("paragraph", real_ids(html)) for html in request["blocks"]]
        lesson.save_revision().publish()
        user = get_user_model().objects.create_user("learner", password="bench-password-42")
        CourseEnrollment.objects.create(user=user, course=course)
        client = Client()
        client.force_login(user)
        url = H5PLessonPage.objects.get(pk=lesson.pk).url

        def fetch():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            return response

        for _ in range(5):
            fetch()
        with CaptureQueriesContext(connection) as captured:
            html = fetch().content.decode()
        links = len(re.findall(r'<a href="/', html))
        print(json.dumps({"ready": True, "queries": len(captured), "bytes": len(html), "links": links}), flush=True)
        for line in sys.stdin:
            command = line.split()
            if not command or command[0] == "quit":
                break
            samples = []
            for _ in range(int(command[1])):
                start = time.perf_counter()
                fetch()
                samples.append(time.perf_counter() - start)
            print(json.dumps({"samples": samples}), flush=True)
    finally:
        teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
