import math

from odoo import models
from odoo.tools import SQL

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
# Monday 1970-01-05 00:00, in minutes since the epoch: the first day of a week
# of type 0 (``resource.calendar.attendance.get_week_type``).
FIRST_MONDAY = 4 * MINUTES_PER_DAY


def _merged(intervals):
    """The bounds of the union of the half-open ``intervals``, sorted, flat: a
    value is in the union when an odd number of bounds are at or below it,
    which ``width_bucket`` counts by binary search."""
    bounds = []
    for start, end in sorted(interval for interval in intervals if interval[0] < interval[1]):
        if bounds and start <= bounds[-1]:
            bounds[-1] = max(bounds[-1], end)
        else:
            bounds += [start, end]
    return bounds


def _minute(hour):
    """The first minute of the day whose time, read to the minute, is at or
    after ``hour`` (a calendar's float hour)."""
    return min(max(math.ceil(hour * 60 - 1e-6), 0), MINUTES_PER_DAY)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _relationship_out_of_hours_sql(self, utc, company):
        """SQL condition true when the UTC timestamp ``utc`` falls outside this
        calendar: nights, weekends, the calendar's leaves and public holidays,
        read in the calendar's time zone, to the minute. The one definition of
        working time. A two-week calendar alternates its weeks as Odoo numbers
        them; with flexible hours, only time off and public holidays are out
        of hours. Breaks count as working time: a message at lunch is no
        intrusion.

        The calendar's working slots (minutes of the week, or of the two
        weeks) and its leaves are read here, merged and inlined as two sorted
        arrays: a timestamp costs two binary searches, no subquery, on however
        many rows the condition is evaluated (the messages of thousands of
        clients)."""
        self.ensure_one()
        # Read first: reading a field queries this cursor, whose rows would be lost.
        two_weeks, flexible, tz = self.two_weeks_calendar, self.flexible_hours, self.tz or "UTC"
        self.env["resource.calendar.attendance"].flush_model(
            ["calendar_id", "display_type", "dayofweek", "week_type", "hour_from", "hour_to"]
        )
        self.env["resource.calendar.leaves"].flush_model(
            ["resource_id", "calendar_id", "company_id", "date_from", "date_to"]
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT dayofweek::int, week_type::int, hour_from, hour_to, NULL, NULL
              FROM resource_calendar_attendance
             WHERE calendar_id = %(calendar)s AND display_type IS NULL AND NOT %(flexible)s
         UNION ALL
            SELECT NULL, NULL, NULL, NULL, date_from, date_to
              FROM resource_calendar_leaves
             WHERE resource_id IS NULL
               AND (calendar_id = %(calendar)s OR calendar_id IS NULL)
               AND (company_id = %(company)s OR company_id IS NULL)
                """,
                calendar=self.id,
                company=company.id,
                flexible=flexible,
            )
        )
        slots, leaves = [], []
        for day, week_type, hour_from, hour_to, date_from, date_to in self.env.cr.fetchall():
            if day is None:
                leaves.append((date_from, date_to))
                continue
            # Odoo takes a two-week attendance without a week type for the first week's.
            start = (int(week_type or 0) if two_weeks else 0) * MINUTES_PER_WEEK
            start += day * MINUTES_PER_DAY
            slots.append((start + _minute(hour_from), start + _minute(hour_to)))
        conditions = []
        if not flexible:
            period = (2 if two_weeks else 1) * MINUTES_PER_WEEK
            local = SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)", utc, tz)
            # The minute of the period of the local time, from a Monday 00:00
            # of a first week.
            minute = SQL(
                "((FLOOR(date_part('epoch', %s) / 60)::bigint - %s) %% %s + %s) %% %s",
                local,
                FIRST_MONDAY,
                period,
                period,
                period,
            )
            conditions.append(
                SQL("width_bucket(%s, %s::bigint[]) %% 2 = 0", minute, _merged(slots))
            )
        if leaves:
            conditions.append(
                SQL("width_bucket(%s, %s::timestamp[]) %% 2 = 1", utc, _merged(leaves))
            )
        return SQL("(%s)", SQL(" OR ").join(conditions)) if conditions else SQL("FALSE")
