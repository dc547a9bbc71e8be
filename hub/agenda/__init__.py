"""The events agenda: scheduling, registrations and waiting list, calendars, figures."""
