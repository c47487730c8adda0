"""Vietnamese formats as the agency writes them: dates dd/mm/yyyy (Django's own vi locale uses
dashes), the long date as in the heading of an administrative document, "," for decimals."""

DATE_FORMAT = r"\n\g\à\y d \t\h\á\n\g n \n\ă\m Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i, \n\g\à\y d \t\h\á\n\g n \n\ă\m Y"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n \n\ă\m Y"
MONTH_DAY_FORMAT = r"d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday
# ISO first: a form renders its date with the first input format, and <input type="date"> takes
# only ISO dates. Typed dates may be dd/mm/yyyy.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
