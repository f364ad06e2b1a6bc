"""Document the error answers every operation can give, so clients (and schemathesis) know them."""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each field with a list of messages (nested for `points`), or `detail` for a "
    "problem with the request as a whole.",
    "additionalProperties": True,
}
WRITES = {"post", "put", "patch"}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).update(
        Error=ERROR, FieldErrors=FIELD_ERRORS
    )
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            errors = {
                "401": ("Error", "No valid token or session; or a revoked token."),
                "403": ("Error", "Not allowed (for a browser session: missing CSRF token)."),
                "429": ("Error", "Too many requests; wait and try again."),
            }
            if method in WRITES or method == "get":
                errors["400"] = ("FieldErrors", "The input has problems; each field says what.")
            if "{" in path or method == "get":
                errors["404"] = ("Error", "Not found (another user's session looks the same).")
            if method in WRITES:
                errors["413"] = ("Error", "The request body is too large.")
                errors["415"] = ("Error", "Send JSON (Content-Type: application/json).")
            for status, (schema, description) in errors.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema}"}
                            }
                        },
                    },
                )
    return result
