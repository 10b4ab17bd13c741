from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.caching import cache_for_visitors
from forum.forms.search import SearchForm
from forum.selectors.search import MAX_QUERY_LENGTH, search
from forum.selectors.topics import parse_page


@cache_for_visitors
def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, viewer=request.user)
    query = ""
    results = None
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        if query:
            results = search(
                query,
                request.user,
                filters=form.filters(),
                page=parse_page(request.GET.get("page")),
            )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "forum/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "max_length": MAX_QUERY_LENGTH,
            "extra_query": params.urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
