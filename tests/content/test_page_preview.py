"""The admin's preview renders a course page from the editor's unsaved form (Wagtail's own check). Lesson pages, whose
StreamField the check cannot read from the edit form, are previewed in the browser (tests/e2e/test_csp.py)."""

from wagtail.test.utils import WagtailPageTestCase

from accounts.constants import OrganizationKind
from tests.content.factories import CoursePageFactory, course_tree
from tests.factories import OrganizationFactory


class PagePreviewTests(WagtailPageTestCase):
    def setUp(self):
        base = OrganizationFactory(slug="preview-base", kind=OrganizationKind.TRAINING_BASE)
        _base, curriculum, self.course, self.lessons = course_tree(base, lessons=1)
        # A course with a prerequisite: in a preview its prerequisites are the form's, held in memory.
        self.follow_up = CoursePageFactory(parent=curriculum, title="进阶课程")
        self.follow_up.prerequisites.add(self.course)
        self.follow_up.save_revision().publish()

    def test_course_pages_can_be_previewed(self):
        self.assertPageIsPreviewable(self.course)
        self.assertPageIsPreviewable(self.follow_up)
