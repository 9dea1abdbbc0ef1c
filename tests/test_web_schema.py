"""Property-based tests of the JSON API from its OpenAPI schema (schemathesis): no
generated request, valid or not, gets a server error, and every JSON answer matches the
schema it documents."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from web_support import web_app

pytestmark = pytest.mark.store

#: Generated requests per route: enough to reach each parameter's edges in the suite's time.
EXAMPLES = 12


def test_no_server_error_and_answers_match_the_schema(store_path):
    app = web_app(store_path)
    # The slow first computations (the whole influence panel, the claims ledger) are done
    # before: a generated request should not wait half a minute for them.
    app.state.service.panel()
    app.state.service.ledger()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case):
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

        try:
            check()
        except Exception as exc:  # noqa: BLE001 - every route is tried, all failures listed
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
