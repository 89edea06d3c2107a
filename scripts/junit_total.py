"""Print one closing line with the totals of several pytest JUnit XML reports."""

import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        failed += 1  # a run that wrote no report crashed before it could
        continue
    for suite in root.iter("testsuite"):
        tests, errors = int(suite.get("tests", 0)), int(suite.get("errors", 0))
        fails, skips = int(suite.get("failures", 0)), int(suite.get("skipped", 0))
        failed += errors + fails
        skipped += skips
        passed += tests - errors - fails - skips
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
