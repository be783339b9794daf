"""The learner dashboard's "certificates and badges" section (registered in CertificatesConfig.ready)."""

from __future__ import annotations

from accounts.models import User
from badges.selectors import awards_of_learner
from certificates.selectors import certificates_for_learner
from courses.dashboard_sections import DashboardSection

SECTION_LIMIT = 10  # the dashboard shows the latest ones; the full lists have their own pages


def dashboard_section(*, user: User) -> DashboardSection:
    """Two queries whatever the number of certificates and badges."""
    return DashboardSection(
        template_name="certificates/includes/dashboard_section.html",
        context={
            "certificates": list(certificates_for_learner(user=user)[:SECTION_LIMIT]),
            "badges": list(awards_of_learner(learner=user)[:SECTION_LIMIT]),
        },
    )
