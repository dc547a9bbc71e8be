from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's CSP unchanged: its start script is a same-origin file (the
    split view's ``?script``), its few CSS rules a static file; nothing inline.

    GET and HEAD only: DRF's OPTIONS answer went through the page's template renderer (a 500).
    """

    http_method_names = ["get", "head"]
    template_name = "hub/api_docs.html"
