from odoo import models
from odoo.tools import SQL


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _relationship_out_of_hours_sql(self, utc, company):
        """SQL condition true when the UTC timestamp ``utc`` falls outside this
        calendar: nights, weekends, the calendar's leaves and public holidays,
        read in the calendar's time zone. The one definition of working time."""
        self.ensure_one()
        local = SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)", utc, self.tz or "UTC")
        hour = SQL("(EXTRACT(HOUR FROM %s) + EXTRACT(MINUTE FROM %s) / 60.0)", local, local)
        return SQL(
            """(NOT EXISTS (
                    SELECT 1 FROM resource_calendar_attendance att
                     WHERE att.calendar_id = %(calendar)s AND att.display_type IS NULL
                       AND att.dayofweek = (EXTRACT(ISODOW FROM %(local)s)::int - 1)::text
                       AND %(hour)s >= att.hour_from AND %(hour)s < att.hour_to)
                OR EXISTS (
                    SELECT 1 FROM resource_calendar_leaves leave
                     WHERE leave.resource_id IS NULL
                       AND (leave.calendar_id = %(calendar)s OR leave.calendar_id IS NULL)
                       AND (leave.company_id = %(company)s OR leave.company_id IS NULL)
                       AND leave.date_from <= %(utc)s AND %(utc)s < leave.date_to))""",
            calendar=self.id,
            local=local,
            hour=hour,
            company=company.id,
            utc=utc,
        )
