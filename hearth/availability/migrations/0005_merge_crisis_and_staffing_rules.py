# Two branches each added an 0004 on the same day (issue 13's talk-request crisis flag, issue 18's
# staffing rules); neither may be edited once on main, so this joins them.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('availability', '0004_staffing_rules'),
        ('availability', '0004_talk_request_crisis'),
    ]

    operations = []
