from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.caching import cache_for_visitors
from forum.selectors.search import MAX_QUERY_LENGTH, clean_query, search_posts


@cache_for_visitors
def search(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q"))
    results = search_posts(query, request.user) if query else []
    return render(
        request,
        "forum/search.html",
        {"query": query, "results": results, "max_length": MAX_QUERY_LENGTH},
    )
