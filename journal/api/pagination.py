from django.utils.translation import gettext
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


def is_number(raw: str) -> bool:
    """Only 0-9: str.isdigit() also accepts "²" (which int() refuses) and int() reads "١" as 1."""
    return raw.isascii() and raw.isdecimal()


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not is_number(raw):
            raise NotFound(gettext("Pages are numbered 1, 2, 3…"))
        return super().get_page_number(request, paginator)

    def get_page_size(self, request) -> int:
        """Unlike DRF's, refuse a bad page_size instead of quietly using the default."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not is_number(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        gettext("Choose a page size from 1 to %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            else:
                parameter["schema"].update(minimum=1)
        return parameters
