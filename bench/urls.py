"""Laurel's addresses, and the benchmark's yardstick: an empty page behind the same middleware,
sign-in checks, context processors and base template as every page. Section 2 times it beside
the read paths, so that each path's time reads as the floor every page pays plus its own."""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as laurel


@cache
def _empty():
    return engines["django"].from_string('{% extends "base.html" %}')  # compiled once, as a file


@login_required
def empty_page(request):
    return HttpResponse(_empty().render({}, request))


urlpatterns = [*laurel, path("bench/empty/", empty_page, name="bench_empty")]
