#!/usr/bin/env python3
"""Reads an iCalendar file with an independent parser (python3-icalendar) and prints its events as
JSON, for tests/http/follow_ups_http_test.cc. Usage: ical_to_json.py FILE. Exit 3 when the
icalendar package is missing (the test fails then), 1 when the file does not parse."""
import json
import sys

try:
    import icalendar
except ImportError:
    sys.exit(3)


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def main():
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    cal = icalendar.Calendar.from_ical(data)
    events = []
    for event in cal.walk('VEVENT'):
        rrule = event.get('RRULE')
        events.append({
            'uid': text(event, 'UID'),
            'summary': text(event, 'SUMMARY'),
            'description': text(event, 'DESCRIPTION'),
            'url': text(event, 'URL'),
            'start': event.decoded('DTSTART').isoformat(),
            'end': event.decoded('DTEND').isoformat(),
            'stamp': event.decoded('DTSTAMP').isoformat(),
            'freq': [str(v) for v in rrule.get('FREQ', [])] if rrule is not None else [],
        })
    print(json.dumps({'version': str(cal.get('VERSION')), 'events': events}))


if __name__ == '__main__':
    main()
