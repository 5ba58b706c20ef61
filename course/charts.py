"""What every inline SVG chart shares: its viewBox width and the colours of pre-test and quiz marks.

The viewBox is narrow (320 units) so that, scaled to a 360px phone, text stays about its nominal
size. Each colour has 3:1 or more contrast against the white page (WCAG 1.4.11), and every mark is
also told apart by text or shape, never by colour alone.
"""

WIDTH = 320
PRETEST_FILL = "#b35900"
QUIZ_FILL = "#1d4f91"
