from django.conf.locale.zh_Hans import formats as _django

from config.formats.iso import DATE_ISO, DATETIME_ISO, TIME_ISO, iso_first

DATE_INPUT_FORMATS = iso_first([DATE_ISO], _django.DATE_INPUT_FORMATS)
TIME_INPUT_FORMATS = iso_first([TIME_ISO], _django.TIME_INPUT_FORMATS)
DATETIME_INPUT_FORMATS = iso_first(DATETIME_ISO, _django.DATETIME_INPUT_FORMATS)
