# Django's English short formats put the month first ("12/02/2026"), which
# readers used to day-first dates take for the 12th of February: name the
# month instead. Input formats stay Django's, ISO yyyy-mm-dd first.
SHORT_DATE_FORMAT = "N j, Y"
SHORT_DATETIME_FORMAT = "N j, Y, P"
