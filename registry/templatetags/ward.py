"""``{% load ward %}``: the figures of ``registry.formatting`` as template filters."""

from django import template

from registry import formatting

register = template.Library()

register.filter("vnd", formatting.vnd)
register.filter("number", formatting.number)
register.filter("million_dong", formatting.million_dong)
