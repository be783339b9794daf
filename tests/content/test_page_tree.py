from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from content.models import CoursePage, CurriculumPage, HomePage, LessonPage, TrainingBasePage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_each_page_type_goes_only_under_its_parent_type(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedParentPageTypes(TrainingBasePage, {HomePage})
        self.assertAllowedParentPageTypes(CurriculumPage, {TrainingBasePage})
        self.assertAllowedParentPageTypes(CoursePage, {CurriculumPage})
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})

    def test_lessons_have_no_children_and_courses_hold_only_lessons(self):
        self.assertAllowedSubpageTypes(LessonPage, {})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertCanNotCreateAt(CurriculumPage, LessonPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
