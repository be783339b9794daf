"""xAPI (Experience API 1.0.3) statements for learning events, available from the API and optionally forwarded to a
Learning Record Store (settings XAPI_LRS_URL, XAPI_LRS_USERNAME, XAPI_LRS_PASSWORD) by a Celery task with retries.

Events come from the apps' signals (handlers.py, connected in xapi.apps): courses.lesson_completed,
assessments.attempt_graded and courses.course_completed."""
