"""Attendance: printed lists, CSV exports and volunteer rosters."""
